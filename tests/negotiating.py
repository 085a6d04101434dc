"""Contents of negotiation acts, for tests: a small text and the acts that change it."""

from __future__ import annotations

from typing import Any

from accord.core import events as ev
from accord.core.author import Author
from accord.core.texts import Version

TEXT_ID = "cica"
PARAGRAPHS = [
    (
        "pp1",
        "preambular",
        "PP1",
        "Recalling the eleven voluntary norms of responsible State behaviour,",
    ),
    ("op1", "operative", "1", "Each State shall designate a point of contact for ICT incidents."),
    ("op2", "operative", "2", "A State shall notify affected States of a significant incident."),
    ("op3", "operative", "3", "States shall review this arrangement every two years."),
]


def version(
    number: int = 1,
    paragraphs: list[tuple[str, str, str, str]] | None = None,
    title: str = "Cyber-Incident Cooperation Arrangement",
) -> dict[str, Any]:
    return {
        "text": TEXT_ID,
        "version": number,
        "title": title,
        "paragraphs": [
            {"id": i, "kind": k, "number": n, "segments": [t]}
            for i, k, n, t in (paragraphs or PARAGRAPHS)
        ],
    }


def table(v: dict[str, Any], outcomes: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {
        "version": v,
        "outcomes": [{"proposal": p, "outcome": o} for p, o in (outcomes or [])],
    }


def amend(
    paragraph: str,
    op: str,
    *,
    old: str | None = None,
    new: str | None = None,
    occurrence: int = 1,
    version: int = 1,
    new_paragraph: tuple[str, str, str, str] | None = None,
    rationale: str | None = None,
) -> dict[str, Any]:
    return {
        "text": TEXT_ID, "version": version, "paragraph": paragraph, "op": op, "old": old,
        "occurrence": occurrence, "new": new, "rationale": rationale,
        "new_paragraph": None if new_paragraph is None else {
            "id": new_paragraph[0], "kind": new_paragraph[1], "number": new_paragraph[2],
            "segments": [new_paragraph[3]],
        },
    }  # fmt: skip


def stance(proposal: str, what: str) -> dict[str, Any]:
    return {"proposal": proposal, "stance": what}


def status(
    paragraph: str, what: str, version: int = 1, reason: str | None = None
) -> dict[str, Any]:
    return {"text": TEXT_ID, "version": version, "paragraph": paragraph, "status": what,
            "reason": reason}  # fmt: skip


def decision(
    decision_id: str,
    v: dict[str, Any],
    procedure: str = "consensus",
    *,
    rule: str | None = None,
    deadline: int | None = None,
    time_zone: str | None = None,
    paragraph: str | None = None,
    kind: str | None = None,
    proposal: str | None = None,
) -> dict[str, Any]:
    """A decision's content; `kind` (rules of procedure version 2) names its subject's kind:
    adoption, basis, or proposal (then `proposal` is the proposal's id)."""
    subject: dict[str, Any] = {"text": v["text"], "version": v["version"],
                               "hash": Version.parse(v).hash, "paragraph": paragraph}  # fmt: skip
    if kind == "proposal":
        subject = {"kind": kind, "proposal": proposal}
    elif kind is not None:
        subject["kind"] = kind
    return {
        "decision": decision_id, "subject": subject,
        "procedure": procedure, "rule": rule, "deadline": deadline, "time_zone": time_zone,
    }  # fmt: skip


def objection(
    decision_id: str, kind: str = "objection", text: str = "We object."
) -> dict[str, Any]:
    return {"decision": decision_id, "kind": kind, "text": text}


def vote(decision_id: str, choice: str, explanation: str | None = None) -> dict[str, Any]:
    return {"decision": decision_id, "vote": choice, "explanation": explanation}


def close(decision_id: str, claimed: str) -> dict[str, Any]:
    return {"decision": decision_id, "claimed": claimed}


def statement(
    kind: str, text: str, *, decision_id: str | None = None, paragraph: str | None = None
) -> dict[str, Any]:
    subject = {"decision": decision_id, "text": None if decision_id else TEXT_ID,
               "paragraph": paragraph}  # fmt: skip
    return {"subject": subject, "kind": kind, "text": text}


def signature(
    v: dict[str, Any], act: str = "signature", ad_referendum: bool = False
) -> dict[str, Any]:
    return {"text": v["text"], "version": v["version"], "hash": Version.parse(v).hash, "act": act,
            "ad_referendum": ad_referendum}  # fmt: skip


def draft_randomly(
    world: Any, delegates: dict[str, Author], ops: list[tuple[str, str, str, str]]
) -> None:
    """Table the test text, then apply drafting acts as Hypothesis draws them: (state, op,
    paragraph, words), op one of insert, replace, delete_words, delete_paragraph, support,
    oppose, withdraw (the stances aimed at a proposal already made)."""
    world.act(world.chair, ev.TEXT, table(version()))
    made: list[str] = []
    for state, op, paragraph, words in ops:
        if op in ("support", "oppose", "withdraw"):
            if made:
                world.act(delegates[state], ev.STANCE, stance(made[len(made) // 2], op))
            continue
        content = {
            "insert": amend(paragraph, "insert_words", old=words, new=f" {words}!"),
            "replace": amend(paragraph, "replace_words", old=words, new=words.upper()),
            "delete_words": amend(paragraph, "delete_words", old=words),
            "delete_paragraph": amend(paragraph, "delete_paragraph"),
        }[op]
        made.append(str(world.act(delegates[state], ev.AMEND, content)["event"]))
