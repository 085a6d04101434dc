"""The guard: who may talk to this node's web interface, and the headers of every answer.

A browser on this machine that gave the passphrase: the server listens on loopback only,
refuses other Host names (DNS rebinding), sets a session cookie (HttpOnly,
SameSite=Strict, named with the port) at unlock, and checks the Origin of every form (the
session's random form token is checked with the form: `pages.Pages.read_form`). Bodies
over `MAX_FORM_BYTES` are refused before any route reads them (`BodyLimit`); every
answer carries a strict Content-Security-Policy and refuses framing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.node.web.service import WebNode

COOKIE = "accord_session"  # + the port: browsers share cookies between ports of a host
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
MAX_FORM_BYTES = 2_000_000  # a Word draft of a long treaty fits; anything larger is refused
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
Handler = Callable[[Request], Awaitable[Response]]
Middleware = Callable[[Request, Handler], Awaitable[Response]]


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
                await plain(400, "the form did not arrive whole")(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            more = message.get("more_body", False)
        total = max(total, received)
        if total > self.limit:
            refusal = plain(413, f"the form is larger than {self.limit // 1_000_000} MB")
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


def guard(service: WebNode) -> Middleware:
    """The HTTP middleware: Host, Origin, then the session (or the unlock page)."""

    async def check(request: Request, call_next: Handler) -> Response:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in LOCAL_HOSTS:
            return plain(421, "this node answers only to 127.0.0.1 or localhost")
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                return plain(403, "a form from another site was refused")
        path = request.url.path
        public = path.startswith("/static/") or path == "/unlock"
        if not public and not service.session_ok(request.cookies.get(cookie_name(request))):
            if path == "/events":
                return plain(401, "locked")
            return RedirectResponse("/unlock", status_code=303)
        response = await call_next(request)
        secure(response, path)
        return response

    return check


def secure(response: Response, path: str) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes Origin null
    if not path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


def cookie_name(request: Request) -> str:
    return f"{COOKIE}_{request.url.port or 80}"


def plain(status: int, text: str) -> Response:
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")
