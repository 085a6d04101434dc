"""Trust: safety numbers and verified contacts, this identity's devices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from accord.core.keys import fingerprint
from accord.core.sealing import DevicePublicKey
from accord.core.times import format_time
from accord.node.keystore import device_label
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.forms import field
from accord.node.web.pages import pages
from accord.node.web.posting import perform
from accord.node.web.service import Notice

router = APIRouter()


@router.get("/c/{conf}/trust", response_class=HTMLResponse)
async def trust(request: Request, conf: str) -> Response:
    def fill(node: Node, ctx: dict[str, Any]) -> None:
        ctx["contacts"] = views.contacts(node, conf)
        ctx["my_fingerprint"] = fingerprint(node.identity.public)
        state = node.view(conf).state
        assert state is not None
        ctx["devices"] = [
            {
                "seq": seq,
                "time": format_time(t),
                "name": name,
                "withdrawn": key in {state.device_ids[d].key for d in state.revoked_devices},
                "here": node.keystore.has(device_label(DevicePublicKey.parse(key))),
            }
            for seq, t, name, key in state.devices.get(node.identity.public.text, [])
        ]

    return await pages(request).conference_page(request, conf, "trust.html.j2", fill)


@router.post("/c/{conf}/trust/verify")
async def mark_verified(request: Request, conf: str) -> Response:
    def act(node: Node, form: FormData) -> Notice:
        state, delegate, number = (
            field(form, "state"),
            field(form, "delegate"),
            field(form, "number"),
        )
        fp = node.mark_verified(conf, state, delegate, number)
        return Notice(True, f"{fp.label()} marked verified: their key is the one you compared")

    return await perform(request, f"/c/{conf}/trust", act)
