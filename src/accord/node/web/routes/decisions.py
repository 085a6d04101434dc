"""Decisions: the page, opening one, objections, votes, closing; statements."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from accord.core import events as ev
from accord.core.proceedings import DECISION_ID, MAJORITIES
from accord.infra.clock import now_ms
from accord.node import acts
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.forms import FormError, field, int_or_none, optional
from accord.node.web.pages import pages
from accord.node.web.posting import negotiate, perform, receipted
from accord.node.web.service import Notice

router = APIRouter()


@router.get("/c/{conf}/decisions", response_class=HTMLResponse)
async def decisions_page(request: Request, conf: str) -> Response:
    def fill(node: Node, ctx: dict[str, Any]) -> None:
        n = node.negotiation(conf)
        ctx["decisions"] = views.decisions(n)
        ctx["statements"] = n.statements
        ctx["texts"] = {tid: r.current.number for tid, r in n.texts.items()}
        ctx["now_ms"] = now_ms()
        # A vote by the conference's own majority, or two thirds (see the core's rule).
        rule = ctx["rules"].decision_rule
        first = rule if rule in MAJORITIES else "two_thirds_majority"
        ctx["majorities"] = sorted({first, "two_thirds_majority"}, key=lambda m: m != first)
        # Rules of procedure 2: subjects, "present", requests for a vote, statements on
        # behalf of a group; the open proposals and motions a decision may be on.
        ctx["procedure_2"] = ctx["rules"].procedure.version > 1
        ctx["open_proposals"] = [
            (p.id, f"{p.amendment.text_id}: {views.proposal_name(n, p)}")
            for p in n.proposals.values()
            if p.open
        ]
        ctx["paragraph_choices"] = [
            (tid, p.number, p.id) for tid, r in n.texts.items() for p in r.current.paragraphs
        ]
        ctx["open_motions"] = [(m.id, m.label()) for m in n.motions.values() if m.decided is None]
        ctx["groups"] = [g for g in n.groups.values() if g.spokesperson == ctx["me"].state]

    return await pages(request).conference_page(request, conf, "decisions.html.j2", fill)


@router.post("/c/{conf}/decisions")
async def open_decision(request: Request, conf: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        n = node.negotiation(conf)
        version = acts.version_of(n, field(form, "text"), int_or_none(str(form.get("version"))))
        procedure = field(form, "procedure")
        seat = n.state.genesis.rules.procedure.time_zone
        deadline, zone = optional(form, "deadline"), optional(form, "time_zone") or seat
        when = None
        if procedure == "silence":
            if deadline is None:
                raise FormError("A silence procedure needs a deadline.", "deadline")
            try:
                when = acts.deadline_ms(deadline, zone)
            except acts.ActError as exc:
                at = "time_zone" if "zone" in str(exc) else "deadline"
                raise FormError(f"{exc}: give an IANA name such as Europe/Vienna", at) from exc
        kind = on = None
        if n.state.genesis.rules.procedure.version > 1:
            kind = optional(form, "kind") or "adoption"
            on = optional(form, "on") if kind in ("proposal", "motion") else None
            if kind in ("proposal", "motion") and on is None:
                raise FormError(f"choose the {kind} the decision is on")
        decision = field(form, "decision")
        if not DECISION_ID.fullmatch(decision):
            raise FormError(
                "A decision's id is 1 to 64 lower-case letters, digits, “.”, “_” or “-”, "
                "starting with a letter or digit (e.g. silence-1).",
                "decision",
            )
        return acts.decision(
            decision,
            version,
            optional(form, "paragraph"),
            procedure,
            optional(form, "rule") if procedure == "vote" else None,
            when,
            zone if when is not None else None,
            kind,
            on,
        )

    return await negotiate(
        request, conf, ev.DECISION, content, f"/c/{conf}/decisions", "Decision opened"
    )


@router.post("/c/{conf}/d/{decision}/object")
async def object_(request: Request, conf: str, decision: str) -> Response:
    def act(node: Node, form: FormData) -> Notice:
        content = acts.objection(
            decision, field(form, "reason"), form.get("amendment") == "on",
            request_vote=form.get("request_vote") == "on",
        )  # fmt: skip
        receipt = node.negotiate(conf, ev.OBJECTION, content, now_ms())
        d = node.negotiation(conf).decisions.get(decision)
        if d is not None and d.deadline is not None:
            in_time = receipt["time"] < d.deadline
            receipt = dict(
                receipt,
                verdict="in time, before the deadline"
                if in_time
                else "AFTER the deadline: it has no effect",
            )
        said = {"vote": "Request for a vote recorded", "amendment": "Silence broken by an "
                "amendment"}.get(content["kind"], "Objection recorded")  # fmt: skip
        return receipted(node, receipt, f"{said}; keep its receipt", conf)

    return await perform(request, f"/c/{conf}/decisions", act)


@router.post("/c/{conf}/d/{decision}/vote")
async def vote(request: Request, conf: str, decision: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        return acts.vote(decision, field(form, "vote"), optional(form, "explanation"))

    return await negotiate(request, conf, ev.VOTE, content, f"/c/{conf}/decisions", "Vote cast")


@router.post("/c/{conf}/d/{decision}/close")
async def close(request: Request, conf: str, decision: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        return acts.close(decision, field(form, "outcome"))

    return await negotiate(
        request, conf, ev.CLOSE, content, f"/c/{conf}/decisions", "Decision closed"
    )


@router.post("/c/{conf}/statement")
async def statement(request: Request, conf: str) -> Response:
    def content(node: Node, form: FormData) -> dict[str, Any]:
        return acts.statement(
            field(form, "kind"),
            field(form, "words"),
            optional(form, "decision"),
            optional(form, "text"),
            optional(form, "paragraph"),
            optional(form, "on_behalf_of"),
        )

    return await negotiate(
        request, conf, ev.STATEMENT, content, f"/c/{conf}/decisions", "Statement recorded"
    )
