"""The session: unlock with the passphrase, lock, and the live event stream (SSE)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from accord.node.keystore import KeystoreError
from accord.node.web.forms import (
    FormError,
    int_or_none,
)
from accord.node.web.guard import cookie_name, plain
from accord.node.web.pages import pages

router = APIRouter()


@router.get("/unlock", response_class=HTMLResponse)
async def unlock_page(request: Request) -> Response:
    p = pages(request)
    return p.render(request, "unlock.html.j2", title="Unlock", error=None)


@router.post("/unlock")
async def unlock(request: Request) -> Response:
    p = pages(request)
    form = await request.form(max_files=0, max_fields=5)
    passphrase = str(form.get("passphrase", ""))
    try:
        token = await run_in_threadpool(p.service.unlock, passphrase)
    except KeystoreError as exc:
        await asyncio.sleep(0.5)  # slows guessing from a page
        return p.render(request, "unlock.html.j2", 401, title="Unlock", error=str(exc))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(cookie_name(request), token, httponly=True, samesite="strict", path="/")
    return response


@router.post("/lock")
async def lock(request: Request) -> Response:
    p = pages(request)
    try:
        await p.read_form(request)
    except FormError as exc:
        return plain(403, str(exc))
    await run_in_threadpool(p.service.lock)
    response = RedirectResponse("/unlock", status_code=303)
    response.delete_cookie(cookie_name(request), path="/")
    return response


@router.get("/events")
async def events(request: Request) -> Response:
    p = pages(request)
    # From the count the page was rendered at: a change between the page's rendering
    # and this stream's start is told at once, not lost.
    since = int_or_none(request.query_params.get("since"))
    session = request.cookies.get(cookie_name(request))

    async def stream() -> AsyncIterator[str]:
        last, quiet = (p.service.changes if since is None else since), 0.0
        yield "retry: 2000\n\n"
        while p.service.session_ok(session):  # ends when locked or unlocked anew
            if p.service.changes != last:
                last, quiet = p.service.changes, 0.0
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
