"""What every page and form shares: the templates, rendering with the session's notices,
running work on the node's thread, reading a form with its token, doing an act and
going back with its receipt, a page computed from the replica, a download, a
conference's header. The routes (`routes/`) reach it with `pages(request)`.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from accord.core.errors import AccordError
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.forms import FormError, reason
from accord.node.web.guard import cookie_name, plain
from accord.node.web.service import LockedError, Notice, WebNode

OPS = [
    ("replace_words", "Replace words"),
    ("insert_words", "Insert words after"),
    ("delete_words", "Delete words"),
    ("replace_paragraph", "Replace the paragraph"),
    ("delete_paragraph", "Delete the paragraph"),
    ("add_after", "Add a new paragraph after"),
]
STATEMENT_KINDS = ["interpretative", "reservation", "explanation_of_position", "dissociation"]


def now_ms() -> int:
    return int(time.time() * 1000)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord.node.web", "templates"),
        autoescape=True,  # every string from the record is escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["short"] = views.short
    env.globals["ops"] = OPS
    env.globals["statement_kinds"] = STATEMENT_KINDS
    return env


def pages(request: Request) -> Pages:
    """The pages of the application serving `request`."""
    found = request.app.state.pages
    assert isinstance(found, Pages)
    return found


class Pages:
    """One node's pages: its `WebNode` service and the templates."""

    def __init__(self, service: WebNode) -> None:
        self.service = service
        self.env = environment()

    def csrf(self) -> str:
        return self.service.form_token or ""

    def render(
        self, request: Request, template: str, status: int = 200, keep_notices: bool = False,
        **ctx: Any,
    ) -> HTMLResponse:  # fmt: skip
        # Notices go to the session's next real visit of a page: not to a live refresh
        # (it shows only the live part), not to the unlock or error pages, not to anyone
        # without the session.
        keep = (
            keep_notices or template in {"unlock.html.j2", "error.html.j2"}
            or request.headers.get("hx-trigger") == "live-trigger"
            or not self.service.session_ok(request.cookies.get(cookie_name(request)))
        )  # fmt: skip
        ctx.setdefault("title", "Accord")
        ctx.setdefault("conf", None)
        html = self.env.get_template(template).render(
            request=request,
            path=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
            notices=[] if keep else self.service.take_notices(),
            changes=self.service.changes,
            csrf=self.csrf(),
            **ctx,
        )
        return HTMLResponse(html, status_code=status)

    async def call(self, fn: Callable[[Node], Any]) -> Any:
        return await run_in_threadpool(self.service.call, fn)

    async def read_form(self, request: Request) -> FormData:
        # `BodyLimit` has refused anything larger than MAX_FORM_BYTES already.
        form = await request.form(max_files=1, max_fields=200)
        expected = self.csrf()
        if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
            raise FormError("the form has expired: reload the page and try again")
        return form

    async def perform(
        self,
        request: Request,
        back: str,
        what: str,
        fn: Callable[[Node, FormData], dict[str, Any]],
        conf: str | None = None,
    ) -> Response:
        """Read the form, do the act, and go back to `back` with its receipt or reason.
        A negotiation act (`conf` given) is looked up in the recomputed negotiation: one
        the record shows without effect is reported in red, with the reason."""

        def act(node: Node, form: FormData) -> tuple[dict[str, Any], str | None]:
            receipt = fn(node, form)
            return receipt, (node.effect(conf, receipt) if conf is not None else None)

        try:
            form = await self.read_form(request)
            receipt, void = await run_in_threadpool(self.service.act, lambda node: act(node, form))
            if void is None:
                self.service.notify(Notice(True, what, receipt))
            else:
                self.service.notify(Notice(False, f"Recorded, but without effect: {void}", receipt))
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except (AccordError, ValueError) as exc:
            self.service.notify(Notice(False, reason(exc)))
        return RedirectResponse(back, status_code=303)

    def conference_context(self, node: Node, conf: str) -> dict[str, Any]:
        if node.replica.membership(conf) is None:
            raise FormError(f"this node does not follow {conf}")
        self.service.refresh(node, conf, for_page=True)
        state = node.view(conf).state
        if state is None:
            raise FormError(f"nothing of {conf} is verified on this node yet")
        watch = self.service.watch.get(conf)
        return {
            "conf": conf,
            "title": state.genesis.title,
            "me": views.me(node, conf),
            "badge": views.badge(node, conf, watch.unreachable if watch else None),
            "rooms": views.channels(node, conf),
            "rules": state.genesis.rules,
        }

    async def page(
        self, request: Request, template: str, gather: Callable[[Node], dict[str, Any]]
    ) -> Response:
        try:
            ctx = await self.call(gather)
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except (AccordError, KeyError) as exc:
            return self.render(request, "error.html.j2", 404, title="Not found", error=reason(exc))
        return self.render(request, template, **ctx)

    async def download(self, fn: Callable[[Node], bytes], name: str, media: str) -> Response:
        try:
            data = await self.call(fn)
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except AccordError as exc:
            return plain(409, reason(exc))
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
