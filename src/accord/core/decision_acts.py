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
    MOTIONS,
    PROCEDURES,
    SUBJECT_KINDS,
    VOTES,
    VOTES_2,
    CastVote,
    Decision,
    Flag,
    LateObjection,
    Motion,
    Objection,
    Outcome,
    Refused,
    Signature,
    Statement,
    Subject,
)
from accord.core.seating import SEATED
from accord.core.texts import PARAGRAPH_ID, TEXT_ID, Version, paragraph_label
from accord.core.times import format_period, format_time

OBJECTION_KINDS = frozenset({"objection", "amendment"})
# Under procedure 2 a delegation may also request a vote, which a consensus cannot survive.
OBJECTION_KINDS_2 = OBJECTION_KINDS | {"vote"}
SUBJECT_FIELDS = ("proposal", "motion", "report", "text", "version", "hash", "paragraph")

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
    settings = n.state.genesis.rules.procedure
    if settings.version == 1:
        subject = Subject.parse(d["subject"])
        _version_named(n, subject)
    else:
        subject = _subject(n, seq, d["subject"])
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
                f"a silence lasts at least {format_period(minimum)} under the rules of procedure"
            )
    elif d["deadline"] is not None or d["time_zone"] is not None:
        raise Refused(f"a {procedure} decision has no deadline")
    members = tuple(sorted(c for c, s in n.state.states.items() if s.role == "member"))
    n.decisions[decision_id] = Decision(
        decision_id, seq, time, subject, procedure, rule, deadline, time_zone,
        settings=settings, members=members,
    )  # fmt: skip


def _version_named(n: Negotiation, subject: Subject) -> Version:
    record = n.record(subject.text_id)
    if not 1 <= subject.version <= len(record.versions):
        raise Refused(f"{subject.text_id} has no version {subject.version}")
    version = record.versions[subject.version - 1]
    if version.hash != subject.hash:
        raise Refused(f"the hash named is not that of {subject.label()}")
    if subject.paragraph is not None and version.paragraph(subject.paragraph) is None:
        raise Refused(f"{subject.label()} has no such paragraph")
    return version


def _credentials_subject(n: Negotiation, seq: int, value: Any) -> Subject:
    """12.5: the plenary decides on a report of the credentials committee made before."""
    d = schema.obj(value, "decision subject", ("kind", "report"))
    report = n.state.seating.reports.get(d["report"]) if isinstance(d["report"], str) else None
    if report is None or report[0] > seq:
        raise Refused("no such credentials report")
    if d["report"] in n.state.seating.applied and n.state.seating.applied[d["report"]][0] < seq:
        raise Refused("the seating on that report was already recorded")
    return Subject("", 0, d["report"], None, "credentials", None, report[0])


def _subject(n: Negotiation, seq: int, value: Any) -> Subject:
    """A decision's subject under rules of procedure version 2 (docs/protocol.md 12.4)."""
    kind = schema.choice(schema.obj(value, "decision subject", ("kind",), SUBJECT_FIELDS)["kind"],
                         "subject kind", SUBJECT_KINDS)  # fmt: skip
    if kind == "credentials":
        return _credentials_subject(n, seq, value)
    if kind == "motion":
        d = schema.obj(value, "decision subject", ("kind", "motion"))
        motion = n.motions.get(d["motion"]) if isinstance(d["motion"], str) else None
        if motion is None:
            raise Refused("no such motion")
        if motion.decided is not None or motion.version != n.record(motion.text_id).current.number:
            raise Refused(f"{motion.label()} is no longer open")
        version = n.record(motion.text_id).current
        return Subject(motion.text_id, motion.version, version.hash, None, kind, motion.id)
    if kind == "proposal":
        d = schema.obj(value, "decision subject", ("kind", "proposal"))
        proposal = n.proposals.get(d["proposal"]) if isinstance(d["proposal"], str) else None
        if proposal is None:
            raise Refused("no such proposal")
        if not proposal.open:
            raise Refused(f"the proposal by {proposal.state} is no longer open")
        a = proposal.amendment
        version = n.record(a.text_id).versions[a.version - 1]
        _not_adjourned(n, a.text_id, a.version)
        return Subject(a.text_id, a.version, version.hash, a.paragraph, kind, proposal.id)
    d = schema.obj(value, "decision subject", ("kind", "text", "version", "hash", "paragraph"))
    subject = Subject(
        schema.text(d["text"], "text id", pattern=TEXT_ID),
        schema.integer(d["version"], "version", 1),
        schema.text(d["hash"], "version hash", max_len=64),
        None if d["paragraph"] is None else schema.text(d["paragraph"], "paragraph id"),
        kind,
    )
    version = _version_named(n, subject)
    _not_adjourned(n, subject.text_id, version.number)
    if subject.paragraph is None and kind == "adoption":
        _divided_parts_decided(n, subject.text_id, version)
    whole = n.adopted(version.hash)
    if whole is not None:
        raise Refused(
            f"version {version.number} of {version.text_id} was adopted as a whole by decision "
            f"{whole.id}: a decision on it has no object"
        )
    if kind == "basis" and subject.paragraph is not None:
        raise Refused("a version is accepted as the basis for negotiation as a whole")
    if kind == "adoption" and n.state.genesis.rules.procedure.clean_text:
        paragraphs = [p for p in version.paragraphs
                      if subject.paragraph in (None, p.id) and p.bracketed]  # fmt: skip
        if paragraphs:
            raise Refused(
                f"{subject.label()} still holds bracketed text (paragraphs "
                f"{', '.join(p.number for p in paragraphs)}): only agreed text is adopted; "
                "the chair issues a clean version first"
            )
    return subject


def _divided_parts_decided(n: Negotiation, text_id: str, version: Version) -> None:
    """GA rule 89: after a division, each part is decided before the whole; a version
    holding a part that was rejected is not adopted as it stands (the chair issues one
    without it)."""
    division = n.debate_motion(text_id, "division")
    if division is None or division.version != version.number:
        return
    for pid in division.parts:
        decided = [d for d in n.decisions.values()
                   if d.subject.hash == version.hash and d.subject.paragraph == pid
                   and d.subject.kind == "adoption" and d.closed_seq is not None]  # fmt: skip
        label = paragraph_label(version.paragraph(pid))  # type: ignore[arg-type]
        if not decided:
            raise Refused(f"{division.label()} was adopted: {label} is decided separately "
                          "before the version as a whole")  # fmt: skip
        if all(d.outcome(n.last_time) != Outcome.ADOPTED for d in decided):
            raise Refused(f"{label} was rejected when decided separately (GA rule 89): "
                          "the chair issues a version without it")  # fmt: skip


def _not_adjourned(n: Negotiation, text_id: str, version: int) -> None:
    adjourned = n.debate_motion(text_id, "adjournment_of_debate")
    if adjourned is not None and version == adjourned.version:
        raise Refused(f"the debate on {text_id} is adjourned ({adjourned.label()}, adopted) "
                      "until its next version")  # fmt: skip


def decision_named(n: Negotiation, content: dict[str, Any]) -> Decision:
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
    decision = decision_named(n, d)
    kinds = OBJECTION_KINDS if decision.settings.version == 1 else OBJECTION_KINDS_2
    kind = schema.choice(d["kind"], "kind", kinds)
    text = schema.text(d["text"], "objection text", schema.MAX_REASON * 10)
    if state is None:
        raise Refused("the chair does not object to its own proposal")
    if decision.procedure == "vote":
        raise Refused("a vote is not objected to: vote no")
    if decision.procedure == "consensus":
        if kind == "amendment":
            also = "" if decision.settings.version == 1 else " or a request for a vote"
            raise Refused(f"under consensus, only a formal objection{also} blocks")
        if "adopt" not in powers:
            raise Refused(f"{state}'s delegate lacks the power to adopt, so cannot object")
        if decision.closed_seq is not None:
            raise Refused(f"decision {decision.id} was already closed")
    elif kind == "vote":
        raise Refused("a silence is broken by an objection or an amendment")
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
    decision = decision_named(n, d)
    vote = schema.choice(d["vote"], "vote", VOTES if decision.settings.version == 1 else VOTES_2)
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
    if explanation:
        may_explain(n, decision, state)
    decision.votes[state] = CastVote(seq, vote, explanation)
    if explanation:
        subject = f"decision {decision.id} on {decision.subject.label()}"
        timing = None if decision.settings.version == 1 else "before"
        n.statements.append(Statement(seq, state, "explanation_of_vote", subject, explanation,
                                      decision.id, timing=timing))  # fmt: skip


def may_explain(n: Negotiation, decision: Decision, state: str) -> None:
    """The sponsor of a proposal does not explain its vote on it, where the rules say so
    (UN General Assembly rule 88)."""
    if decision.subject.kind != "proposal" or decision.settings.sponsor_explains:
        return
    if n.proposals[str(decision.subject.proposal)].state == state:
        raise Refused(
            f"{state} moved the proposal decided by {decision.id}: under the rules of "
            "procedure its sponsor does not explain its vote on it"
        )


def close_decision(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "close", ("decision", "claimed"))
    decision = decision_named(n, d)
    claimed = schema.choice(d["claimed"], "claimed outcome", {"adopted", "not_adopted"})
    if state is not None:
        raise Refused("only the chair closes a decision")
    if decision.closed_seq is not None:
        raise Refused(f"decision {decision.id} was already closed")
    if decision.procedure == "silence" and decision.before_deadline(time):
        raise Refused("a silence procedure ends at its deadline, not before")
    minimum = decision.settings.consensus_min_ms
    if decision.procedure == "consensus" and time - decision.opened_at < minimum:
        raise Refused(
            f"a consensus stays open at least {format_period(minimum)} under the rules of "
            "procedure, so that every delegation can object: until "
            f"{format_time(decision.opened_at + minimum)}"
        )
    decision.closed_seq, decision.closed_at, decision.claimed = seq, time, claimed
    actual = decision.outcome(max(n.last_time, time))
    decided = "adopted" if actual == Outcome.ADOPTED else "rejected"
    if decision.subject.kind == "proposal":  # adopted, the next version incorporates it
        n.proposals[str(decision.subject.proposal)].decided = decided
    if decision.subject.kind == "motion":  # adopted, it takes effect on the current version
        n.motions[str(decision.subject.proposal)].decided = decided
    record = n.texts.get(decision.subject.text_id)
    if record is not None:  # the text's history tells what was decided on it
        outcome = actual.replace("_", " ")
        record.history.append((seq, f"decision {decision.id} ({decision.procedure} on "
                               f"{decision.subject.label()}) closed: {outcome}"))  # fmt: skip
    if actual != claimed:
        n.flags.append(
            Flag(seq, "the chair", f"declared decision {decision.id} {claimed.replace('_', ' ')}"
                 f", but the record says {actual.replace('_', ' ')}: the claim is invalid")
        )  # fmt: skip


def move(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    """A delegation moves a procedural motion on a text's debate; the chair puts it to
    the body as a decision on it (procedure 2)."""
    if n.state.genesis.rules.procedure.version == 1:
        raise Refused("motions are moved under rules of procedure version 2")
    d = schema.obj(content, "motion", ("motion", "text", "reason"), ("parts",))
    kind = schema.choice(d["motion"], "motion", MOTIONS)
    record = n.record(schema.text(d["text"], "text id", pattern=TEXT_ID))
    reason = schema.text(d["reason"], "reason", schema.MAX_REASON)
    if state is None:
        raise Refused("the chair puts motions to the body; delegations move them")
    parts: tuple[str, ...] = ()
    if kind == "division":  # GA rule 89: the paragraphs to be decided separately
        parts = schema.string_list(d.get("parts"), "parts", PARAGRAPH_ID, 2000)
        missing = [p for p in parts if record.current.paragraph(p) is None]
        if missing:
            raise Refused(f"{record.current.text_id} version {record.current.number} has no "
                          f"paragraph {missing[0]}")  # fmt: skip
    elif "parts" in d:
        raise Refused(f"a motion for {kind.replace('_', ' ')} names no parts")
    n.motions[event.hash] = Motion(
        event.hash,
        seq,
        state,
        kind,
        record.current.text_id,
        record.current.number,
        reason,
        parts=parts,
    )


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
    unauthorised = "sign" not in powers
    if unauthorised and n.state.genesis.rules.procedure.version == 1:
        raise Refused("signing needs full powers to sign")
    if n.adopted(d["hash"]) is None:
        raise Refused(f"version {number} of {record.current.text_id} has not been adopted")
    if any(s.state == state and s.act == act and s.version_hash == d["hash"]
           for s in n.signatures):  # fmt: skip
        raise Refused(f"{state} has already made this {act}")
    n.signatures.append(Signature(
        seq, time, event.hash, state, n.actor(event)[0], act, d["hash"], d["ad_referendum"],
        unauthorised=unauthorised,
    ))  # fmt: skip
    record.history.append((seq, f"{act} of version {number} by {n.actor(event)[0]}"
                           + (" ad referendum" if d["ad_referendum"] else "")))  # fmt: skip


def confirm(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "confirmation act", ("confirmation",))
    confirmation = Confirmation.parse(d["confirmation"])
    if n.state.seating.status(confirmation.state, confirmation.root.text) not in SEATED:
        raise Refused(
            "the confirmation is not signed by the root of an authority seated for the state"
        )
    signature = next((s for s in n.signatures if s.id == confirmation.signature), None)
    if signature is None or signature.state != confirmation.state:
        raise Refused(f"no signature of {confirmation.state} with that id")
    if not signature.pending:
        raise Refused("that signature is not awaiting confirmation")
    signature.confirmed_seq = seq
