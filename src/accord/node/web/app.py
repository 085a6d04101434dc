"""The web interface's routes: pages recomputed from the replica, forms that make acts.

Every page is whole server-rendered HTML that works without script; htmx (vendored)
makes links and forms feel instant and refreshes the live part of a page when the node's
event stream says the record changed. Acts go through `accord.node.acts`, exactly as
from the command line, and each shows its receipt afterwards.

Who may talk to this server: a browser on this machine that gave the passphrase. The
server listens on loopback only, refuses other Host names (DNS rebinding), sets a
session cookie (HttpOnly, SameSite=Strict, named with the port) at unlock, and checks the
session's random form token and the Origin on every form of the session (unlocking
itself takes the passphrase, checked every time).
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.core import events as ev
from accord.core.errors import AccordError
from accord.core.final_act import verify as verify_final_act
from accord.core.keys import fingerprint
from accord.core.negotiation import MAJORITIES, Negotiation
from accord.core.sealing import DevicePublicKey
from accord.core.times import format_time
from accord.documents.html import final_act_html
from accord.documents.pdf import final_act_pdf, lines_pdf
from accord.documents.typed_text import TypedTextError, version_from_lines, version_lines
from accord.documents.word import DocxImportError, export_compiled, import_docx
from accord.node import acts
from accord.node.client import RelayError
from accord.node.keystore import KeystoreError, device_label
from accord.node.session import Node
from accord.node.web import views
from accord.node.web.service import LockedError, Notice, WebNode

COOKIE = "accord_session"  # + the port: browsers share cookies between ports of a host
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
MAX_FORM_BYTES = 2_000_000  # a Word draft of a long treaty fits; anything larger is refused
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
OPS = [
    ("replace_words", "Replace words"),
    ("insert_words", "Insert words after"),
    ("delete_words", "Delete words"),
    ("replace_paragraph", "Replace the paragraph"),
    ("delete_paragraph", "Delete the paragraph"),
    ("add_after", "Add a new paragraph after"),
]
STATEMENT_KINDS = ["interpretative", "reservation", "explanation_of_position", "dissociation"]
Handler = Callable[[Request], Awaitable[Response]]


class FormError(AccordError):
    """A form the delegate filled in cannot make an act, and why."""


class BodyLimit:
    """Refuses (413) a request whose body is larger than `limit`, before the routes read
    any of it: a declared length is checked at once, a streamed body as it comes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        chunks: list[bytes] = []
        total = received = int(declared) if declared.isdigit() else 0
        received, more = 0, True
        while more and max(total, received) <= self.limit:
            message = await receive()
            if message["type"] != "http.request":  # the browser went away mid-form
                await _plain(400, "the form did not arrive whole")(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            more = message.get("more_body", False)
        total = max(total, received)
        if total > self.limit:
            refusal = _plain(413, f"the form is larger than {self.limit // 1_000_000} MB")
            await refusal(scope, receive, send)
            return
        body, sent = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _env() -> Environment:
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


def create_app(service: WebNode) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyLimit, limit=MAX_FORM_BYTES)
    env = _env()
    static = resources.files("accord.node.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def csrf() -> str:
        return service.form_token or ""

    @app.middleware("http")
    async def guard(request: Request, call_next: Handler) -> Response:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in LOCAL_HOSTS:
            return _plain(421, "this node answers only to 127.0.0.1 or localhost")
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                return _plain(403, "a form from another site was refused")
        path = request.url.path
        public = path.startswith("/static/") or path == "/unlock"
        if not public and not service.session_ok(request.cookies.get(_cookie(request))):
            if path == "/events":
                return _plain(401, "locked")
            return RedirectResponse("/unlock", status_code=303)
        response = await call_next(request)
        _secure(response, path)
        return response

    def render(
        request: Request, template: str, status: int = 200, keep_notices: bool = False,
        **ctx: Any,
    ) -> HTMLResponse:  # fmt: skip
        # Notices go to the session's next real visit of a page: not to a live refresh
        # (it shows only the live part), not to the unlock or error pages, not to anyone
        # without the session.
        keep = (
            keep_notices or template in {"unlock.html.j2", "error.html.j2"}
            or request.headers.get("hx-trigger") == "live-trigger"
            or not service.session_ok(request.cookies.get(_cookie(request)))
        )  # fmt: skip
        ctx.setdefault("title", "Accord")
        ctx.setdefault("conf", None)
        html = env.get_template(template).render(
            request=request,
            path=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
            notices=[] if keep else service.take_notices(),
            changes=service.changes,
            csrf=csrf(),
            **ctx,
        )
        return HTMLResponse(html, status_code=status)

    async def call(fn: Callable[[Node], Any]) -> Any:
        return await run_in_threadpool(service.call, fn)

    async def read_form(request: Request) -> FormData:
        # `BodyLimit` has refused anything larger than MAX_FORM_BYTES already.
        form = await request.form(max_files=1, max_fields=200)
        expected = csrf()
        if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
            raise FormError("the form has expired: reload the page and try again")
        return form

    async def perform(
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
            form = await read_form(request)
            receipt, void = await run_in_threadpool(service.act, lambda node: act(node, form))
            if void is None:
                service.notify(Notice(True, what, receipt))
            else:
                service.notify(Notice(False, f"Recorded, but without effect: {void}", receipt))
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except (AccordError, ValueError) as exc:
            service.notify(Notice(False, _reason(exc)))
        return RedirectResponse(back, status_code=303)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception after this answer; the answer keeps the notices
        # for the next page and the guard's headers (it runs outside the guard).
        response = render(
            request, "error.html.j2", 500, title="Error", keep_notices=True,
            error="Something went wrong on this node; nothing was posted unless a receipt "
            "was shown. The node's log has the details.",
        )  # fmt: skip
        _secure(response, request.url.path)
        return response

    # -- unlocking -----------------------------------------------------------------
    @app.get("/unlock", response_class=HTMLResponse)
    async def unlock_page(request: Request) -> Response:
        return render(request, "unlock.html.j2", title="Unlock", error=None)

    @app.post("/unlock")
    async def unlock(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        passphrase = str(form.get("passphrase", ""))
        try:
            token = await run_in_threadpool(service.unlock, passphrase)
        except KeystoreError as exc:
            await asyncio.sleep(0.5)  # slows guessing from a page
            return render(request, "unlock.html.j2", 401, title="Unlock", error=str(exc))
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(_cookie(request), token, httponly=True, samesite="strict", path="/")
        return response

    @app.post("/lock")
    async def lock(request: Request) -> Response:
        try:
            await read_form(request)
        except FormError as exc:
            return _plain(403, str(exc))
        await run_in_threadpool(service.lock)
        response = RedirectResponse("/unlock", status_code=303)
        response.delete_cookie(_cookie(request), path="/")
        return response

    # -- live updates --------------------------------------------------------------
    @app.get("/events")
    async def events(request: Request) -> Response:
        # From the count the page was rendered at: a change between the page's rendering
        # and this stream's start is told at once, not lost.
        since = _int(request.query_params.get("since"))
        session = request.cookies.get(_cookie(request))

        async def stream() -> AsyncIterator[str]:
            last, quiet = (service.changes if since is None else since), 0.0
            yield "retry: 2000\n\n"
            while service.session_ok(session):  # ends when locked or unlocked anew
                if service.changes != last:
                    last, quiet = service.changes, 0.0
                    yield f"event: changed\ndata: {last}\n\n"
                elif quiet >= 15:
                    quiet = 0.0
                    yield ": still here\n\n"
                # A closed connection ends this generator (Starlette cancels it).
                await asyncio.sleep(0.1)
                quiet += 0.1

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    # -- conferences -----------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        def gather(node: Node) -> list[dict[str, Any]]:
            out = []
            for m in node.replica.memberships():
                service.refresh(node, m.conf, for_page=True)
                state = node.view(m.conf).state
                if state is None:
                    continue
                watch = service.watch.get(m.conf)
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

        return await page(
            request,
            "home.html.j2",
            lambda node: {"conferences": gather(node), "title": "Conferences"},
        )

    def conference_context(node: Node, conf: str) -> dict[str, Any]:
        if node.replica.membership(conf) is None:
            raise FormError(f"this node does not follow {conf}")
        service.refresh(node, conf, for_page=True)
        state = node.view(conf).state
        if state is None:
            raise FormError(f"nothing of {conf} is verified on this node yet")
        watch = service.watch.get(conf)
        return {
            "conf": conf,
            "title": state.genesis.title,
            "me": views.me(node, conf),
            "badge": views.badge(node, conf, watch.unreachable if watch else None),
            "rooms": views.channels(node, conf),
            "rules": state.genesis.rules,
        }

    @app.get("/c/{conf}", response_class=HTMLResponse)
    async def conference(request: Request, conf: str) -> Response:
        def gather(node: Node) -> dict[str, Any]:
            ctx = conference_context(node, conf)
            n = node.negotiation(conf)
            ctx["texts"] = [
                {
                    "id": tid,
                    "title": r.current.title,
                    "version": r.current.number,
                    "adopted": any(n.adopted(v.hash) for v in r.versions),
                    "open": sum(
                        1 for p in n.proposals.values() if p.amendment.text_id == tid and p.open
                    ),
                }
                for tid, r in n.texts.items()
            ]
            ctx["decisions"] = views.decisions(n)
            return ctx

        return await page(request, "conference.html.j2", gather)

    async def page(
        request: Request, template: str, gather: Callable[[Node], dict[str, Any]]
    ) -> Response:
        try:
            ctx = await call(gather)
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except (AccordError, KeyError) as exc:
            return render(request, "error.html.j2", 404, title="Not found", error=_reason(exc))
        return render(request, template, **ctx)

    # -- channels --------------------------------------------------------------------
    @app.get("/c/{conf}/ch/{channel}", response_class=HTMLResponse)
    async def channel(request: Request, conf: str, channel: str) -> Response:
        def gather(node: Node) -> dict[str, Any]:
            ctx = conference_context(node, conf)
            if channel not in {r.id for r in ctx["rooms"]}:
                raise FormError(f"your delegation does not read a channel {channel!r} here")
            ctx["channel"] = channel
            ctx["messages"] = views.messages(node, conf, channel)
            if ctx["messages"]:
                node.replica.mark_read(conf, channel, ctx["messages"][-1].seq)
                ctx["rooms"] = views.channels(node, conf)
            return ctx

        return await page(request, "channel.html.j2", gather)

    @app.post("/c/{conf}/ch/{channel}")
    async def post_message(request: Request, conf: str, channel: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            text = _field(form, "text")
            return node.post(conf, text, _now(), channel)

        return await perform(request, f"/c/{conf}/ch/{channel}", "Message posted", act)

    # -- texts -----------------------------------------------------------------------
    @app.post("/c/{conf}/texts")
    async def table_text(request: Request, conf: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            text_id = _field(form, "text_id")
            upload = form.get("docx")
            if isinstance(upload, UploadFile) and upload.filename:
                version = _from_docx(upload, text_id)
            else:
                version = _typed(_field(form, "typed"), text_id, 1)
            return node.negotiate(conf, ev.TEXT, acts.table(version), _now())

        return await perform(request, f"/c/{conf}", "Text tabled", act, conf)

    @app.get("/c/{conf}/t/{text}", response_class=HTMLResponse)
    async def text_page(request: Request, conf: str, text: str) -> Response:
        q = request.query_params

        def gather(node: Node) -> dict[str, Any]:
            ctx = conference_context(node, conf)
            n = node.negotiation(conf)
            record = n.texts.get(text)
            if record is None:
                raise FormError(f"no text {text!r} in this conference")
            number = _int(q.get("v")) or record.current.number
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
                open_current=[
                    p for p in props if p.status == "open" and p.version == record.current.number
                ],
                typed="\n".join([record.current.title, *version_lines(record.current)]),
                diff=None,
                adopted=_adopted(n, text),
                signatures=[
                    s
                    for s in n.signatures
                    if any(s.version_hash == v.hash for v in record.versions)
                ],
                statements=[s for s in n.statements if s.text_id == text],
                history=record.history,
                flags=n.flags,
                signed={(s.version_hash, s.act) for s in n.signatures if s.state == my_state},
            )
            a, b = _int(q.get("from")), _int(q.get("to"))
            if a and b:
                acts.version_of(n, text, a)
                acts.version_of(n, text, b)
                ctx["diff"] = {"from": a, "to": b, "changes": views.diff(n, text, a, b)}
            return ctx

        return await page(request, "text.html.j2", gather)

    @app.post("/c/{conf}/t/{text}/revise")
    async def revise(request: Request, conf: str, text: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            n = node.negotiation(conf)
            current = acts.version_of(n, text)
            version = _typed(_field(form, "typed"), text, current.number + 1)
            outcomes = {
                str(key).removeprefix("outcome-"): str(value)
                for key, value in form.multi_items()
                if str(key).startswith("outcome-") and value
            }
            full = [(n.proposal(p).id, o) for p, o in outcomes.items()]
            return node.negotiate(conf, ev.TEXT, acts.revision(version, full), _now())

        return await perform(request, f"/c/{conf}/t/{text}", "Revised text issued", act, conf)

    @app.post("/c/{conf}/t/{text}/amend")
    async def amend(request: Request, conf: str, text: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            current = acts.version_of(node.negotiation(conf), text)
            paragraph, op = _field(form, "paragraph"), _field(form, "op")
            old, new = _optional(form, "old"), _optional(form, "new")
            new_id = new_number = None
            if op == "add_after":
                p = current.paragraph(paragraph)
                if p is None:
                    raise FormError(f"there is no paragraph {paragraph!r}")
                new_id, new_number = f"new-{secrets.token_hex(3)}", f"{p.number} bis"
            content = acts.amendment(
                current, paragraph, op, old, new, 1, new_id, new_number,
                _optional(form, "rationale"),
            )  # fmt: skip
            return node.negotiate(conf, ev.AMEND, content, _now())

        return await perform(request, f"/c/{conf}/t/{text}", "Proposal made", act, conf)

    @app.post("/c/{conf}/t/{text}/stance")
    async def stance(request: Request, conf: str, text: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            what = _field(form, "stance")
            proposal = node.negotiation(conf).proposal(_field(form, "proposal")).id
            return node.negotiate(conf, ev.STANCE, acts.stance(proposal, what), _now())

        return await perform(request, f"/c/{conf}/t/{text}", "Stance recorded", act, conf)

    @app.post("/c/{conf}/t/{text}/status")
    async def status(request: Request, conf: str, text: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            current = acts.version_of(node.negotiation(conf), text)
            content = acts.paragraph_status(
                current, _field(form, "paragraph"), _field(form, "status"),
                _optional(form, "reason"),
            )  # fmt: skip
            # The chair marks and reopens in the chair's capacity; a delegation reopens
            # as its state (a presiding delegate chooses by the form used).
            as_chair = form.get("capacity") != "state"
            return node.negotiate(conf, ev.PARAGRAPH_STATUS, content, _now(), as_chair)

        return await perform(request, f"/c/{conf}/t/{text}", "Paragraph status recorded", act, conf)

    @app.post("/c/{conf}/t/{text}/sign")
    async def sign(request: Request, conf: str, text: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            n = node.negotiation(conf)
            version = acts.version_of(n, text, _int(str(form.get("version", ""))))
            if n.adopted(version.hash) is None:
                raise FormError(f"version {version.number} of {text} has not been adopted")
            content = acts.signature(
                version, form.get("initial") == "on", form.get("ad_referendum") == "on"
            )
            return node.negotiate(conf, ev.SIGNATURE, content, _now())

        return await perform(request, f"/c/{conf}/t/{text}", "Signed", act, conf)

    @app.get("/c/{conf}/t/{text}/final-act.json")
    async def final_act_file(request: Request, conf: str, text: str) -> Response:
        return await download(
            lambda node: node.final_act(conf, text), f"{text}.final-act.json", "application/json"
        )

    @app.get("/c/{conf}/t/{text}/final-act.pdf")
    async def final_act_pdf_file(request: Request, conf: str, text: str) -> Response:
        def build(node: Node) -> bytes:
            report = verify_final_act(node.final_act(conf, text))  # shows only what verifies
            return _via_file(lambda path: final_act_pdf(report, path), ".pdf")

        return await download(build, f"{text}.final-act.pdf", "application/pdf")

    @app.get("/c/{conf}/t/{text}/final-act.html")
    async def final_act_html_file(request: Request, conf: str, text: str) -> Response:
        def build(node: Node) -> bytes:
            return final_act_html(verify_final_act(node.final_act(conf, text))).encode()

        return await download(build, f"{text}.final-act.html", "text/html; charset=utf-8")

    @app.get("/c/{conf}/t/{text}/compiled.docx")
    async def compiled_docx(request: Request, conf: str, text: str) -> Response:
        def build(node: Node) -> bytes:
            n = node.negotiation(conf)
            acts.version_of(n, text)
            return _via_file(lambda path: export_compiled(path, n, text), ".docx")

        return await download(
            build,
            f"{text}.compiled.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )

    @app.get("/c/{conf}/t/{text}/compiled.pdf")
    async def compiled_pdf(request: Request, conf: str, text: str) -> Response:
        def build(node: Node) -> bytes:
            n = node.negotiation(conf)
            v = acts.version_of(n, text)
            lines = [c.render() for c in n.compiled(text)]
            footer = f"{text} version {v.number} {v.hash}"
            return _via_file(lambda path: lines_pdf(path, v.title, lines, footer), ".pdf")

        return await download(build, f"{text}.compiled.pdf", "application/pdf")

    async def download(fn: Callable[[Node], bytes], name: str, media: str) -> Response:
        try:
            data = await call(fn)
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except AccordError as exc:
            return _plain(409, _reason(exc))
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # -- decisions -------------------------------------------------------------------
    @app.get("/c/{conf}/decisions", response_class=HTMLResponse)
    async def decisions_page(request: Request, conf: str) -> Response:
        def gather(node: Node) -> dict[str, Any]:
            ctx = conference_context(node, conf)
            n = node.negotiation(conf)
            ctx["decisions"] = views.decisions(n)
            ctx["statements"] = n.statements
            ctx["texts"] = {tid: r.current.number for tid, r in n.texts.items()}
            ctx["now_ms"] = _now()
            # A vote by the conference's own majority, or two thirds (see the core's rule).
            rule = ctx["rules"].decision_rule
            first = rule if rule in MAJORITIES else "two_thirds_majority"
            ctx["majorities"] = sorted({first, "two_thirds_majority"}, key=lambda m: m != first)
            return ctx

        return await page(request, "decisions.html.j2", gather)

    @app.post("/c/{conf}/decisions")
    async def open_decision(request: Request, conf: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            n = node.negotiation(conf)
            version = acts.version_of(n, _field(form, "text"), _int(str(form.get("version"))))
            procedure = _field(form, "procedure")
            deadline, zone = _optional(form, "deadline"), _optional(form, "time_zone") or "UTC"
            when = acts.deadline_ms(deadline, zone) if deadline and procedure == "silence" else None
            if procedure == "silence" and when is None:
                raise FormError("a silence procedure needs a deadline")
            content = acts.decision(
                _field(form, "decision"),
                version,
                _optional(form, "paragraph"),
                procedure,
                _optional(form, "rule") if procedure == "vote" else None,
                when,
                zone if when is not None else None,
            )
            return node.negotiate(conf, ev.DECISION, content, _now())

        return await perform(request, f"/c/{conf}/decisions", "Decision opened", act, conf)

    @app.post("/c/{conf}/d/{decision}/object")
    async def object_(request: Request, conf: str, decision: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            content = acts.objection(
                decision, _field(form, "reason"), form.get("amendment") == "on"
            )
            receipt = node.negotiate(conf, ev.OBJECTION, content, _now())
            d = node.negotiation(conf).decisions.get(decision)
            if d is not None and d.deadline is not None:
                in_time = receipt["time"] < d.deadline
                receipt = dict(
                    receipt,
                    verdict="in time, before the deadline"
                    if in_time
                    else "AFTER the deadline: it has no effect",
                )
            return receipt

        return await perform(
            request, f"/c/{conf}/decisions", "Objection recorded; keep its receipt", act, conf
        )

    @app.post("/c/{conf}/d/{decision}/vote")
    async def vote(request: Request, conf: str, decision: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            content = acts.vote(decision, _field(form, "vote"), _optional(form, "explanation"))
            return node.negotiate(conf, ev.VOTE, content, _now())

        return await perform(request, f"/c/{conf}/decisions", "Vote cast", act, conf)

    @app.post("/c/{conf}/d/{decision}/close")
    async def close(request: Request, conf: str, decision: str) -> Response:
        def act(node: Node, form: FormData) -> dict[str, Any]:
            content = acts.close(decision, _field(form, "outcome"))
            return node.negotiate(conf, ev.CLOSE, content, _now())

        return await perform(request, f"/c/{conf}/decisions", "Decision closed", act, conf)

    @app.post("/c/{conf}/statement")
    async def statement(request: Request, conf: str) -> Response:
        back = f"/c/{conf}/decisions"

        def act(node: Node, form: FormData) -> dict[str, Any]:
            content = acts.statement(
                _field(form, "kind"),
                _field(form, "words"),
                _optional(form, "decision"),
                _optional(form, "text"),
                _optional(form, "paragraph"),
            )
            return node.negotiate(conf, ev.STATEMENT, content, _now())

        return await perform(request, back, "Statement recorded", act, conf)

    # -- trust -----------------------------------------------------------------------
    @app.get("/c/{conf}/trust", response_class=HTMLResponse)
    async def trust(request: Request, conf: str) -> Response:
        def gather(node: Node) -> dict[str, Any]:
            ctx = conference_context(node, conf)
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

        return await page(request, "trust.html.j2", gather)

    @app.post("/c/{conf}/trust/verify")
    async def mark_verified(request: Request, conf: str) -> Response:
        async def go() -> str:
            form = await read_form(request)
            state, delegate, number = (
                _field(form, "state"),
                _field(form, "delegate"),
                _field(form, "number"),
            )
            fp = await call(lambda node: node.mark_verified(conf, state, delegate, number))
            return f"{fp.label()} marked verified: their key is the one you compared"

        try:
            service.notify(Notice(True, await go()))
            service.changed()
        except LockedError:
            return RedirectResponse("/unlock", status_code=303)
        except AccordError as exc:
            service.notify(Notice(False, _reason(exc)))
        return RedirectResponse(f"/c/{conf}/trust", status_code=303)

    return app


# -- helpers ---------------------------------------------------------------------------
def _now() -> int:
    return int(time.time() * 1000)


def _secure(response: Response, path: str) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes Origin null
    if not path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


def _cookie(request: Request) -> str:
    return f"{COOKIE}_{request.url.port or 80}"


def _plain(status: int, text: str) -> Response:
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")


def _reason(exc: Exception) -> str:
    if isinstance(exc, RelayError):
        return f"the relay refused ({exc.code}): {exc.message}"
    return str(exc)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FormError(f"'{name.replace('_', ' ')}' must be filled in")
    return value.strip() if name not in {"typed", "text", "words", "reason"} else value


def _optional(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value.strip() else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _typed(typed: str, text_id: str, number: int) -> dict[str, Any]:
    try:
        return version_from_lines(typed.replace("\r\n", "\n").split("\n"), text_id, number)
    except TypedTextError as exc:
        raise FormError(f"the text cannot be tabled: {exc}") from exc


def _from_docx(upload: UploadFile, text_id: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.docx"
        path.write_bytes(upload.file.read())  # at most MAX_FORM_BYTES (`BodyLimit`)
        try:
            return import_docx(path, text_id)
        except DocxImportError as exc:
            raise FormError(str(exc).replace(str(path), upload.filename or "the document")) from exc


def _via_file(write: Callable[[Path], None], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out{suffix}"
        write(path)
        return path.read_bytes()


def _adopted(n: Negotiation, text: str) -> list[tuple[int, str]]:
    """The versions of a text adopted so far: number and deciding decision."""
    record = n.texts[text]
    out = []
    for v in record.versions:
        d = n.adopted(v.hash)
        if d is not None:
            out.append((v.number, d.id))
    return out
