"""Conferences and their channels: the home page, a conference, a channel and posting in it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from accord.infra.clock import now_ms
from accord.node.session import Node
from accord.node.web import status, views
from accord.node.web.forms import FormError, field
from accord.node.web.pages import pages
from accord.node.web.posting import perform, receipted
from accord.node.web.service import Notice

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    p = pages(request)

    def gather(node: Node) -> list[dict[str, Any]]:
        out = []
        for m in node.replica.memberships():
            p.service.refresh(node, m.conf, for_page=True)
            state = node.view(m.conf).state
            if state is None:
                continue
            watch = p.service.watch.get(m.conf)
            rooms = views.channels(node, m.conf)
            out.append(
                {
                    "id": m.conf,
                    "title": state.genesis.title,
                    "me": views.me(node, m.conf),
                    "badge": views.badge(node, m.conf, watch.unreachable if watch else None),
                    "unread": sum(r.unread for r in rooms),
                    "relay": m.relay,
                }
            )
        return out

    return await p.page(
        request,
        "home.html.j2",
        lambda node: {"conferences": gather(node), "title": "Conferences"},
    )


def overview(node: Node, conf: str, ctx: dict[str, Any]) -> None:
    """What the conference's overview shows: each text's status, the decisions, and what
    waits for this delegate."""
    n = node.negotiation(conf)
    ctx["texts"] = [status.text_status(n, tid, ctx["me"]) for tid in n.texts]
    ctx["decisions"] = views.decisions(n)
    ctx["waiting"] = status.waiting(n, ctx["me"], conf, ctx["texts"])


@router.get("/c/{conf}", response_class=HTMLResponse)
async def conference(request: Request, conf: str) -> Response:
    return await pages(request).conference_page(
        request, conf, "conference.html.j2", lambda node, ctx: overview(node, conf, ctx)
    )


@router.get("/c/{conf}/ch/{channel}", response_class=HTMLResponse)
async def channel(request: Request, conf: str, channel: str) -> Response:
    def fill(node: Node, ctx: dict[str, Any]) -> None:
        if channel not in {r.id for r in ctx["rooms"]}:
            raise FormError(f"your delegation does not read a channel {channel!r} here")
        ctx["channel"] = channel
        ctx["messages"] = views.messages(node, conf, channel)
        ctx["seen"] = seen = node.replica.read_marks(conf).get(channel, -1)
        ctx["turns"] = views.conversation(ctx["messages"], seen)
        if ctx["messages"]:
            node.replica.mark_read(conf, channel, ctx["messages"][-1].seq)
            ctx["rooms"] = views.channels(node, conf)

    return await pages(request).conference_page(request, conf, "channel.html.j2", fill)


@router.post("/c/{conf}/ch/{channel}")
async def post_message(request: Request, conf: str, channel: str) -> Response:
    def act(node: Node, form: FormData) -> Notice:
        text = field(form, "text")
        return receipted(node, node.post(conf, text, now_ms(), channel), "Message posted")

    return await perform(request, f"/c/{conf}/ch/{channel}", act)
