"""The content of each negotiation act, built from what a delegate chose.

The command line and the web interface both build acts here, so that a proposal made
from either is the same act. Nothing here signs or posts: `Node.negotiate` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accord.core.errors import AccordError
from accord.core.texts import WORD_OPS, Amendment, Version

if TYPE_CHECKING:  # the fold loads only where a command needs it
    from accord.core.negotiation import Negotiation

OUTCOMES = ("incorporated", "merged", "dropped")


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


def deadline_ms(text: str, zone: str) -> int:
    """`2026-12-04 12:00` in the named time zone, as protocol milliseconds."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ActError(f"unknown time zone {zone!r}") from exc
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ActError(f"not a date and time: {text!r} (write 2026-12-04 12:00)") from exc
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
    target = current.paragraph(paragraph)
    if target is None:
        raise ActError(
            f"version {current.number} of {current.text_id} has no paragraph {paragraph!r}"
        )
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
    return {"text": current.text_id, "version": current.number, "paragraph": paragraph,
            "status": status, "reason": reason}  # fmt: skip


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
