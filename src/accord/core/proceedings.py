"""What the negotiation's fold records: each text's versions, status and history, the
decisions and their outcomes, statements, signatures, and the acts without effect.

These are data with the rules that read them (a decision's outcome is recomputed from the
acts it holds); `accord.core.negotiation` fills them from the log's acts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from accord.core import schema
from accord.core.genesis import PROCEDURE_1, Procedure
from accord.core.texts import TEXT_ID, Version

PROCEDURES = frozenset({"consensus", "silence", "vote"})
MAJORITIES = frozenset({"simple_majority", "two_thirds_majority"})
VOTES = frozenset({"yes", "no", "abstain"})
# Rules of procedure version 2: a delegation may answer "present" (present, not voting),
# and decide on a version, on accepting it as the basis of negotiation, or on a proposal.
VOTES_2 = VOTES | {"present"}
SUBJECT_KINDS = frozenset({"adoption", "basis", "proposal", "motion", "credentials"})
# Procedural motions on a text's debate (GA rules 74 and 76), and what they do if adopted.
MOTIONS = {
    "closure_of_debate": "no further amendment to the current version",
    "adjournment_of_debate": "no decision on the text until its next version",
    # GA rule 89: parts of a proposal voted on separately, then the whole as it remains.
    "division": "the paragraphs named are decided separately before the version as a whole",
}
STATEMENT_KINDS = frozenset(
    {"reservation", "interpretative", "explanation_of_position", "explanation_of_vote",
     "dissociation"}
)  # fmt: skip
# Rules of procedure version 2: a member aligns itself with a group's statement; a
# facilitator reports to the plenary (12.8).
STATEMENT_KINDS_2 = STATEMENT_KINDS | {"alignment", "facilitator_report"}
STANCES = frozenset({"support", "oppose", "withdraw"})
DECISION_ID = TEXT_ID


class Refused(Exception):
    """Raised inside the fold: the act has no effect, for this reason."""


@dataclass(frozen=True)
class Flag:
    """An act that has no effect, and why."""

    seq: int
    who: str
    reason: str


@dataclass(frozen=True)
class Subject:
    """What a decision is on: a version or one of its paragraphs (adopting it, or, under
    rules of procedure version 2, accepting a version as the basis of negotiation), or a
    proposal to amend it (the text, version and paragraph are then the proposal's)."""

    text_id: str
    version: int
    hash: str
    paragraph: str | None
    kind: str = "adoption"
    proposal: str | None = None  # the proposal's or the motion's id, when on one
    report: int | None = None  # a credentials report's entry (kind credentials): hash is its id

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
        if self.kind == "credentials":
            return f"the report on credentials of #{self.report}"
        where = f", paragraph {self.paragraph}" if self.paragraph else ""
        if self.kind in ("proposal", "motion"):
            return (
                f"the {self.kind} {self.proposal} on {self.text_id} version {self.version}{where}"
            )
        basis = " as the basis for negotiation" if self.kind == "basis" else ""
        return f"{self.text_id} version {self.version}{where}{basis}"


class Outcome(StrEnum):
    """A decision's outcome, recomputed from the acts in the log."""

    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"
    OPEN = "open"


class Objection(NamedTuple):
    """A formal objection under consensus, or a silence broken, in time."""

    seq: int
    time: int
    state: str
    kind: str  # "objection", or "amendment" (a silence broken by a proposed change)
    text: str


class LateObjection(NamedTuple):
    """An objection received after a silence's deadline: recorded, without effect."""

    seq: int
    time: int
    state: str
    kind: str


class CastVote(NamedTuple):
    seq: int
    vote: str  # yes, no, abstain, or (version 2) present: present and not voting
    explanation: str | None


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
    objections: list[Objection] = field(default_factory=list)
    late: list[LateObjection] = field(default_factory=list)
    votes: dict[str, CastVote] = field(default_factory=dict)  # by state
    closed_seq: int | None = None
    closed_at: int | None = None  # the close's receipt time
    claimed: str | None = None
    settings: Procedure = PROCEDURE_1  # the rules of procedure it is taken under
    members: tuple[str, ...] = ()  # the member states when it was opened

    def outcome(self, now: int) -> Outcome:
        """Recomputed from the acts alone; `now` is the latest receipt time in the log
        (a silence ends at its deadline)."""
        if self.procedure == "silence":
            if self.objections:
                return Outcome.NOT_ADOPTED
            return Outcome.OPEN if self.before_deadline(now) else Outcome.ADOPTED
        if self.closed_seq is None:
            return Outcome.OPEN
        if self.procedure == "consensus":
            return Outcome.NOT_ADOPTED if self.objections else Outcome.ADOPTED
        tally = self.tally()
        yes = tally["yes"]
        if not self.quorum_met or yes == 0:  # nothing is adopted without a vote for it
            return Outcome.NOT_ADOPTED
        among = {
            "present_and_voting": yes + tally["no"],
            "present": len(self.votes),
            "all_members": len(self.members),
        }[self.settings.majority]
        if self.rule == "two_thirds_majority":
            return Outcome.ADOPTED if 3 * yes >= 2 * among else Outcome.NOT_ADOPTED
        return Outcome.ADOPTED if 2 * yes > among else Outcome.NOT_ADOPTED

    @property
    def quorum_met(self) -> bool:
        """Whether enough member states were present: every state that voted or answered
        present counts (a quorum applies to votes: a consensus records no presence)."""
        return len(self.votes) >= self.settings.quorum

    def before_deadline(self, time: int) -> bool:
        """Whether `time` (a receipt time) comes before this silence's deadline."""
        return self.deadline is not None and time < self.deadline

    def tally(self) -> dict[str, int]:
        out = {"yes": 0, "no": 0, "abstain": 0}
        for v in self.votes.values():
            if v.vote in out:
                out[v.vote] += 1
        return out

    def roll_call(self) -> list[tuple[str, str]]:
        """Each member state's answer, in the order of their codes: yes, no, abstain,
        present (present and not voting) or absent."""
        return [
            (state, self.votes[state].vote if state in self.votes else "absent")
            for state in sorted({*self.members, *self.votes})
        ]


@dataclass(frozen=True)
class Statement:
    seq: int
    state: str
    kind: str
    subject: str  # what it is attached to, in words
    text: str
    decision: str | None = None  # the decision it is attached to, and/or
    text_id: str | None = None  # the text (and paragraph) it is attached to
    paragraph: str | None = None  # the paragraph's id
    timing: str | None = None  # on a decision: "before" or "after" it was taken
    observer: bool = False  # made by an observer: a contribution, shown apart
    on_behalf_of: str | None = None  # a group's name and members, when its spokesperson's
    aligns_with: int | None = None  # the entry of the group statement it aligns with


@dataclass
class Group:
    """A negotiating group (12.8): founded by its spokesperson, listing its members, each
    a member once it joined."""

    id: str
    name: str
    spokesperson: str
    listed: tuple[str, ...]
    seq: int
    joined: dict[str, int] = field(default_factory=dict)  # state -> entry

    def label(self) -> str:
        members = sorted({self.spokesperson, *self.joined})
        return f"{self.name} ({', '.join(members)})"


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
    # Made without full powers to sign (procedure 2): without legal effect unless the
    # state confirms it afterwards (VCLT art. 8).
    unauthorised: bool = False

    @property
    def pending(self) -> bool:
        """A signature ad referendum, or one made without the power to sign, awaits its
        state's confirmation."""
        return (self.ad_referendum or self.unauthorised) and self.confirmed_seq is None


@dataclass
class Motion:
    """A procedural motion a delegation moved on a text, and what became of it."""

    id: str  # the motion event's hash
    seq: int
    state: str
    kind: str  # one of MOTIONS
    text_id: str
    version: int  # the version it was moved on: its effect ends with the next one
    reason: str
    decided: str | None = None  # adopted or rejected by a decision on it
    parts: tuple[str, ...] = ()  # division: the paragraphs decided separately

    def label(self) -> str:
        return f"{self.state}'s motion for {self.kind.replace('_', ' ')} on {self.text_id}"


class Reopening(NamedTuple):
    """A paragraph agreed ad ref and reopened: by whom and why, shown with the text."""

    seq: int
    by: str  # the state, or "the chair"
    reason: str | None


@dataclass
class TextRecord:
    versions: list[Version] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # paragraph -> agreed_ad_ref
    history: list[tuple[int, str]] = field(default_factory=list)  # seq, what happened
    reopened: dict[str, Reopening] = field(default_factory=dict)  # by paragraph

    @property
    def current(self) -> Version:
        return self.versions[-1]
