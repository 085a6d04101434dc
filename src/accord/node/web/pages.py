"""What every page and form shares: the templates, rendering with the session's notices,
running work on the node's thread, reading a form with its token, a page computed from
the replica, a conference's page under its header, a download. The routes (`routes/`)
reach it with `pages(request)`; acting from a form is `posting`'s.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from accord.core.errors import AccordError
from accord.core.times import format_period
from accord.node import local_time
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.forms import FormError, KeptForm, reason
from accord.node.web.guard import cookie_name, plain
from accord.node.web.service import LockedError, WebNode

OPS = [
    ("replace_words", "Replace words"),
    ("insert_words", "Insert words after"),
    ("delete_words", "Delete words"),
    ("replace_paragraph", "Replace the paragraph"),
    ("delete_paragraph", "Delete the paragraph"),
    ("add_after", "Add a new paragraph after"),
]
STATEMENT_KINDS = ["interpretative", "reservation", "explanation_of_position", "dissociation"]


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord.node.web", "templates"),
        autoescape=True,  # every string from the record is escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["short"] = views.short
    env.globals["period"] = format_period
    env.globals["at"] = local_time.at
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
        self._refused: dict[str, KeptForm] = {}  # the forms refused, as the page shows them

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
        notices = [] if keep else self.service.take_notices()
        if not keep or not self.service.unlocked:  # a locked node keeps no typed text
            # A refused form is given back on the page shown next, and on each live
            # refresh of that page (it would otherwise empty what the delegate typed).
            self._refused = {
                n.form: KeptForm(n.values, n.text, n.field) for n in notices if n.form and not n.ok
            }
        refused = self._refused
        html = self.env.get_template(template).render(
            request=request,
            path=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
            notices=notices,
            form_state=lambda action: refused.get(action, KeptForm()),
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

    async def conference_page(
        self,
        request: Request,
        conf: str,
        template: str,
        fill: Callable[[Node, dict[str, Any]], None],
    ) -> Response:
        """A page of conference `conf`: its header (`conference_context`) and what `fill`
        adds to it."""

        def gather(node: Node) -> dict[str, Any]:
            ctx = self.conference_context(node, conf)
            fill(node, ctx)
            return ctx

        return await self.page(request, template, gather)

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
