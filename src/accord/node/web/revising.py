"""Revising by decision on the text page: the proposals the chair decides on, named as
diplomats name them; the chair's choices read from the form; the next version computed
from them (`acts.proposed_revision`) and shown before it is issued, editable."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from accord.core.negotiation import Negotiation
from accord.node.web.views import proposal_name, short


@dataclass(frozen=True)
class ToDecide:
    """An open proposal on the text (or one adopted by a decision, which the next version
    must incorporate), as the chair's revision form lists it."""

    id: str
    short: str
    name: str
    owed: bool  # adopted by a decision: it can only be incorporated (or merged)
    earlier: int | None  # made on an earlier version than the current one


def to_decide(n: Negotiation, text_id: str) -> list[ToDecide]:
    current = n.texts[text_id].current.number
    out = []
    for p in sorted(n.proposals.values(), key=lambda p: p.seq):
        owed = p.decided == "adopted" and p.outcome is None
        if p.amendment.text_id != text_id or not (p.open or owed):
            continue
        earlier = p.amendment.version if p.amendment.version != current else None
        out.append(ToDecide(p.id, short(p.id), proposal_name(n, p), owed, earlier))
    return out


def choices(form: FormData) -> dict[str, str]:
    """The chair's choice on each proposal (`choice-<short id>`: accept, merge, reject or
    carry), by short id."""
    return {
        key.removeprefix("choice-"): str(value)
        for key, value in form.multi_items()
        if key.startswith("choice-") and isinstance(value, str) and value
    }


def computed_for(chosen: dict[str, str]) -> str:
    """The choices a computed text was made from, in one canonical line: an edited text
    is kept only while the choices stay the same (changing one recomputes the text)."""
    return ";".join(f"{k}={v}" for k, v in sorted(chosen.items()))


@dataclass(frozen=True)
class RevisionPreview:
    """The next version as it would be issued: what becomes of each proposal and what
    changes (`summary`), the text to edit (`typed`), or why it cannot be made as chosen."""

    summary: str | None
    typed: str
    error: str | None
    basis: str  # `computed_for` of the choices it was computed from
