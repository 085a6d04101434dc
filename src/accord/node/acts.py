"""The content of each negotiation act, built from what a delegate chose.

The command line and the web interface both build acts here, so that a proposal made
from either is the same act. Nothing here signs or posts: `Node.negotiate` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accord.core import revision as rev
from accord.core.errors import AccordError
from accord.core.texts import (
    WORD_OPS,
    Amendment,
    Paragraph,
    Proposal,
    Segment,
    Version,
    diff_versions,
    paragraph_label,
)

if TYPE_CHECKING:  # the fold loads only where a command needs it
    from accord.core.negotiation import Negotiation

OUTCOMES = ("incorporated", "merged", "dropped", "carried")


class ActError(AccordError):
    """What the delegate asked for cannot make an act, and why."""


def version_of(negotiation: Negotiation, text: str, number: int | None = None) -> Version:
    """A version of a text, by number (default: the current one), or a clear error."""
    record = negotiation.texts.get(text)
    if record is None:
        known = ", ".join(sorted(negotiation.texts)) or "none yet"
        raise ActError(f"no text {text!r} in this conference (texts: {known})")
    if number is None:
        return record.current
    if not 1 <= number <= len(record.versions):
        raise ActError(f"{text} has versions 1 to {len(record.versions)}")
    return record.versions[number - 1]


def paragraph_id(version: Version, given: str) -> str:
    """The id of the paragraph of `version` that `given` names: its number as `text show`
    prints it (`2`, `2.`, `PP1`, `PP 1`, `1 bis`, `Article 5 bis`, `paragraph 2`) or its
    id (`op2`). One that names none, or more than one, is refused, listing the text's."""
    key = rev.number_key(given)
    articles_only = given.strip().lower().startswith(("article", "art."))
    found = [
        p for p in version.paragraphs
        if p.id == given.strip()
        or (rev.number_key(p.number) == key and (p.kind == "article" or not articles_only))
    ]  # fmt: skip
    if len(found) == 1:
        return found[0].id
    listed = ", ".join(f"{printed(p)} ({p.id})" for p in (found or version.paragraphs))
    if found:
        raise ActError(f"{given!r} names more than one paragraph: {listed}; write one of these")
    raise ActError(
        f"version {version.number} of {version.text_id} has no paragraph {given!r}: its "
        f"paragraphs are {listed}"
    )


def printed(paragraph: Paragraph) -> str:
    """A paragraph's number as it is typed and accepted (`PP1`, `2`, `Article 5 bis`)."""
    if paragraph.kind == "article" and not paragraph.number.lower().startswith("art"):
        return f"Article {paragraph.number}"
    return paragraph.number


def typed(version: Version) -> str:
    """A version as typed text (the title, then each paragraph by its number, tabled
    brackets included): what `documents.typed_text` reads back, for the chair to edit."""
    lines = [version.title, ""]
    for p in version.paragraphs:
        lines += [f"{printed(p)}. {p.plain}", ""]
    return "\n".join(lines)


class ProposedRevision(NamedTuple):
    """The next version as computed (or as edited), the outcomes to list (full proposal
    id, outcome), and what a chair reads before issuing it."""

    version: dict[str, Any]
    outcomes: list[tuple[str, str]]
    summary: str


CHOICES = tuple(rev.CHOICES)  # accept, merge, reject, carry


def proposed_revision(
    negotiation: Negotiation,
    text_id: str,
    choices: Mapping[str, str],
    typed_text: str | None = None,
    wording: Mapping[str, str] | None = None,
    draft: bool = False,
) -> ProposedRevision:
    """The chair's next version of `text_id` computed from a choice on each open proposal
    (`choices`: proposal id or prefix -> accept, merge, reject or carry): accepted ones
    applied as proposed, the chair's `wording` (paragraph as printed -> words) for merged
    paragraphs. With `typed_text` (the computed text as the chair edited it), that text
    is the version, and the outcomes are checked against it. Refused, with the reason,
    where every member's fold would refuse it (rules of procedure 2), and under either
    rules where a proposal would be listed incorporated without its effect or left open
    against an old version; a merge that changed nothing is refused unless `draft` (a
    preview, or a text written out for editing), which only says so."""
    current = version_of(negotiation, text_id)
    versions = negotiation.texts[text_id].versions
    carrying = negotiation.state.genesis.rules.procedure.version >= 2
    proposals = sorted(
        (p for p in negotiation.proposals.values()
         if p.amendment.text_id == text_id
         and (p.open or (p.decided == "adopted" and p.outcome is None))),
        key=lambda p: p.seq,
    )  # fmt: skip
    full: dict[str, str] = {}
    for given, choice in choices.items():
        p = negotiation.proposal(given)
        if p.id in full and full[p.id] != choice:
            raise ActError(f"{_named(p, versions)} is given two choices ({full[p.id]}, {choice})")
        if all(p is not q for q in proposals):
            raise ActError(f"{_named(p, versions)} is no longer open ({_fate(p)})")
        full[p.id] = choice
    if not carrying and "carry" in full.values():
        raise ActError(
            "this conference negotiates under rules of procedure 1, which carry no proposal to "
            "the next version: accept, merge or reject it (its delegation may propose it again)"
        )
    segments = {paragraph_id(current, k): _segments(v, text_id) for k, v in (wording or {}).items()}
    edited = None if typed_text is None else _edited(typed_text, current, proposals, full)
    made = rev.revise(versions, proposals, full, segments, edited, carrying)
    if made.untouched and not draft:
        raise ActError(
            f"{'; '.join(_named(p, versions) for p in made.untouched)}: merged, but its "
            "paragraph is unchanged: give the merged wording (or edit the text), or choose "
            "another outcome"
        )
    return ProposedRevision(
        made.version.to_json(),
        [(p.id, outcome) for p, outcome in made.outcomes],
        _summary(current, made, versions),
    )


def _named(p: Proposal, versions: list[Version]) -> str:
    return rev.describe(p, versions[p.amendment.version - 1])


def _fate(p: Proposal) -> str:
    if p.withdrawn_at is not None:
        return "withdrawn"
    return p.outcome or f"{p.decided} by a decision"


def _segments(words: str, text_id: str) -> tuple[Segment, ...]:
    """The chair's wording for a paragraph, brackets read as typed text reads them."""
    from accord.documents.typed_text import read_lines  # noqa: PLC0415

    try:
        version = Version.parse(read_lines(["wording", f"1. {words}"], text_id).version)
    except AccordError as exc:
        raise ActError(f"the wording {words[:40]!r} cannot be read: {exc}") from exc
    return version.paragraphs[0].segments


def _edited(
    typed_text: str, current: Version, proposals: list[Proposal], choices: dict[str, str]
) -> Version:
    """The edited typed text as the next version. Typed text names paragraphs only by
    their numbers: a paragraph keeps the id (and kind and number as written) of the one
    numbered alike in the current version, or in a paragraph an accepted or merged
    proposal adds; others take the ids the reading gives."""
    from accord.documents.typed_text import read_lines  # noqa: PLC0415

    try:
        reading = read_lines(typed_text.splitlines(), current.text_id, current.number + 1)
    except AccordError as exc:
        raise ActError(f"the edited text cannot be read: {exc}") from exc
    known: dict[str, Paragraph] = {}
    added = [p.amendment.new_paragraph for p in proposals
             if choices.get(p.id) in ("accept", "merge") and p.amendment.new_paragraph]  # fmt: skip
    for p in [*current.paragraphs, *added]:
        known.setdefault(rev.number_key(p.number), p)
    value = reading.version
    for p in value["paragraphs"]:
        same = known.get(rev.number_key(p["number"]))
        if same is not None:
            p.update(id=same.id, kind=same.kind, number=same.number)
    try:
        return Version.parse(value)
    except AccordError as exc:
        raise ActError(f"the edited text cannot be read: {exc}") from exc


def _summary(current: Version, made: rev.Revision, versions: list[Version]) -> str:
    v = made.version
    lines = [f"{v.text_id} version {v.number} ({v.title}), revising version {current.number}:"]
    for p, outcome in made.outcomes:
        to = f" to version {v.number}, still open" if outcome == "carried" else ""
        lines.append(f"  {outcome}{to}: {_named(p, versions)}")
    for p in made.untouched:
        lines.append(
            f"  to do: {_named(p, versions)} is merged, but its paragraph is unchanged: give "
            "the merged wording (--wording) or edit the text"
        )
    changes = diff_versions(current, v)
    lines.append("  changes:" if changes else "  no paragraph changed")
    for change in changes:
        paragraph = v.paragraph(change.paragraph) or current.paragraph(change.paragraph)
        assert paragraph is not None
        lines.append(f"    {paragraph_label(paragraph)} ({change.change}): {change.words}")
    return "\n".join(lines)


RELATIVE = re.compile(r"\+\s*(\d{1,6})\s*(d|days?|h|hours?|min|minutes?)")
UNIT_MS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000}


def deadline_ms(text: str, zone: str, now: int | None = None) -> int:
    """`2026-12-04 12:00` in the named time zone, as protocol milliseconds; or, given
    `now`, a period from now: `+96h`, `+4d`, `+90min`."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ActError(f"unknown time zone {zone!r}") from exc
    relative = RELATIVE.fullmatch(text.strip())
    if relative is not None and now is not None:
        return now + int(relative.group(1)) * UNIT_MS[relative.group(2)[0]]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ActError(
            f"not a date and time: {text!r} (write 2026-12-04 12:00, or a period from now: "
            "+96h, +4d)"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return int(moment.timestamp() * 1000)


def table(version: dict[str, Any]) -> dict[str, Any]:
    return {"version": version, "outcomes": []}


def revision(version: dict[str, Any], outcomes: list[tuple[str, str]]) -> dict[str, Any]:
    """A revised version, with what became of each proposal (full id, outcome); one
    proposal given two outcomes is refused here, as every member's fold would."""
    given: dict[str, str] = {}
    for proposal, outcome in outcomes:
        if outcome not in OUTCOMES:
            raise ActError(f"{outcome!r} is not an outcome for proposal {proposal}")
        if proposal in given:
            raise ActError(
                f"proposal {proposal} is given two outcomes ({given[proposal]}, {outcome})"
            )
        given[proposal] = outcome
    return {
        "version": version,
        "outcomes": [{"proposal": p, "outcome": o} for p, o in given.items()],
    }


def amendment(
    current: Version,
    paragraph: str,
    op: str,
    old: str | None,
    new: str | None,
    occurrence: int = 1,
    new_id: str | None = None,
    new_number: str | None = None,
    rationale: str | None = None,
) -> dict[str, Any]:
    """A proposal against the current version of a text, checked as every member will
    check it (its form, the paragraph, the words it names): refused here with the
    reason, rather than posted and flagged without effect."""
    paragraph = paragraph_id(current, paragraph)
    target = current.paragraph(paragraph)
    assert target is not None
    new_paragraph = None
    if op == "add_after":
        new_paragraph = {"id": new_id, "kind": "operative", "number": new_number,
                         "segments": [new]}  # fmt: skip
        new = None
    content = {
        "text": current.text_id, "version": current.number, "paragraph": paragraph, "op": op,
        "old": old, "occurrence": occurrence, "new": new, "new_paragraph": new_paragraph,
        "rationale": rationale,
    }  # fmt: skip
    amendment = Amendment.parse(content)  # SchemaError: a malformed proposal
    if op in WORD_OPS and amendment.span(target) is None:
        raise ActError(f"the words {old!r} are not in paragraph {target.number}")
    return content


def stance(proposal: str, what: str) -> dict[str, Any]:
    """Support, oppose (another's) or withdraw (one's own) proposal, by full id."""
    return {"proposal": proposal, "stance": what}


def paragraph_status(
    current: Version, paragraph: str, status: str, reason: str | None
) -> dict[str, Any]:
    return {"text": current.text_id, "version": current.number,
            "paragraph": paragraph_id(current, paragraph), "status": status,
            "reason": reason}  # fmt: skip


def decision(
    decision_id: str,
    version: Version,
    paragraph: str | None,
    procedure: str,
    rule: str | None = None,
    deadline: int | None = None,
    time_zone: str | None = None,
    kind: str | None = None,
    proposal: str | None = None,
) -> dict[str, Any]:
    """A decision's content. `kind` is for conferences under rules of procedure version 2
    (adoption, basis, or proposal with the proposal's id); None writes version 1's form."""
    if paragraph is not None:
        paragraph = paragraph_id(version, paragraph)
    subject: dict[str, Any] = {"text": version.text_id, "version": version.number,
                               "hash": version.hash, "paragraph": paragraph}  # fmt: skip
    if kind in ("proposal", "motion"):
        subject = {"kind": kind, kind: proposal}
    elif kind is not None:
        subject["kind"] = kind
    return {
        "decision": decision_id, "subject": subject,
        "procedure": procedure, "rule": rule, "deadline": deadline,
        "time_zone": time_zone if deadline is not None else None,
    }  # fmt: skip


def motion(kind: str, text_id: str, reason: str, parts: list[str] | None = None) -> dict[str, Any]:
    """A procedural motion (procedure 2): closure or adjournment of debate, or division
    (`parts`: the paragraph ids to be decided separately)."""
    content: dict[str, Any] = {"motion": kind, "text": text_id, "reason": reason}
    if parts:
        content["parts"] = sorted(set(parts))
    return content


def credentials_decision(
    decision_id: str, report: str, procedure: str, rule: str | None = None,
    deadline: int | None = None, time_zone: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A decision of the plenary on a credentials report (its hash; procedure 2, 12.5)."""
    return {
        "decision": decision_id, "subject": {"kind": "credentials", "report": report},
        "procedure": procedure, "rule": rule, "deadline": deadline,
        "time_zone": time_zone if deadline is not None else None,
    }  # fmt: skip


def objection(
    decision_id: str, reason: str, amendment: bool = False, request_vote: bool = False
) -> dict[str, Any]:
    """An objection (consensus), silence broken with an objection or an amendment, or
    (procedure 2) a request for a vote, which a consensus does not survive."""
    kind = "vote" if request_vote else "amendment" if amendment else "objection"
    return {"decision": decision_id, "kind": kind, "text": reason}


def vote(decision_id: str, choice: str, explanation: str | None) -> dict[str, Any]:
    return {"decision": decision_id, "vote": choice, "explanation": explanation}


def close(decision_id: str, outcome: str) -> dict[str, Any]:
    return {"decision": decision_id, "claimed": outcome}


def signature(
    version: Version, initial: bool = False, ad_referendum: bool = False
) -> dict[str, Any]:
    return {"text": version.text_id, "version": version.number, "hash": version.hash,
            "act": "initialling" if initial else "signature",
            "ad_referendum": ad_referendum}  # fmt: skip


def statement(
    kind: str,
    words: str,
    decision: str | None = None,
    text: str | None = None,
    paragraph: str | None = None,
    on_behalf_of: str | None = None,
    aligns_with: int | None = None,
) -> dict[str, Any]:
    """A statement attributed to one's state, on a decision or a text (and paragraph);
    under rules of procedure 2, made on behalf of a group or aligning with one's."""
    content: dict[str, Any] = {
        "subject": {"decision": decision, "text": None if decision else text,
                    "paragraph": paragraph},
        "kind": kind, "text": words,
    }  # fmt: skip
    if on_behalf_of is not None:
        content["on_behalf_of"] = on_behalf_of
    if aligns_with is not None:
        content["aligns_with"] = aligns_with
    return content
