"""Negotiating texts: table, read (versions, compiled paragraphs, proposals, diffs), revise,
amend, stance, paragraph status, sign."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from accord.core import events as ev
from accord.core.encoding import hash_json
from accord.core.errors import AccordError
from accord.core.negotiation import Negotiation
from accord.core.texts import Version
from accord.documents.typed_text import Reading, version_lines
from accord.infra.clock import now_ms
from accord.node import acts
from accord.node.session import Node
from accord.node.web import revising, status, views
from accord.node.web.forms import (
    FormError,
    KeptForm,
    docx_reading,
    field,
    int_or_none,
    kept_values,
    optional,
    typed_reading,
)
from accord.node.web.pages import pages
from accord.node.web.posting import negotiate, perform, receipted
from accord.node.web.routes.conferences import overview
from accord.node.web.service import Notice

router = APIRouter()
# What each kind of amendment needs, in the words of the form's labels.
NEEDS_OLD = {
    "replace_words": "are to be replaced",
    "insert_words": "the new words follow",
    "delete_words": "are to be deleted",
}
NEEDS_NEW = {
    "replace_words": "the new words",
    "insert_words": "the words to insert",
    "replace_paragraph": "the paragraph's new text",
    "add_after": "the new paragraph's text",
}


@dataclass(frozen=True)
class Preview:
    """A text as it would be tabled: every line and what became of it, and the form to
    table it, filled in (a Word document's text typed out, as the file cannot be kept)."""

    title: str
    paragraphs: list[dict[str, Any]]
    lines: tuple[tuple[int, str, str], ...]
    skipped: int
    digest: str  # of the version read: tabling after the preview tables exactly that
    form: KeptForm


def _reading(form: FormData) -> tuple[Reading, dict[str, tuple[str, ...]]]:
    """The text the form gives, read; and the form's values, the text typed out."""
    text_id = field(form, "text_id")
    values = kept_values(form)
    upload = form.get("docx")
    if isinstance(upload, UploadFile) and upload.filename:
        reading = docx_reading(upload, text_id)
        typed = [reading.version["title"], *version_lines(Version.parse(reading.version))]
        values["typed"] = ("\n".join(typed),)
    else:
        reading = typed_reading(field(form, "typed"), text_id, 1)
    return reading, values


def _digest(version: dict[str, Any]) -> str:
    return hash_json(version)


@router.post("/c/{conf}/texts")
async def table_text(request: Request, conf: str) -> Response:
    """Table a text; or first show how it reads ("Preview the reading"), which is also
    shown instead of tabling when some lines would not be part of the text and the chair
    has not seen that reading yet."""
    p = pages(request)
    try:
        form = await p.read_form(request)
        reading, values = _reading(form)
    except (AccordError, ValueError) as exc:
        return await negotiate(request, conf, ev.TEXT, _refuse(exc), f"/c/{conf}", "")
    seen = form.get("previewed") == _digest(reading.version)
    if form.get("intent") == "preview" or (reading.skipped and not seen):
        preview = Preview(
            reading.version["title"], reading.version["paragraphs"], reading.lines,
            len(reading.skipped), _digest(reading.version), KeptForm(values),
        )  # fmt: skip

        def fill(node: Node, ctx: dict[str, Any]) -> None:
            overview(node, conf, ctx)
            ctx["preview"] = preview

        return await p.conference_page(request, conf, "conference.html.j2", fill)
    return await negotiate(
        request, conf, ev.TEXT, lambda node, form: acts.table(reading.version), f"/c/{conf}",
        "Text tabled",
    )  # fmt: skip


def _refuse(exc: Exception) -> Callable[[Node, FormData], dict[str, Any]]:
    """A form's content that cannot be made: `negotiate` gives the form back with why."""

    def content(node: Node, form: FormData) -> dict[str, Any]:
        raise exc

    return content


def text_context(
    node: Node, conf: str, text: str, q: Mapping[str, str], ctx: dict[str, Any]
) -> None:
    """What a text's page shows (`q`: the version asked for, `v`, and the versions to
    compare, `from` and `to`)."""
    n = node.negotiation(conf)
    record = n.texts.get(text)
    if record is None:
        raise FormError(f"no text {text!r} in this conference")
    number = int_or_none(q.get("v")) or record.current.number
    version = acts.version_of(n, text, number)
    my_state = ctx["me"].state
    props = views.proposals(n, text, my_state)
    ctx.update(
        text=text,
        record=record,
        version=version,
        current=record.current,
        paragraphs=views.paragraphs(n, text, number),
        proposals=[p for p in props if p.version == number or p.status == "open"],
        to_decide=revising.to_decide(n, text),
        carrying=n.state.genesis.rules.procedure.version > 1,
        diff=None,
        adopted=_adopted(n, text),
        signatures=[
            s for s in n.signatures if any(s.version_hash == v.hash for v in record.versions)
        ],
        statements=[s for s in n.statements if s.text_id == text],
        history=record.history,
        strip=status.text_status(n, text, ctx["me"]),
        flags=n.flags,
        signed={(s.version_hash, s.act) for s in n.signatures if s.state == my_state},
    )
    a, b = int_or_none(q.get("from")), int_or_none(q.get("to"))
    if a and b:
        acts.version_of(n, text, a)
        acts.version_of(n, text, b)
        ctx["diff"] = {"from": a, "to": b, "changes": views.diff(n, text, a, b)}


@router.get("/c/{conf}/t/{text}", response_class=HTMLResponse)
async def text_page(request: Request, conf: str, text: str) -> Response:
    q = request.query_params
    return await pages(request).conference_page(
        request, conf, "text.html.j2", lambda node, ctx: text_context(node, conf, text, q, ctx)
    )


@router.post("/c/{conf}/t/{text}/revise")
async def revise(request: Request, conf: str, text: str) -> Response:
    """The chair's next version, computed from a choice on each open proposal: previewed
    (with the text to edit) first, then issued as shown or as edited."""
    p = pages(request)
    back = f"/c/{conf}/t/{text}"
    try:
        form = await p.read_form(request)
    except AccordError as exc:
        return await negotiate(request, conf, ev.TEXT, _refuse(exc), back, "")
    chosen = revising.choices(form)
    basis = revising.computed_for(chosen)
    # An edited text stands while the choices it was computed from stand.
    typed = optional(form, "typed") if form.get("basis") == basis else None
    if form.get("intent") == "preview":

        def fill(node: Node, ctx: dict[str, Any]) -> None:
            text_context(node, conf, text, {}, ctx)
            n = node.negotiation(conf)
            try:
                made = acts.proposed_revision(n, text, chosen, typed, draft=True)
                shown = acts.typed(Version.parse(made.version))
                ctx["revision"] = revising.RevisionPreview(made.summary, shown, None, basis)
            except AccordError as exc:
                ctx["revision"] = revising.RevisionPreview(None, typed or "", str(exc), basis)
            ctx["revision_form"] = KeptForm(kept_values(form))

        return await p.conference_page(request, conf, "text.html.j2", fill)

    def content(node: Node, form: FormData) -> dict[str, Any]:
        if optional(form, "typed") is not None and typed is None:
            raise FormError(
                "A choice changed after the preview: preview the next version again, then issue it."
            )
        made = acts.proposed_revision(node.negotiation(conf), text, chosen, typed)
        return acts.revision(made.version, made.outcomes)

    return await negotiate(request, conf, ev.TEXT, content, back, "Revised text issued")


@router.post("/c/{conf}/t/{text}/amend")
async def amend(request: Request, conf: str, text: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        current = acts.version_of(node.negotiation(conf), text)
        paragraph, op = field(form, "paragraph"), field(form, "op")
        old, new = optional(form, "old"), optional(form, "new")
        p = current.paragraph(paragraph)
        if p is None:
            raise FormError(f"version {current.number} has no paragraph {paragraph!r}", "paragraph")
        if op in NEEDS_OLD and old is None:
            raise FormError(f"Give the words of paragraph {p.number} that {NEEDS_OLD[op]}.", "old")
        if op in NEEDS_NEW and new is None:
            raise FormError(f"Give {NEEDS_NEW[op]}.", "new")
        new_id = new_number = None
        if op == "add_after":
            new_id, new_number = f"new-{secrets.token_hex(3)}", f"{p.number} bis"
        try:
            return acts.amendment(
                current, paragraph, op, old, new, 1, new_id, new_number,
                optional(form, "rationale"),
            )  # fmt: skip
        except acts.ActError as exc:
            raise FormError(str(exc), "old" if op in NEEDS_OLD else None) from exc

    return await negotiate(request, conf, ev.AMEND, content, f"/c/{conf}/t/{text}", "Proposal made")


@router.post("/c/{conf}/t/{text}/stance")
async def stance(request: Request, conf: str, text: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        what = field(form, "stance")
        proposal = node.negotiation(conf).proposal(field(form, "proposal")).id
        return acts.stance(proposal, what)

    return await negotiate(
        request, conf, ev.STANCE, content, f"/c/{conf}/t/{text}", "Stance recorded"
    )


@router.post("/c/{conf}/t/{text}/status")
async def mark_paragraph(request: Request, conf: str, text: str) -> Response:
    def act(node: Node, form: FormData) -> Notice:
        current = acts.version_of(node.negotiation(conf), text)
        content = acts.paragraph_status(
            current, field(form, "paragraph"), field(form, "status"),
            optional(form, "reason"),
        )  # fmt: skip
        # The chair marks and reopens in the chair's capacity; a delegation reopens
        # as its state (a presiding delegate chooses by the form used).
        as_chair = form.get("capacity") != "state"
        receipt = node.negotiate(conf, ev.PARAGRAPH_STATUS, content, now_ms(), as_chair)
        return receipted(node, receipt, "Paragraph status recorded", conf)

    return await perform(request, f"/c/{conf}/t/{text}", act)


@router.post("/c/{conf}/t/{text}/sign")
async def sign(request: Request, conf: str, text: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        n = node.negotiation(conf)
        version = acts.version_of(n, text, int_or_none(str(form.get("version", ""))))
        if n.adopted(version.hash) is None:
            raise FormError(f"version {version.number} of {text} has not been adopted")
        return acts.signature(
            version, form.get("initial") == "on", form.get("ad_referendum") == "on"
        )

    return await negotiate(request, conf, ev.SIGNATURE, content, f"/c/{conf}/t/{text}", "Signed")


def _adopted(n: Negotiation, text: str) -> list[tuple[int, str]]:
    """The versions of a text adopted so far: number and deciding decision."""
    record = n.texts[text]
    out = []
    for v in record.versions:
        d = n.adopted(v.hash)
        if d is not None:
            out.append((v.number, d.id))
    return out
