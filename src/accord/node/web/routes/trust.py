"""Trust: safety numbers and verified contacts, this identity's devices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.core.errors import AccordError
from accord.core.keys import fingerprint
from accord.core.sealing import DevicePublicKey
from accord.core.times import format_time
from accord.node.keystore import device_label
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.forms import (
    field,
    reason,
)
from accord.node.web.pages import pages
from accord.node.web.service import LockedError, Notice

router = APIRouter()


@router.get("/c/{conf}/trust", response_class=HTMLResponse)
async def trust(request: Request, conf: str) -> Response:
    p = pages(request)

    def gather(node: Node) -> dict[str, Any]:
        ctx = p.conference_context(node, conf)
        ctx["contacts"] = views.contacts(node, conf)
        ctx["my_fingerprint"] = fingerprint(node.identity.public)
        state = node.view(conf).state
        assert state is not None
        ctx["devices"] = [
            {
                "seq": seq,
                "time": format_time(t),
                "name": name,
                "withdrawn": key in {state.device_ids[d][1] for d in state.revoked_devices},
                "here": node.keystore.has(device_label(DevicePublicKey.parse(key))),
            }
            for seq, t, name, key in state.devices.get(node.identity.public.text, [])
        ]
        return ctx

    return await p.page(request, "trust.html.j2", gather)


@router.post("/c/{conf}/trust/verify")
async def mark_verified(request: Request, conf: str) -> Response:
    p = pages(request)

    async def go() -> str:
        form = await p.read_form(request)
        state, delegate, number = (
            field(form, "state"),
            field(form, "delegate"),
            field(form, "number"),
        )
        fp = await p.call(lambda node: node.mark_verified(conf, state, delegate, number))
        return f"{fp.label()} marked verified: their key is the one you compared"

    try:
        p.service.notify(Notice(True, await go()))
        p.service.changed()
    except LockedError:
        return RedirectResponse("/unlock", status_code=303)
    except AccordError as exc:
        p.service.notify(Notice(False, reason(exc)))
    return RedirectResponse(f"/c/{conf}/trust", status_code=303)
