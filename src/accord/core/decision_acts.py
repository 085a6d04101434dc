"""The rules of the fold for decisions and what follows them (docs/protocol.md 12.2):
opening a decision by consensus, silence or vote, objections, votes, the chair's close,
statements, signatures and their confirmation. Each function applies one act to the
`Negotiation`, or raises `Refused` with the reason it has no effect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.core import events as ev
from accord.core import schema
from accord.core.credentials import Confirmation
from accord.core.errors import SchemaError
from accord.core.proceedings import (
    DECISION_ID,
    MAJORITIES,
    PROCEDURES,
    STATEMENT_KINDS,
    VOTES,
    CastVote,
    Decision,
    Flag,
    LateObjection,
    Objection,
    Refused,
    Signature,
    Statement,
    Subject,
)
from accord.core.texts import TEXT_ID

if TYPE_CHECKING:
    from accord.core.negotiation import Negotiation


def open_decision(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    if state is not None:
        raise Refused("only the chair opens a decision")
    d = schema.obj(content, "decision", ("decision", "subject", "procedure", "rule", "deadline",
                                         "time_zone"))  # fmt: skip
    decision_id = schema.text(d["decision"], "decision id", pattern=DECISION_ID)
    if decision_id in n.decisions:
        raise Refused(f"decision {decision_id} exists already")
    subject = Subject.parse(d["subject"])
    record = n.record(subject.text_id)
    if not 1 <= subject.version <= len(record.versions):
        raise Refused(f"{subject.text_id} has no version {subject.version}")
    version = record.versions[subject.version - 1]
    if version.hash != subject.hash:
        raise Refused(f"the hash named is not that of {subject.label()}")
    if subject.paragraph is not None and version.paragraph(subject.paragraph) is None:
        raise Refused(f"{subject.label()} has no such paragraph")
    procedure = schema.choice(d["procedure"], "procedure", PROCEDURES)
    rule = None if d["rule"] is None else schema.choice(d["rule"], "majority", MAJORITIES)
    genesis_rule = n.state.genesis.rules.decision_rule
    deadline = time_zone = None
    if procedure == "vote":
        default = genesis_rule if genesis_rule in MAJORITIES else "two_thirds_majority"
        rule = rule or default
        permitted = {default, "two_thirds_majority"}
        if rule not in permitted:
            raise Refused(f"the rules of procedure permit a vote by {', '.join(sorted(permitted))}")
    elif rule is not None:
        raise Refused(f"a {procedure} decision names no majority")
    if procedure == "silence":
        deadline = schema.integer(d["deadline"], "deadline")
        time_zone = schema.text(d["time_zone"], "time zone", max_len=64)
        minimum = n.state.genesis.rules.silence_period_ms
        if deadline - time < minimum:
            raise Refused(
                f"a silence lasts at least {minimum // 1000} s under the rules of procedure"
            )
    elif d["deadline"] is not None or d["time_zone"] is not None:
        raise Refused(f"a {procedure} decision has no deadline")
    n.decisions[decision_id] = Decision(
        decision_id, seq, time, subject, procedure, rule, deadline, time_zone
    )


def _decision_named(n: Negotiation, content: dict[str, Any]) -> Decision:
    decision_id = content.get("decision")
    decision = n.decisions.get(decision_id) if isinstance(decision_id, str) else None
    if decision is None:
        raise Refused("no such decision")
    return decision


def object_to(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "objection", ("decision", "kind", "text"))
    decision = _decision_named(n, d)
    kind = schema.choice(d["kind"], "kind", {"objection", "amendment"})
    text = schema.text(d["text"], "objection text", schema.MAX_REASON * 10)
    if state is None:
        raise Refused("the chair does not object to its own proposal")
    if decision.procedure == "vote":
        raise Refused("a vote is not objected to: vote no")
    if decision.procedure == "consensus":
        if kind != "objection":
            raise Refused("under consensus, only a formal objection blocks")
        if "adopt" not in powers:
            raise Refused(f"{state}'s delegate lacks the power to adopt, so cannot object")
        if decision.closed_seq is not None:
            raise Refused(f"decision {decision.id} was already closed")
    elif not decision.before_deadline(time):
        # Recorded, without effect: the receipt time is after the deadline.
        decision.late.append(LateObjection(seq, time, state, kind))
        return
    decision.objections.append(Objection(seq, time, state, kind, text))


def cast_vote(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "vote", ("decision", "vote", "explanation"))
    decision = _decision_named(n, d)
    vote = schema.choice(d["vote"], "vote", VOTES)
    explanation = (
        None if d["explanation"] is None
        else schema.text(d["explanation"], "explanation of vote", schema.MAX_REASON * 10)
    )  # fmt: skip
    if decision.procedure != "vote":
        raise Refused(f"decision {decision.id} is taken by {decision.procedure}, not by vote")
    if state is None or "adopt" not in powers:
        raise Refused("a vote is cast by a delegate holding the power to adopt")
    if decision.closed_seq is not None:
        raise Refused(f"the vote on {decision.id} is closed")
    if state in decision.votes:
        raise Refused(f"{state} has already voted (#{decision.votes[state].seq}): one vote a state")
    decision.votes[state] = CastVote(seq, vote, explanation)
    if explanation:
        subject = f"decision {decision.id} on {decision.subject.label()}"
        n.statements.append(
            Statement(seq, state, "explanation_of_vote", subject, explanation, decision.id)
        )


def close_decision(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "close", ("decision", "claimed"))
    decision = _decision_named(n, d)
    claimed = schema.choice(d["claimed"], "claimed outcome", {"adopted", "not_adopted"})
    if state is not None:
        raise Refused("only the chair closes a decision")
    if decision.closed_seq is not None:
        raise Refused(f"decision {decision.id} was already closed")
    if decision.procedure == "silence" and decision.before_deadline(time):
        raise Refused("a silence procedure ends at its deadline, not before")
    decision.closed_seq, decision.claimed = seq, claimed
    actual = decision.outcome(max(n.last_time, time))
    if actual != claimed:
        n.flags.append(
            Flag(seq, "the chair", f"declared decision {decision.id} {claimed.replace('_', ' ')}"
                 f", but the record says {actual.replace('_', ' ')}: the claim is invalid")
        )  # fmt: skip


def make_statement(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "statement", ("subject", "kind", "text"))
    kind = schema.choice(d["kind"], "statement kind", STATEMENT_KINDS)
    text = schema.text(d["text"], "statement", schema.MAX_REASON * 10)
    s = schema.obj(d["subject"], "statement subject", ("decision", "text", "paragraph"))
    if state is None:
        raise Refused("statements are made by delegations")
    if s["decision"] is not None:
        decision = _decision_named(n, {"decision": s["decision"]})
        subject = f"decision {decision.id} on {decision.subject.label()}"
        n.statements.append(Statement(seq, state, kind, subject, text, decision=decision.id))
    else:
        record = n.record(schema.text(s["text"], "text id", pattern=TEXT_ID))
        pid = s["paragraph"]
        paragraph = record.current.paragraph(pid)  # None for None: no paragraph has that id
        if pid is not None and paragraph is None:
            raise Refused("no such paragraph")
        subject = f"{s['text']}" + (f", paragraph {paragraph.number}" if paragraph else "")
        text_id = record.current.text_id
        n.statements.append(Statement(seq, state, kind, subject, text, text_id=text_id))


def sign(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "signature", ("text", "version", "hash", "act", "ad_referendum"))
    act = schema.choice(d["act"], "act", {"signature", "initialling"})
    if not isinstance(d["ad_referendum"], bool):
        raise SchemaError("ad_referendum must be true or false")
    record = n.record(schema.text(d["text"], "text id", pattern=TEXT_ID))
    number = schema.integer(d["version"], "version", 1)
    if number > len(record.versions) or record.versions[number - 1].hash != d["hash"]:
        raise Refused("the hash signed is not that of the version named")
    if state is None:
        raise Refused("the chair does not sign for a state")
    if "sign" not in powers:
        raise Refused("signing needs full powers to sign")
    if n.adopted(d["hash"]) is None:
        raise Refused(f"version {number} of {record.current.text_id} has not been adopted")
    if any(s.state == state and s.act == act and s.version_hash == d["hash"]
           for s in n.signatures):  # fmt: skip
        raise Refused(f"{state} has already made this {act}")
    n.signatures.append(Signature(
        seq, time, event.hash, state, n.actor(event)[0], act, d["hash"], d["ad_referendum"]
    ))  # fmt: skip


def confirm(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "confirmation act", ("confirmation",))
    confirmation = Confirmation.parse(d["confirmation"])
    accredited = n.state.states.get(confirmation.state)
    if accredited is None or accredited.root != confirmation.root:
        raise Refused("the confirmation is not signed by the state's accredited root")
    signature = next((s for s in n.signatures if s.id == confirmation.signature), None)
    if signature is None or signature.state != confirmation.state:
        raise Refused(f"no signature of {confirmation.state} with that id")
    if not signature.pending:
        raise Refused("that signature is not awaiting confirmation")
    signature.confirmed_seq = seq
