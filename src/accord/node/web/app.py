"""The web interface's application: the guard around it, the static files, the pages.

Every page is whole server-rendered HTML that works without script; htmx (vendored)
makes links and forms feel instant and refreshes the live part of a page when the node's
event stream says the record changed. Acts go through `accord.node.acts`, exactly as
from the command line, and each shows its receipt afterwards. Who may talk to this
server is the guard's business (`guard.py`); the routes are in `routes/`, one module per
family of pages.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from accord.node.web.guard import MAX_FORM_BYTES, BodyLimit, guard, secure
from accord.node.web.pages import Pages
from accord.node.web.routes import conferences, decisions, downloads, session, texts, trust
from accord.node.web.service import WebNode


def create_app(service: WebNode) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyLimit, limit=MAX_FORM_BYTES)
    pages = app.state.pages = Pages(service)
    static = resources.files("accord.node.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.middleware("http")(guard(service))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception after this answer; the answer keeps the notices
        # for the next page and the guard's headers (it runs outside the guard).
        response = pages.render(
            request, "error.html.j2", 500, title="Error", keep_notices=True,
            error="Something went wrong on this node; nothing was posted unless a receipt "
            "was shown. The node's log has the details.",
        )  # fmt: skip
        secure(response, request.url.path)
        return response

    for family in (session, conferences, texts, downloads, decisions, trust):
        app.include_router(family.router)
    return app
