"""The rules of the fold for acts on texts (docs/protocol.md 12.2): tabling a text or a
revised version, proposing amendments, supporting, opposing or withdrawing them, and
marking paragraphs agreed ad ref or reopening them. Each function applies one act to the
`Negotiation`, or raises `Refused` with the reason it has no effect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.core import events as ev
from accord.core import revision, schema
from accord.core.errors import SchemaError
from accord.core.proceedings import STANCES, Refused, Reopening, TextRecord
from accord.core.texts import TEXT_ID, Amendment, Proposal, Version, paragraph_label
from accord.core.times import format_time

if TYPE_CHECKING:
    from accord.core.negotiation import Negotiation


def table_text(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "text content", ("version", "outcomes"))
    version = Version.parse(d["version"])
    by = "the chair"
    if state is not None:  # a facilitator (12.8), for its own item only
        if n.state.meetings.facilitator_at(version.text_id, seq) != state:
            raise Refused(
                f"{state} is not the facilitator for {version.text_id}: a facilitator tables "
                "and revises the text of its own item"
            )
        by = f"the facilitator ({state})"
    record = n.texts.get(version.text_id)
    expected = 1 if record is None else len(record.versions) + 1
    if version.number != expected:
        raise Refused(f"version {version.number} of {version.text_id}; the next is {expected}")
    outcomes = d["outcomes"]
    if not isinstance(outcomes, list):
        raise SchemaError("outcomes must be a list")
    if record is None:
        if outcomes:
            raise Refused("a text tabled for the first time decides no proposals")
        record = n.texts[version.text_id] = TextRecord()
        record.history.append((seq, f"tabled by {by} at {format_time(time)}"))
    else:
        previous = record.current
        decided = _outcomes(n, version.text_id, outcomes)
        _decide(decided, _checked(n, record, version, decided))
        # A paragraph keeps its agreed ad ref mark, or its reopening, only if its text
        # did not change.
        for marks in (record.status, record.reopened):
            for pid in list(marks):
                old, new = previous.paragraph(pid), version.paragraph(pid)
                if new is None or old is None or old.plain != new.plain:
                    del marks[pid]
        said = ", ".join(f"{p.state}'s proposal {o}" for p, o in decided)
        record.history.append(
            (seq, f"version {version.number} issued by {by} at {format_time(time)}"
                  + (f": {said}" if said else ""))
        )  # fmt: skip
    record.versions.append(version)


def _outcomes(n: Negotiation, text_id: str, outcomes: list[Any]) -> list[tuple[Proposal, str]]:
    """What a revision decides of the open proposals on its text. A proposal adopted by a
    decision (procedure 2) is incorporated, and in the first revision after it; under
    procedure 2 a proposal may also be carried to the next version."""
    second = n.state.genesis.rules.procedure.version >= 2
    allowed = revision.OUTCOMES_2 if second else revision.OUTCOMES
    decided: list[tuple[Proposal, str]] = []
    for item in outcomes:
        o = schema.obj(item, "proposal outcome", ("proposal", "outcome"))
        proposal = n.proposals.get(o["proposal"])
        outcome = schema.choice(o["outcome"], "outcome", allowed)
        if proposal is None or proposal.amendment.text_id != text_id:
            raise Refused(f"no proposal {o['proposal']} on this text")
        owed = proposal.decided == "adopted" and proposal.outcome is None
        if not proposal.open and not owed:
            raise Refused(f"proposal {proposal.id} is no longer open")
        if owed and outcome != "incorporated":
            raise Refused(f"proposal {proposal.id} was adopted by a decision: it is incorporated")
        if any(p is proposal for p, _ in decided):
            raise Refused(f"proposal {proposal.id} is given two outcomes")
        decided.append((proposal, outcome))
    missing = [
        p.id for p in n.proposals.values()
        if p.amendment.text_id == text_id and p.decided == "adopted" and p.outcome is None
        and all(p is not q for q, _ in decided)
    ]  # fmt: skip
    if missing:
        raise Refused(
            f"the proposals adopted by decision ({', '.join(missing)}) are incorporated in the "
            "next version, and listed as such"
        )
    return decided


def _decide(decided: list[tuple[Proposal, str]], carried: dict[str, Amendment]) -> None:
    for proposal, outcome in decided:
        if outcome == "carried":  # open still, against the new version
            proposal.amendment = carried[proposal.id]
        else:
            proposal.outcome = outcome


def _checked(
    n: Negotiation, record: TextRecord, version: Version, decided: list[tuple[Proposal, str]]
) -> dict[str, Amendment]:
    """Rules of procedure 2 (12.4.1): each proposal listed incorporated has its effect in
    the new version; each carried still finds its words there (it is re-anchored: the
    amendments returned, by proposal); every open proposal on the version revised is
    decided or carried. Under procedure 1 a revision's outcomes are the chair's word."""
    if n.state.genesis.rules.procedure.version < 2:
        return {}
    carried: dict[str, Amendment] = {}
    incorporated = [p for p, outcome in decided if outcome == "incorporated"]
    for proposal, outcome in decided:
        before = record.versions[proposal.amendment.version - 1]
        if outcome == "incorporated":
            revision.check_incorporated(before, version, proposal, incorporated)
        elif outcome == "carried":
            carried[proposal.id] = revision.carry(before, version, proposal)
    still_open = [p for p in n.proposals.values()
                  if p.open and p.amendment.text_id == version.text_id]  # fmt: skip
    revision.left_open(record.current, still_open, [p for p, _ in decided])
    return carried


def amend(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    if state is None:
        raise Refused("the chair revises the text rather than proposing amendments to it")
    amendment = Amendment.parse(content)
    record = n.record(amendment.text_id)
    current = record.current
    if amendment.version != current.number:
        raise Refused(
            f"the amendment is to version {amendment.version}; the text is at version "
            f"{current.number}"
        )
    paragraph = current.paragraph(amendment.paragraph)
    if paragraph is None:
        raise Refused(
            f"paragraph {amendment.paragraph} is not in version {current.number} (deleted)"
        )
    closed = n.debate_motion(amendment.text_id, "closure_of_debate")
    if closed is not None:
        raise Refused(f"the debate on {amendment.text_id} is closed ({closed.label()}, "
                      "adopted): no further amendment to this version")  # fmt: skip
    if record.status.get(paragraph.id) == "agreed_ad_ref":
        raise Refused(f"paragraph {paragraph.number} is agreed ad ref: reopen it first")
    if amendment.op in ("replace_words", "delete_words", "insert_words") and (
        amendment.span(paragraph) is None
    ):
        raise Refused(f"the words {amendment.old!r} are not in paragraph {paragraph.number}")
    if amendment.new_paragraph is not None and current.paragraph(amendment.new_paragraph.id):
        raise Refused(f"paragraph id {amendment.new_paragraph.id} is already used")
    n.proposals[event.hash] = Proposal(event.hash, seq, state, amendment)


def take_stance(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "stance", ("proposal", "stance"))
    stance = schema.choice(d["stance"], "stance", STANCES)
    proposal = n.proposals.get(d["proposal"]) if isinstance(d["proposal"], str) else None
    if proposal is None:
        raise Refused("no such proposal")
    if state is None:
        raise Refused("the chair takes no position on proposals")
    if not proposal.open:
        raise Refused(f"proposal by {proposal.state} is no longer open")
    if stance == "withdraw":
        if state != proposal.state:
            raise Refused(f"only {proposal.state} may withdraw its proposal")
        proposal.withdrawn_at = seq
        return
    if state == proposal.state:
        raise Refused("a delegation does not support or oppose its own proposal")
    mine, other = (
        (proposal.supporters, proposal.opposers) if stance == "support"
        else (proposal.opposers, proposal.supporters)
    )  # fmt: skip
    other.pop(state, None)  # the latest stance of a state counts
    mine[state] = seq


def mark_paragraph(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    d = schema.obj(content, "paragraph status", ("text", "version", "paragraph", "status",
                                                 "reason"))  # fmt: skip
    record = n.record(schema.text(d["text"], "text id", pattern=TEXT_ID))
    status = schema.choice(d["status"], "status", {"agreed_ad_ref", "open"})
    reason = None if d["reason"] is None else schema.text(d["reason"], "reason", schema.MAX_REASON)
    if d["version"] != record.current.number:
        raise Refused("the status is for another version than the current one")
    paragraph = record.current.paragraph(d["paragraph"])
    if paragraph is None:
        raise Refused("no such paragraph in the current version")
    if state is not None and (status != "open" or "negotiate" not in powers):
        raise Refused("only the chair marks a paragraph agreed ad ref")
    if status == "open" and state is not None and not reason:
        raise Refused("a delegation reopening a paragraph gives its reason")
    label = paragraph_label(paragraph)
    if status == "agreed_ad_ref":
        if paragraph.bracketed and n.state.genesis.rules.procedure.clean_text:
            raise Refused(f"{label} still holds brackets: only agreed text is agreed ad ref")
        record.status[paragraph.id] = status
        record.reopened.pop(paragraph.id, None)
        what = f"{label} agreed ad ref"
    else:
        if record.status.pop(paragraph.id, None) is None:
            raise Refused(f"{label} is not agreed ad ref")
        record.reopened[paragraph.id] = Reopening(seq, state or "the chair", reason)
        what = f"{label} reopened by {state or 'the chair'}"
    record.history.append((seq, what + (f": {reason}" if reason else "")))
