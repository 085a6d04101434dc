"""Where things stand and what comes next, computed from the verified replica: each
text's status strip (versions, paragraphs not yet agreed, open proposals, pending
decisions, adoption, signatures), what waits for this delegate (by role: the chair's
tasks, the delegation's), and proposals named as diplomats name them: by paragraph and
proponent, not by hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.core.negotiation import Negotiation
from accord.core.proceedings import Decision, Outcome
from accord.node.local_time import at
from accord.node.web.views import Me, proposal_name, subject_label


@dataclass(frozen=True)
class Pending:
    """A decision not yet taken on a text, with its deadline (a silence's)."""

    id: str
    procedure: str
    deadline_ms: int | None
    deadline: str | None


@dataclass(frozen=True)
class TextStatus:
    """One text's status strip."""

    id: str
    title: str
    version: int
    versions: int
    paragraphs: int
    unagreed: int  # paragraphs of the current version not agreed ad ref
    open_proposals: int
    pending: tuple[Pending, ...]
    adopted: int | None  # the latest version adopted as a whole
    signed: tuple[str, ...]  # states that signed the adopted version
    members: int
    mine_to_sign: bool  # this delegate may sign for a state that has not

    @property
    def signatures(self) -> str:
        return f"{len(self.signed)} of {self.members}"


def _pending(n: Negotiation, text_id: str, zone: str) -> tuple[Pending, ...]:
    return tuple(
        Pending(d.id, d.procedure, d.deadline, at(d.deadline, zone) if d.deadline else None)
        for d in n.decisions.values()
        if d.subject.text_id == text_id and d.outcome(n.last_time) == Outcome.OPEN
        and d.closed_seq is None
    )  # fmt: skip


def text_status(n: Negotiation, text_id: str, me: Me) -> TextStatus:
    record = n.texts[text_id]
    current = record.current
    members = sorted(c for c, s in n.state.states.items() if s.role == "member")
    adopted = [v for v in record.versions if n.adopted(v.hash) is not None]
    last = adopted[-1] if adopted else None
    signed = tuple(sorted({
        s.state for s in n.signatures
        if last is not None and s.version_hash == last.hash and s.act == "signature"
    }))  # fmt: skip
    zone = n.state.genesis.rules.procedure.time_zone
    return TextStatus(
        id=text_id,
        title=current.title,
        version=current.number,
        versions=len(record.versions),
        paragraphs=len(current.paragraphs),
        unagreed=sum(1 for p in current.paragraphs if record.status.get(p.id) != "agreed_ad_ref"),
        open_proposals=sum(
            1 for p in n.proposals.values() if p.amendment.text_id == text_id and p.open
        ),
        pending=_pending(n, text_id, zone),
        adopted=last.number if last is not None else None,
        signed=signed,
        members=len(members),
        mine_to_sign=last is not None and "sign" in me.powers and me.state is not None
        and me.state not in signed,
    )  # fmt: skip


@dataclass(frozen=True)
class Task:
    """Something that waits for this delegate: what, where to do it, and how urgent
    (a deadline, when one applies)."""

    text: str
    href: str
    deadline_ms: int | None = None


def waiting(n: Negotiation, me: Me, conf: str, texts: list[TextStatus]) -> list[Task]:
    """What waits for this delegate, by role: the chair's tasks first, then the
    delegation's (answers due on open decisions, proposals of others without its
    stance, adopted texts it has not signed: `texts`, each text's status)."""
    tasks: list[Task] = []
    zone = n.state.genesis.rules.procedure.time_zone
    if me.is_chair:
        tasks += _chair_tasks(n, conf)
    if me.state is not None:
        for d in n.decisions.values():
            if d.closed_seq is None and d.outcome(n.last_time) == Outcome.OPEN:
                task = _answer_due(n, d, me, conf, zone)
                if task is not None:
                    tasks.append(task)
        if "negotiate" in me.powers:
            tasks += _stances_due(n, me, conf)
        for status in texts:
            if status.mine_to_sign:
                tasks.append(Task(
                    f"Sign version {status.adopted} of “{status.title}” for {me.state} "
                    f"(adopted; {status.signatures} member states have signed)",
                    f"/c/{conf}/t/{status.id}#sign",
                ))  # fmt: skip
    return tasks


def _chair_tasks(n: Negotiation, conf: str) -> list[Task]:
    tasks = []
    for d in n.decisions.values():
        if d.closed_seq is not None:
            continue
        if (
            d.procedure == "silence"
            and d.deadline is not None
            and not d.before_deadline(n.last_time)
        ):
            tasks.append(Task(
                f"Close decision {d.id}: its silence deadline has passed",
                f"/c/{conf}/decisions#d-{d.id}",
            ))  # fmt: skip
        elif d.procedure != "silence":
            tasks.append(Task(
                f"Close decision {d.id} ({d.procedure} on {subject_label(n, d.subject)}) "
                "when the room is ready",
                f"/c/{conf}/decisions#d-{d.id}",
            ))  # fmt: skip
    for tid, record in n.texts.items():
        current = record.current.number
        open_ = [p for p in n.proposals.values() if p.amendment.text_id == tid and p.open]
        owed = [
            p for p in n.proposals.values()
            if p.amendment.text_id == tid and p.decided == "adopted" and p.outcome is None
        ]  # fmt: skip
        if owed:
            tasks.append(Task(
                f"Incorporate {len(owed)} adopted proposal{'s' if len(owed) != 1 else ''} "
                f"in the next version of “{record.current.title}”",
                f"/c/{conf}/t/{tid}#revise",
            ))  # fmt: skip
        if open_:
            stale = sum(1 for p in open_ if p.amendment.version != current)
            tasks.append(Task(
                f"{len(open_)} open proposal{'s' if len(open_) != 1 else ''} on "
                f"“{record.current.title}”: issue a revised version or put one to a decision"
                + (f" ({stale} made on an earlier version)" if stale else ""),
                f"/c/{conf}/t/{tid}#revise",
            ))  # fmt: skip
    return tasks


def _answer_due(n: Negotiation, d: Decision, me: Me, conf: str, zone: str) -> Task | None:
    href = f"/c/{conf}/decisions#d-{d.id}"
    on = subject_label(n, d.subject)
    if d.procedure == "silence":
        if any(o.state == me.state for o in d.objections):
            return None
        return Task(
            f"Silence on {on} until {at(d.deadline, zone)}: break it, or let it pass",
            href, d.deadline,
        )  # fmt: skip
    if "adopt" not in me.powers:
        return None
    if d.procedure == "vote" and me.state not in d.votes:
        return Task(f"Vote on {on} (decision {d.id})", href)
    if d.procedure == "consensus" and not any(o.state == me.state for o in d.objections):
        return Task(f"Consensus sought on {on} (decision {d.id}): object, or stay silent", href)
    return None


def _stances_due(n: Negotiation, me: Me, conf: str) -> list[Task]:
    """Other delegations' open proposals on current versions on which this delegation
    has taken no stance, one task per text."""
    tasks = []
    for tid, record in n.texts.items():
        due = [
            p for p in n.proposals.values()
            if p.amendment.text_id == tid and p.open and p.state != me.state
            and p.amendment.version == record.current.number
            and me.state not in p.supporters and me.state not in p.opposers
        ]  # fmt: skip
        if due:
            names = "; ".join(proposal_name(n, p) for p in due[:3])
            more = f" and {len(due) - 3} more" if len(due) > 3 else ""
            tasks.append(Task(
                f"Support or oppose {len(due)} proposal{'s' if len(due) != 1 else ''} on "
                f"“{record.current.title}”: {names}{more}",
                f"/c/{conf}/t/{tid}#proposals",
            ))  # fmt: skip
    return tasks
