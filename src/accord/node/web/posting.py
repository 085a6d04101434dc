"""Acting from a form: read it with its token, do the act on the node's thread, and go back
to the page with what became of it (shown once, on the next page): the receipt, the
reason the record gives the act no effect, or the reason it was refused. Every route
that acts goes through `perform`; a negotiation act, most of them, through `negotiate`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from accord.core.errors import AccordError
from accord.infra.clock import now_ms
from accord.node.session import Node
from accord.node.web.forms import FormError, kept_values, reason
from accord.node.web.pages import pages
from accord.node.web.service import LockedError, Notice


async def perform(request: Request, back: str, act: Callable[[Node, FormData], Notice]) -> Response:
    """Read the form, do `act` with it on the node, and go back to `back` with the notice
    it returns, or with the reason it was refused; a locked node sends to the unlock page."""
    p = pages(request)
    form: FormData | None = None
    try:
        form = read = await p.read_form(request)
        notice = await run_in_threadpool(p.service.act, lambda node: act(node, read))
    except LockedError:
        return RedirectResponse("/unlock", status_code=303)
    except (AccordError, ValueError) as exc:
        # The form comes back as it was sent, with the reason beside the field at fault.
        values = kept_values(form) if form is not None else {}
        at = exc.field if isinstance(exc, FormError) else None
        notice = Notice(False, reason(exc), None, request.url.path, values, at)
    p.service.notify(notice)
    return RedirectResponse(back, status_code=303)


def receipted(node: Node, receipt: dict[str, Any], done: str, conf: str | None = None) -> Notice:
    """`done`, with the receipt. A negotiation act (`conf` given) is looked up in the
    recomputed negotiation: one the record shows without effect is reported in red, with
    the reason."""
    void = node.effect(conf, receipt) if conf is not None else None
    if void is None:
        return Notice(True, done, receipt)
    return Notice(False, f"Recorded, but without effect: {void}", receipt)


async def negotiate(
    request: Request,
    conf: str,
    type: str,
    content: Callable[[Node, FormData], dict[str, Any]],
    back: str,
    done: str,
) -> Response:
    """Post the negotiation act of `type` whose content the form gives (`content`) in the
    plenary, and go back to `back` with its receipt (`done`), or the reason it has no
    effect or was refused."""

    def act(node: Node, form: FormData) -> Notice:
        receipt = node.negotiate(conf, type, content(node, form), now_ms())
        return receipted(node, receipt, done, conf)

    return await perform(request, back, act)
