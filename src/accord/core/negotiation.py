"""The negotiation as every member computes it: texts and their versions, proposals with
support and opposition, paragraph status, decisions and their outcomes, statements.

It folds the *decrypted* content of the negotiation events of a verified log. The public
verifier has already checked each act's signature, credential and type-level power; this
fold applies the rules that depend on content (a vote on an open decision, an objection
before the close, a proposal against the current version...). An act that breaks them is
kept in `flags` with the reason, and has no effect: a chair's "adopted" that the log does
not support is shown as such, never as adopted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.core import events as ev
from accord.core import schema
from accord.core.credentials import Confirmation
from accord.core.epochs import NoKeyError
from accord.core.errors import AccordError, SchemaError
from accord.core.keyring import Keyring
from accord.core.sealing import TamperedError
from accord.core.state import ConferenceState
from accord.core.texts import (
    TEXT_ID,
    Amendment,
    CompiledParagraph,
    Proposal,
    Version,
    compile_paragraph,
)
from accord.core.times import format_time

PROCEDURES = frozenset({"consensus", "silence", "vote"})
MAJORITIES = frozenset({"simple_majority", "two_thirds_majority"})
VOTES = frozenset({"yes", "no", "abstain"})
STATEMENT_KINDS = frozenset(
    {"reservation", "interpretative", "explanation_of_position", "explanation_of_vote",
     "dissociation"}
)  # fmt: skip
STANCES = frozenset({"support", "oppose", "withdraw"})
DECISION_ID = TEXT_ID


@dataclass(frozen=True)
class Flag:
    """An act that has no effect, and why."""

    seq: int
    who: str
    reason: str


@dataclass(frozen=True)
class Subject:
    text_id: str
    version: int
    hash: str
    paragraph: str | None

    @classmethod
    def parse(cls, value: Any) -> Subject:
        d = schema.obj(value, "decision subject", ("text", "version", "hash", "paragraph"))
        return cls(
            schema.text(d["text"], "text id", pattern=TEXT_ID),
            schema.integer(d["version"], "version", 1),
            schema.text(d["hash"], "version hash", max_len=64),
            None if d["paragraph"] is None else schema.text(d["paragraph"], "paragraph id"),
        )

    def label(self) -> str:
        where = f", paragraph {self.paragraph}" if self.paragraph else ""
        return f"{self.text_id} version {self.version}{where}"


@dataclass
class Decision:
    id: str
    seq: int
    opened_at: int
    subject: Subject
    procedure: str
    rule: str | None
    deadline: int | None
    time_zone: str | None
    objections: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    late: list[tuple[int, int, str, str]] = field(default_factory=list)  # seq, time, state, kind
    votes: dict[str, tuple[int, str, str | None]] = field(default_factory=dict)
    closed_seq: int | None = None
    claimed: str | None = None

    def outcome(self, now: int) -> str:
        """ "adopted", "not_adopted" or "open", recomputed from the acts alone; `now` is
        the latest receipt time in the log (a silence ends at its deadline)."""
        if self.procedure == "silence":
            if self.objections:
                return "not_adopted"
            return "open" if self.before_deadline(now) else "adopted"
        if self.closed_seq is None:
            return "open"
        if self.procedure == "consensus":
            return "not_adopted" if self.objections else "adopted"
        yes = sum(1 for _, v, _ in self.votes.values() if v == "yes")
        no = sum(1 for _, v, _ in self.votes.values() if v == "no")
        if yes == 0:  # nothing is adopted without a vote for it
            return "not_adopted"
        if self.rule == "two_thirds_majority":
            return "adopted" if 3 * yes >= 2 * (yes + no) else "not_adopted"
        return "adopted" if yes > no else "not_adopted"

    def before_deadline(self, time: int) -> bool:
        """Whether `time` (a receipt time) comes before this silence's deadline."""
        return self.deadline is not None and time < self.deadline

    def tally(self) -> dict[str, int]:
        out = {"yes": 0, "no": 0, "abstain": 0}
        for _, v, _ in self.votes.values():
            out[v] += 1
        return out


@dataclass(frozen=True)
class Statement:
    seq: int
    state: str
    kind: str
    subject: str  # what it is attached to, in words
    text: str
    decision: str | None = None  # the decision it is attached to, or
    text_id: str | None = None  # the text (and paragraph) it is attached to


@dataclass
class Signature:
    seq: int
    time: int
    id: str  # the signature event's hash
    state: str
    signer: str  # label of the delegate
    act: str  # signature or initialling
    version_hash: str
    ad_referendum: bool
    confirmed_seq: int | None = None

    @property
    def pending(self) -> bool:
        """A signature ad referendum awaits its state's confirmation."""
        return self.ad_referendum and self.confirmed_seq is None


@dataclass
class TextRecord:
    versions: list[Version] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # paragraph -> agreed_ad_ref
    history: list[tuple[int, str]] = field(default_factory=list)  # seq, what happened

    @property
    def current(self) -> Version:
        return self.versions[-1]


@dataclass
class Negotiation:
    state: ConferenceState
    texts: dict[str, TextRecord] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    last_time: int = 0

    # -- folding ----------------------------------------------------------------------
    def apply(self, seq: int, time: int, event: ev.Event, content: dict[str, Any]) -> None:
        """Fold one decrypted negotiation act (already verified in the log)."""
        self.last_time = max(self.last_time, time)
        who, state, powers = self._actor(event)
        void = self.state.voided.get(seq)
        if void is not None:  # made under powers revoked as of an earlier date (7.3)
            self.flags.append(Flag(seq, who, void))
            return
        handler = _HANDLERS[event.type]
        try:
            handler(self, seq, time, event, content, state, powers)
        except (_Refused, AccordError) as exc:
            self.flags.append(Flag(seq, who, str(exc)))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # Content of the wrong shape deep inside (a list where an id belongs...).
            self.flags.append(Flag(seq, who, f"malformed content: {exc!r}"))

    def _actor(self, event: ev.Event) -> tuple[str, str | None, frozenset[str]]:
        if event.cred is None:
            return f"the chair ({self.state.genesis.chair.name})", None, frozenset()
        fp = self.state.credentials[event.cred]
        return fp.label(), fp.state, frozenset(fp.powers)

    def adopted(self, version_hash: str) -> Decision | None:
        """The decision by which a whole version was adopted, if one was."""
        return next(
            (d for d in self.decisions.values()
             if d.subject.hash == version_hash and d.subject.paragraph is None
             and d.outcome(self.last_time) == "adopted"),
            None,
        )  # fmt: skip

    def proposal(self, prefix: str) -> Proposal:
        """The proposal whose id starts with `prefix` (ids are shown shortened)."""
        full = prefix if prefix.startswith("sha256:") else "sha256:" + prefix
        found = [p for pid, p in self.proposals.items() if pid.startswith(full)]
        if len(found) != 1:
            raise AccordError(
                f"{'no' if not found else 'more than one'} proposal starts with {prefix!r}"
            )
        return found[0]

    def _text(self, text_id: str) -> TextRecord:
        record = self.texts.get(text_id)
        if record is None:
            raise _Refused(f"there is no text {text_id!r}")
        return record

    # -- the compiled text ------------------------------------------------------------
    def compiled(self, text_id: str, version: int | None = None) -> list[CompiledParagraph]:
        record = self._text(text_id)
        v = record.current if version is None else record.versions[version - 1]
        current = version is None or version == len(record.versions)
        # The proposals made on that version and not withdrawn: on the current version they
        # are the open ones (a proposal is decided by the next version); an earlier version
        # shows what was proposed on it, decided since or not.
        made = [
            p for p in self.proposals.values()
            if p.amendment.text_id == text_id and p.amendment.version == v.number
            and p.withdrawn_at is None
        ]  # fmt: skip
        out = []
        for paragraph in v.paragraphs:
            mine = [p for p in made if p.amendment.paragraph == paragraph.id]
            status = record.status.get(paragraph.id, "open") if current else "open"
            out.append(compile_paragraph(paragraph, mine, status))  # it skips new paragraphs
            for p in sorted((p for p in mine if p.amendment.op == "add_after"), key=_seq):
                assert p.amendment.new_paragraph is not None
                new = compile_paragraph(p.amendment.new_paragraph, [], "open")
                out.append(dataclasses.replace(new, replacements=(p,), proposed=True))
        return out

    def render(self, text_id: str, version: int | None = None) -> str:
        record = self._text(text_id)
        v = record.current if version is None else record.versions[version - 1]
        lines = [f"{v.title} (version {v.number}, {v.hash})", ""]
        lines += [c.render() for c in self.compiled(text_id, version)]
        return "\n".join(lines)


def _seq(p: Proposal) -> int:
    return p.seq


class _Refused(Exception):
    """Raised inside the fold: the act has no effect, for this reason."""


# -- handlers ------------------------------------------------------------------------------
def _table(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "text content", ("version", "outcomes"))
    version = Version.parse(d["version"])
    record = n.texts.get(version.text_id)
    expected = 1 if record is None else len(record.versions) + 1
    if version.number != expected:
        raise _Refused(f"version {version.number} of {version.text_id}; the next is {expected}")
    outcomes = d["outcomes"]
    if not isinstance(outcomes, list):
        raise SchemaError("outcomes must be a list")
    if record is None:
        if outcomes:
            raise _Refused("a text tabled for the first time decides no proposals")
        record = n.texts[version.text_id] = TextRecord()
        record.history.append((seq, f"tabled by the chair at {format_time(time)}"))
    else:
        previous = record.current
        decided: list[tuple[Proposal, str]] = []
        for item in outcomes:
            o = schema.obj(item, "proposal outcome", ("proposal", "outcome"))
            proposal = n.proposals.get(o["proposal"])
            outcome = schema.choice(o["outcome"], "outcome", {"incorporated", "merged", "dropped"})
            if proposal is None or proposal.amendment.text_id != version.text_id:
                raise _Refused(f"no proposal {o['proposal']} on this text")
            if not proposal.open:
                raise _Refused(f"proposal {proposal.id} is no longer open")
            if any(p is proposal for p, _ in decided):
                raise _Refused(f"proposal {proposal.id} is given two outcomes")
            decided.append((proposal, outcome))
        for proposal, outcome in decided:
            proposal.outcome = outcome
        # A paragraph keeps its agreed ad ref mark only if its text did not change.
        for pid in list(record.status):
            old, new = previous.paragraph(pid), version.paragraph(pid)
            if new is None or old is None or old.plain != new.plain:
                del record.status[pid]
        said = ", ".join(f"{p.state}'s proposal {o}" for p, o in decided)
        record.history.append(
            (seq, f"version {version.number} issued by the chair at {format_time(time)}"
                  + (f": {said}" if said else ""))
        )  # fmt: skip
    record.versions.append(version)


def _amend(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    if state is None:
        raise _Refused("the chair revises the text rather than proposing amendments to it")
    amendment = Amendment.parse(content)
    record = n._text(amendment.text_id)
    current = record.current
    if amendment.version != current.number:
        raise _Refused(
            f"the amendment is to version {amendment.version}; the text is at version "
            f"{current.number}"
        )
    paragraph = current.paragraph(amendment.paragraph)
    if paragraph is None:
        raise _Refused(
            f"paragraph {amendment.paragraph} is not in version {current.number} (deleted)"
        )
    if record.status.get(paragraph.id) == "agreed_ad_ref":
        raise _Refused(f"paragraph {paragraph.number} is agreed ad ref: reopen it first")
    if amendment.op in ("replace_words", "delete_words", "insert_words") and (
        amendment.span(paragraph) is None
    ):
        raise _Refused(f"the words {amendment.old!r} are not in paragraph {paragraph.number}")
    if amendment.new_paragraph is not None and current.paragraph(amendment.new_paragraph.id):
        raise _Refused(f"paragraph id {amendment.new_paragraph.id} is already used")
    n.proposals[event.hash] = Proposal(event.hash, seq, state, amendment)


def _stance(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "stance", ("proposal", "stance"))
    stance = schema.choice(d["stance"], "stance", STANCES)
    proposal = n.proposals.get(d["proposal"]) if isinstance(d["proposal"], str) else None
    if proposal is None:
        raise _Refused("no such proposal")
    if state is None:
        raise _Refused("the chair takes no position on proposals")
    if not proposal.open:
        raise _Refused(f"proposal by {proposal.state} is no longer open")
    if stance == "withdraw":
        if state != proposal.state:
            raise _Refused(f"only {proposal.state} may withdraw its proposal")
        proposal.withdrawn_at = seq
        return
    if state == proposal.state:
        raise _Refused("a delegation does not support or oppose its own proposal")
    mine, other = (
        (proposal.supporters, proposal.opposers) if stance == "support"
        else (proposal.opposers, proposal.supporters)
    )  # fmt: skip
    other.pop(state, None)  # the latest stance of a state counts
    mine[state] = seq


def _status(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "paragraph status", ("text", "version", "paragraph", "status",
                                                 "reason"))  # fmt: skip
    record = n._text(schema.text(d["text"], "text id", pattern=TEXT_ID))
    status = schema.choice(d["status"], "status", {"agreed_ad_ref", "open"})
    reason = None if d["reason"] is None else schema.text(d["reason"], "reason", schema.MAX_REASON)
    if d["version"] != record.current.number:
        raise _Refused("the status is for another version than the current one")
    paragraph = record.current.paragraph(d["paragraph"])
    if paragraph is None:
        raise _Refused("no such paragraph in the current version")
    if state is not None and (status != "open" or "negotiate" not in powers):
        raise _Refused("only the chair marks a paragraph agreed ad ref")
    if status == "open" and state is not None and not reason:
        raise _Refused("a delegation reopening a paragraph gives its reason")
    if status == "agreed_ad_ref":
        record.status[paragraph.id] = status
        what = f"paragraph {paragraph.number} agreed ad ref"
    else:
        if record.status.pop(paragraph.id, None) is None:
            raise _Refused(f"paragraph {paragraph.number} is not agreed ad ref")
        what = f"paragraph {paragraph.number} reopened by {state or 'the chair'}"
    record.history.append((seq, what + (f": {reason}" if reason else "")))


def _decision(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    if state is not None:
        raise _Refused("only the chair opens a decision")
    d = schema.obj(content, "decision", ("decision", "subject", "procedure", "rule", "deadline",
                                         "time_zone"))  # fmt: skip
    decision_id = schema.text(d["decision"], "decision id", pattern=DECISION_ID)
    if decision_id in n.decisions:
        raise _Refused(f"decision {decision_id} exists already")
    subject = Subject.parse(d["subject"])
    record = n._text(subject.text_id)
    if not 1 <= subject.version <= len(record.versions):
        raise _Refused(f"{subject.text_id} has no version {subject.version}")
    version = record.versions[subject.version - 1]
    if version.hash != subject.hash:
        raise _Refused(f"the hash named is not that of {subject.label()}")
    if subject.paragraph is not None and version.paragraph(subject.paragraph) is None:
        raise _Refused(f"{subject.label()} has no such paragraph")
    procedure = schema.choice(d["procedure"], "procedure", PROCEDURES)
    rule = None if d["rule"] is None else schema.choice(d["rule"], "majority", MAJORITIES)
    genesis_rule = n.state.genesis.rules.decision_rule
    deadline = time_zone = None
    if procedure == "vote":
        default = genesis_rule if genesis_rule in MAJORITIES else "two_thirds_majority"
        rule = rule or default
        permitted = {default, "two_thirds_majority"}
        if rule not in permitted:
            raise _Refused(
                f"the rules of procedure permit a vote by {', '.join(sorted(permitted))}"
            )
    elif rule is not None:
        raise _Refused(f"a {procedure} decision names no majority")
    if procedure == "silence":
        deadline = schema.integer(d["deadline"], "deadline")
        time_zone = schema.text(d["time_zone"], "time zone", max_len=64)
        minimum = n.state.genesis.rules.silence_period_ms
        if deadline - time < minimum:
            raise _Refused(
                f"a silence lasts at least {minimum // 1000} s under the rules of procedure"
            )
    elif d["deadline"] is not None or d["time_zone"] is not None:
        raise _Refused(f"a {procedure} decision has no deadline")
    n.decisions[decision_id] = Decision(
        decision_id, seq, time, subject, procedure, rule, deadline, time_zone
    )


def _open_decision(n: Negotiation, content: dict[str, Any]) -> Decision:
    decision_id = content.get("decision")
    decision = n.decisions.get(decision_id) if isinstance(decision_id, str) else None
    if decision is None:
        raise _Refused("no such decision")
    return decision


def _objection(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "objection", ("decision", "kind", "text"))
    decision = _open_decision(n, d)
    kind = schema.choice(d["kind"], "kind", {"objection", "amendment"})
    text = schema.text(d["text"], "objection text", schema.MAX_REASON * 10)
    if state is None:
        raise _Refused("the chair does not object to its own proposal")
    if decision.procedure == "vote":
        raise _Refused("a vote is not objected to: vote no")
    if decision.procedure == "consensus":
        if kind != "objection":
            raise _Refused("under consensus, only a formal objection blocks")
        if "adopt" not in powers:
            raise _Refused(f"{state}'s delegate lacks the power to adopt, so cannot object")
        if decision.closed_seq is not None:
            raise _Refused(f"decision {decision.id} was already closed")
    elif not decision.before_deadline(time):
        # Recorded, without effect: the receipt time is after the deadline.
        decision.late.append((seq, time, state, kind))
        return
    decision.objections.append((seq, time, state, kind, text))


def _vote(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "vote", ("decision", "vote", "explanation"))
    decision = _open_decision(n, d)
    vote = schema.choice(d["vote"], "vote", VOTES)
    explanation = (
        None if d["explanation"] is None
        else schema.text(d["explanation"], "explanation of vote", schema.MAX_REASON * 10)
    )  # fmt: skip
    if decision.procedure != "vote":
        raise _Refused(f"decision {decision.id} is taken by {decision.procedure}, not by vote")
    if state is None or "adopt" not in powers:
        raise _Refused("a vote is cast by a delegate holding the power to adopt")
    if decision.closed_seq is not None:
        raise _Refused(f"the vote on {decision.id} is closed")
    if state in decision.votes:
        raise _Refused(f"{state} has already voted (#{decision.votes[state][0]}): one vote a state")
    decision.votes[state] = (seq, vote, explanation)
    if explanation:
        subject = f"decision {decision.id} on {decision.subject.label()}"
        n.statements.append(
            Statement(seq, state, "explanation_of_vote", subject, explanation, decision.id)
        )


def _close(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "close", ("decision", "claimed"))
    decision = _open_decision(n, d)
    claimed = schema.choice(d["claimed"], "claimed outcome", {"adopted", "not_adopted"})
    if state is not None:
        raise _Refused("only the chair closes a decision")
    if decision.closed_seq is not None:
        raise _Refused(f"decision {decision.id} was already closed")
    if decision.procedure == "silence" and decision.before_deadline(time):
        raise _Refused("a silence procedure ends at its deadline, not before")
    decision.closed_seq, decision.claimed = seq, claimed
    actual = decision.outcome(max(n.last_time, time))
    if actual != claimed:
        n.flags.append(
            Flag(seq, "the chair", f"declared decision {decision.id} {claimed.replace('_', ' ')}"
                 f", but the record says {actual.replace('_', ' ')}: the claim is invalid")
        )  # fmt: skip


def _statement(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "statement", ("subject", "kind", "text"))
    kind = schema.choice(d["kind"], "statement kind", STATEMENT_KINDS)
    text = schema.text(d["text"], "statement", schema.MAX_REASON * 10)
    s = schema.obj(d["subject"], "statement subject", ("decision", "text", "paragraph"))
    if state is None:
        raise _Refused("statements are made by delegations")
    if s["decision"] is not None:
        decision = _open_decision(n, {"decision": s["decision"]})
        subject = f"decision {decision.id} on {decision.subject.label()}"
        n.statements.append(Statement(seq, state, kind, subject, text, decision=decision.id))
    else:
        record = n._text(schema.text(s["text"], "text id", pattern=TEXT_ID))
        pid = s["paragraph"]
        paragraph = record.current.paragraph(pid)  # None for None: no paragraph has that id
        if pid is not None and paragraph is None:
            raise _Refused("no such paragraph")
        subject = f"{s['text']}" + (f", paragraph {paragraph.number}" if paragraph else "")
        text_id = record.current.text_id
        n.statements.append(Statement(seq, state, kind, subject, text, text_id=text_id))


def _signature(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "signature", ("text", "version", "hash", "act", "ad_referendum"))
    act = schema.choice(d["act"], "act", {"signature", "initialling"})
    if not isinstance(d["ad_referendum"], bool):
        raise SchemaError("ad_referendum must be true or false")
    record = n._text(schema.text(d["text"], "text id", pattern=TEXT_ID))
    number = schema.integer(d["version"], "version", 1)
    if number > len(record.versions) or record.versions[number - 1].hash != d["hash"]:
        raise _Refused("the hash signed is not that of the version named")
    if state is None:
        raise _Refused("the chair does not sign for a state")
    if "sign" not in powers:
        raise _Refused("signing needs full powers to sign")
    if n.adopted(d["hash"]) is None:
        raise _Refused(f"version {number} of {record.current.text_id} has not been adopted")
    if any(s.state == state and s.act == act and s.version_hash == d["hash"]
           for s in n.signatures):  # fmt: skip
        raise _Refused(f"{state} has already made this {act}")
    n.signatures.append(Signature(
        seq, time, event.hash, state, n._actor(event)[0], act, d["hash"], d["ad_referendum"]
    ))  # fmt: skip


def _confirmation(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "confirmation act", ("confirmation",))
    confirmation = Confirmation.parse(d["confirmation"])
    accredited = n.state.states.get(confirmation.state)
    if accredited is None or accredited.root != confirmation.root:
        raise _Refused("the confirmation is not signed by the state's accredited root")
    signature = next((s for s in n.signatures if s.id == confirmation.signature), None)
    if signature is None or signature.state != confirmation.state:
        raise _Refused(f"no signature of {confirmation.state} with that id")
    if not signature.pending:
        raise _Refused("that signature is not awaiting confirmation")
    signature.confirmed_seq = seq


_HANDLERS = {
    ev.TEXT: _table,
    ev.AMEND: _amend,
    ev.STANCE: _stance,
    ev.PARAGRAPH_STATUS: _status,
    ev.DECISION: _decision,
    ev.OBJECTION: _objection,
    ev.VOTE: _vote,
    ev.CLOSE: _close,
    ev.STATEMENT: _statement,
    ev.SIGNATURE: _signature,
    ev.CONFIRMATION: _confirmation,
}


def read(
    state: ConferenceState,
    keyring: Keyring,
    entries: Iterable[tuple[int, int, ev.Event]],
    now: int,
) -> Negotiation:
    """Decrypt the negotiation acts among `entries` (sequence number, receipt time, event)
    with `keyring` and fold them; an act that does not decrypt is flagged, not applied."""
    acts = []
    unread = []
    for seq, time, event in entries:
        if event.type not in ev.NEGOTIATION_TYPES:
            continue
        try:
            acts.append((seq, time, event, keyring.content(state, event)))
        except (NoKeyError, TamperedError) as exc:
            unread.append(Flag(seq, state.author_label(event), f"not read: {exc}"))
    negotiation = fold(state, acts, now)
    negotiation.flags = sorted(negotiation.flags + unread, key=lambda f: f.seq)
    return negotiation


def fold(
    state: ConferenceState, acts: list[tuple[int, int, ev.Event, dict[str, Any]]], now: int
) -> Negotiation:
    """The negotiation from the decrypted negotiation acts of a verified log, in order;
    `now` is the log's latest receipt time (a silence procedure ends at its deadline)."""
    negotiation = Negotiation(state)
    for seq, time, event, content in acts:
        negotiation.apply(seq, time, event, content)
    negotiation.last_time = max(negotiation.last_time, now)
    return negotiation
