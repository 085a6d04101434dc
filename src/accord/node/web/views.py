"""What the pages show, computed from the node's verified replica.

Each function takes what the node recomputed (the conference state, the negotiation)
and returns plain frozen records the templates lay out: no template decides what the
record means.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.core import events as ev
from accord.core.credentials import FullPowers
from accord.core.keys import fingerprint
from accord.core.negotiation import Negotiation
from accord.core.proceedings import Decision, Subject
from accord.core.texts import (
    Bracket,
    CompiledParagraph,
    ParagraphDiff,
    Place,
    Proposal,
    diff_versions,
    paragraph_label,
)
from accord.core.times import format_time
from accord.node.local_time import at
from accord.node.replica import Alert
from accord.node.session import Node


def short(proposal_id: str) -> str:
    return proposal_id.removeprefix("sha256:")[:12]


@dataclass(frozen=True)
class Me:
    """Who this node acts as in a conference."""

    label: str
    state: str | None
    powers: tuple[str, ...]
    is_chair: bool
    chair_name: str


def me(node: Node, conf: str) -> Me:
    membership = node.replica.membership(conf)
    state = node.view(conf).state
    assert membership is not None and state is not None
    chair = state.genesis.chair
    fp = FullPowers.parse(membership.credential) if membership.credential else None
    is_chair = chair.key == node.identity.public
    if fp is not None:
        label = fp.label()
    else:
        label = f"{chair.name} (chair)" if is_chair else "following, without full powers"
    return Me(label, fp.state if fp else None, tuple(fp.powers) if fp else (), is_chair, chair.name)


# -- trust -------------------------------------------------------------------------------
# Alerts about keys and powers (`Node._key_alerts`): the record verifies, but something in
# it needs the delegate now. Every other alert means the record itself did not verify.
KEY_ALERTS = frozenset({
    "new_device", "colleague_device", "verified_key_changed", "colleague_key_changed",
    "credential_revoked", "colleague_revoked", "device_withdrawn",
})  # fmt: skip


@dataclass(frozen=True)
class Badge:
    """The verification badge: green with the last verified entry, or red with why."""

    ok: bool
    record_ok: bool  # red for a key or powers alert, with a record that verifies
    verified_to: int
    text: str
    alerts: tuple[Alert, ...]


def badge(node: Node, conf: str, unreachable: str | None = None) -> Badge:
    alerts = tuple(node.replica.alerts(conf))
    length = node.replica.length(conf)
    broken = [a for a in alerts if a.code not in KEY_ALERTS]
    if broken:
        first = broken[0]
        where = f" at entry #{first.seq}" if first.seq is not None else ""
        text = f"Record NOT verified: {first.code.replace('_', ' ')}{where}"
        return Badge(False, False, length - 1, text, alerts)
    if alerts:
        codes = ", ".join(dict.fromkeys(a.code.replace("_", " ") for a in alerts))
        text = f"Record verified up to entry #{length - 1}; ALERT: {codes}"
        return Badge(False, True, length - 1, text, alerts)
    text = f"Record verified up to entry #{length - 1}"
    if unreachable is not None:
        text += f" (relay unreachable: showing this node's verified copy, {node.synced_note(conf)})"
    return Badge(True, True, length - 1, text, alerts)


@dataclass(frozen=True)
class Contact:
    label: str
    state: str
    delegate: str
    powers: str
    fingerprint: str
    safety_number: str
    verified: bool
    revoked: bool
    me: bool


def contacts(node: Node, conf: str) -> list[Contact]:
    state = node.view(conf).state
    assert state is not None
    mine = node.identity.public
    out = []
    for fp in state.credentials.values():
        number = node.safety_number_with(fp.key) if fp.key != mine else ""
        out.append(
            Contact(
                fp.label(),
                fp.state,
                fp.delegate,
                ", ".join(fp.powers),
                fingerprint(fp.key),
                number,
                node.is_verified(fp),
                state.revocation(fp) is not None,
                fp.key == mine,
            )
        )
    return sorted(out, key=lambda c: (c.state, c.delegate))


# -- channels and messages -------------------------------------------------------------
@dataclass(frozen=True)
class ChannelView:
    id: str
    kind: str
    members: str
    unread: int
    last_seq: int


def channels(node: Node, conf: str) -> list[ChannelView]:
    """The channels this node's delegation reads, with unread counts (from the marks the
    replica keeps of what the delegate has seen)."""
    state = node.view(conf).state
    assert state is not None
    who = me(node, conf)
    marks = node.replica.read_marks(conf)
    out = []
    rooms = [(ev.PLENARY, "plenary", "all delegations")]
    for cid, room in sorted(state.channels.items()):
        if room.admits(who.state, who.is_chair):
            rooms.append((cid, room.spec.kind, ", ".join(room.spec.members)))
    for cid, kind, members in rooms:
        seqs = [m.seq for m in state.messages.values() if m.channel == cid]
        seen = marks.get(cid, -1)
        out.append(
            ChannelView(cid, kind, members, sum(1 for s in seqs if s > seen), max(seqs, default=-1))
        )
    return out


@dataclass(frozen=True)
class MessageView:
    seq: int
    time: str
    author: str
    text: str | None
    problem: str | None
    void: str | None


def messages(node: Node, conf: str, channel: str) -> list[MessageView]:
    zone = _zone(node, conf)
    return [
        MessageView(
            r.message.seq,
            at(r.message.time, zone),
            r.message.author,
            r.text,
            r.problem,
            r.message.void,
        )
        for r in node.messages(conf)
        if r.message.channel == channel
    ]


@dataclass(frozen=True)
class Turn:
    """Messages one author posted one after another: a turn in the conversation; `new`
    once the first message the delegate had not seen is in it (from its index)."""

    author: str
    messages: tuple[MessageView, ...]
    first_new: int | None  # index of the first unseen message in this turn


def conversation(items: list[MessageView], seen: int) -> list[Turn]:
    """The channel's messages as turns: consecutive messages of one author together, the
    first message after `seen` (the delegate's read mark) marked, once."""
    turns: list[Turn] = []
    marked = False
    for m in items:
        new = not marked and m.seq > seen
        marked = marked or new
        if turns and turns[-1].author == m.author:
            last = turns[-1]
            first_new = len(last.messages) if new else last.first_new
            turns[-1] = Turn(last.author, (*last.messages, m), first_new)
        else:
            turns.append(Turn(m.author, (m,), 0 if new else None))
    return turns


def _zone(node: Node, conf: str) -> str:
    state = node.view(conf).state
    return state.genesis.rules.procedure.time_zone if state is not None else "UTC"


# -- the negotiating text --------------------------------------------------------------
@dataclass(frozen=True)
class Alt:
    text: str
    label: str  # "(1) " for competing alternatives
    attribution: str | None  # None: the words as tabled
    proposal: str | None  # short id


@dataclass(frozen=True)
class Part:
    plain: str | None
    alternatives: tuple[Alt, ...] = ()


@dataclass(frozen=True)
class ParagraphView:
    id: str
    number: str
    kind: str
    agreed: bool
    parts: tuple[Part, ...]
    plain: str
    deletion: str | None  # attribution of proposals to delete the paragraph
    replacements: tuple[tuple[str, str, str], ...]  # text, attribution, short id
    unplaced: tuple[tuple[str, str], ...]  # state, words not found
    proposed_by: str | None  # a new paragraph proposed by a delegation


def _parts(c: CompiledParagraph) -> tuple[Part, ...]:
    out = []
    for piece in c.pieces:
        if isinstance(piece, str):
            out.append(Part(piece))
        elif isinstance(piece, Bracket):
            out.append(Part(None, tuple(Alt(a or "—", "", None, None) for a in piece.alternatives)))
        else:
            assert isinstance(piece, Place)
            shown = [a for a in piece.alternatives if a.proposal is not None or a.text]
            numbered = len(shown) > 1
            alts = []
            for k, a in enumerate(shown, start=1):
                words = a.text.strip() if numbered else a.text
                if a.proposal is None:
                    alts.append(Alt(words, f"({k}) " if numbered else "", None, None))
                else:
                    deletion = not a.text
                    alts.append(
                        Alt(
                            "DELETE" if deletion else words,
                            f"({k}) " if numbered else "",
                            a.proposal.attribution(deletion),
                            short(a.proposal.id),
                        )
                    )
            out.append(Part(None, tuple(alts)))
    return tuple(out)


def paragraphs(negotiation: Negotiation, text_id: str, version: int) -> list[ParagraphView]:
    out = []
    for c in negotiation.compiled(text_id, version):
        p = c.paragraph
        out.append(
            ParagraphView(
                id=p.id,
                number=p.number,
                kind=p.kind,
                agreed=c.status == "agreed_ad_ref",
                parts=_parts(c),
                plain=p.plain,
                deletion=" / ".join(d.attribution(True) for d in c.deletions) or None,
                replacements=tuple(
                    (r.amendment.new or "", r.attribution(), short(r.id))
                    for r in (c.replacements if not c.proposed else ())
                ),
                unplaced=tuple((u.state, u.amendment.old or "") for u in c.unplaced),
                proposed_by=c.replacements[0].attribution() if c.proposed else None,
            )
        )
    return out


def proposal_name(n: Negotiation, p: Proposal) -> str:
    """ "BOR's proposal on paragraph 2 (insert words)": the paragraph as numbered in the
    version the proposal was made on."""
    a = p.amendment
    record = n.texts.get(a.text_id)
    where = a.paragraph
    if record is not None and 1 <= a.version <= len(record.versions):
        paragraph = record.versions[a.version - 1].paragraph(a.paragraph)
        if paragraph is not None:
            where = paragraph_label(paragraph)
    place = f"after {where}" if a.op == "add_after" else f"on {where}"
    return f"{p.state}'s proposal {place} ({a.op.replace('_', ' ')})"


@dataclass(frozen=True)
class ProposalView:
    id: str
    short: str
    state: str
    version: int
    paragraph: str
    op: str
    old: str | None
    new: str | None
    rationale: str | None
    supporters: str
    opposers: str
    status: str  # open, withdrawn, incorporated, merged, dropped
    mine: bool
    name: str = ""  # as diplomats name it: "BOR's proposal on paragraph 2 (insert words)"


def proposals(negotiation: Negotiation, text_id: str, my_state: str | None) -> list[ProposalView]:
    out = []
    for p in sorted(negotiation.proposals.values(), key=lambda p: p.seq):
        a = p.amendment
        if a.text_id != text_id:
            continue
        new = a.new if a.new_paragraph is None else a.new_paragraph.plain
        out.append(
            ProposalView(
                p.id,
                short(p.id),
                p.state,
                a.version,
                a.paragraph,
                a.op.replace("_", " "),
                a.old,
                new,
                a.rationale,
                ", ".join(sorted(p.supporters)),
                ", ".join(sorted(p.opposers)),
                _status(p),
                p.state == my_state,
                proposal_name(negotiation, p),
            )
        )
    return out


def _status(p: Proposal) -> str:
    if p.withdrawn_at is not None:
        return "withdrawn"
    return p.outcome or "open"


def diff(negotiation: Negotiation, text_id: str, a: int, b: int) -> list[ParagraphDiff]:
    record = negotiation.texts[text_id]
    return diff_versions(record.versions[a - 1], record.versions[b - 1])


# -- decisions -------------------------------------------------------------------------
@dataclass(frozen=True)
class Objection:
    seq: int
    time: str
    state: str
    kind: str
    text: str


@dataclass(frozen=True)
class DecisionView:
    id: str
    seq: int
    procedure: str
    rule: str | None
    subject: str
    text_id: str
    version: int
    deadline_ms: int | None
    deadline: str | None
    time_zone: str | None
    outcome: str
    closed: bool
    claimed: str | None
    objections: tuple[Objection, ...]
    late: tuple[Objection, ...]
    tally: str
    votes: tuple[tuple[str, str, str | None], ...]  # state, vote, explanation
    roll_call: tuple[tuple[str, str], ...] = ()  # procedure 2: every member, absent too
    quorum: str | None = None  # procedure 2: why nothing was adopted, if the quorum failed


def subject_label(n: Negotiation, subject: Subject) -> str:
    """What a decision is on, as the pages name it: paragraphs by their printed number,
    a proposal by paragraph and proponent, a motion by its mover (not by ids or hashes)."""
    if subject.kind == "credentials":
        return subject.label()
    where = ""
    record = n.texts.get(subject.text_id)
    if subject.paragraph is not None and record is not None:
        paragraph = record.versions[subject.version - 1].paragraph(subject.paragraph)
        where = f", {paragraph_label(paragraph)}" if paragraph is not None else where
    on = f"{subject.text_id} version {subject.version}{where}"
    if subject.kind == "proposal" and subject.proposal in n.proposals:
        return f"{proposal_name(n, n.proposals[subject.proposal])} on {on}"
    if subject.kind == "motion" and subject.proposal in n.motions:
        return f"{n.motions[subject.proposal].label()}, version {subject.version}"
    return on + (" as the basis for negotiation" if subject.kind == "basis" else "")


def decisions(negotiation: Negotiation) -> list[DecisionView]:
    return [_decision(negotiation, d) for d in negotiation.decisions.values()]


def _decision(n: Negotiation, d: Decision) -> DecisionView:
    now = n.last_time
    tally = d.tally()
    return DecisionView(
        id=d.id,
        seq=d.seq,
        procedure=d.procedure,
        rule=d.rule,
        subject=subject_label(n, d.subject),
        text_id=d.subject.text_id,
        version=d.subject.version,
        deadline_ms=d.deadline,
        deadline=at(d.deadline, d.time_zone or "UTC") if d.deadline is not None else None,
        time_zone=d.time_zone,
        outcome=d.outcome(now),
        closed=d.closed_seq is not None,
        claimed=d.claimed,
        objections=tuple(Objection(s, format_time(t), st, k, x) for s, t, st, k, x in d.objections),
        late=tuple(Objection(s, format_time(t), st, k, "") for s, t, st, k in d.late),
        tally=f"{tally['yes']} yes, {tally['no']} no, {tally['abstain']} abstaining",
        votes=tuple((state, v, x) for state, (_, v, x) in sorted(d.votes.items())),
        roll_call=tuple(d.roll_call()) if d.procedure == "vote" and d.settings.version > 1
        else (),
        quorum=None if d.procedure != "vote" or d.settings.version < 2 or d.quorum_met
        else f"no quorum: {d.settings.quorum} member states must answer",
    )  # fmt: skip
