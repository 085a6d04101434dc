"""The relay's WebSocket stream: every entry of a conference from a position on, pushed as
it is committed (from memory when recent, from the database to catch up)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from accord.core.encoding import MAX_SAFE_INTEGER
from accord.core.requests import RequestAuthError, check_request
from accord.relay import store
from accord.relay.errors import (
    RelayError,
)
from accord.relay.guard import RelayState, fresh

router = APIRouter()


@router.websocket("/v1/conferences/{conf}/stream")
async def stream(websocket: WebSocket, conf: str, start: int = 0) -> None:
    """Pushes every entry from `start` on, as it is committed."""
    state: RelayState = websocket.app.state.relay
    try:
        req = check_request(
            dict(websocket.headers), "GET", websocket.url.path, websocket.url.query, b""
        )
        fresh(state, req)
    except (RequestAuthError, RelayError) as exc:
        # Accept, then close with a code and the reason: a bare refusal of the
        # handshake would reach the client as an unexplained HTTP 403.
        await websocket.accept()
        code = 4429 if getattr(exc, "code", "") == "rate_limited" else 4401
        await websocket.close(code=code, reason=str(exc)[:120])
        return
    who = req.key.text
    await websocket.accept()
    if not 0 <= start <= MAX_SAFE_INTEGER:
        await websocket.close(code=4400, reason="start must be a position from 0 to 2^53-1")
        return
    if state.subscribers[who] >= state.limits.max_subscribers_per_key:
        await websocket.close(code=4429, reason="too many subscriptions for this key")
        return
    # The slot is taken before any await, so that simultaneous subscriptions cannot
    # all pass the check above.
    state.subscribers[who] += 1
    wake = state.sequencer.listen()
    # A subscriber that goes away (or a relay shutting down) ends the stream now, not
    # at the next entry of this conference.
    gone = asyncio.Event()
    closing = asyncio.create_task(_until_closed(websocket, gone))
    try:
        async with state.sequencer.engine.connect() as conn:
            if await store.conference_length(conn, conf) is None:
                await websocket.close(code=4404, reason=f"no conference {conf!r} here")
                return
        position = start
        while not gone.is_set():
            lines = state.sequencer.recent(conf, position)
            if lines is None:  # not in memory: catch up from the database
                async with state.sequencer.engine.connect() as conn:
                    rows = await store.read_entries(conn, conf, position, state.limits.max_range)
                lines = [(r.seq, f'{{"event":{r.event},"receipt":{r.receipt}}}') for r in rows]
            for seq, line in lines:
                await websocket.send_text(line)
                position = seq + 1
            if len(lines) < state.limits.max_range:
                await _wait_for(wake, conf, position)
    except WebSocketDisconnect:
        pass
    finally:
        closing.cancel()
        state.sequencer.unlisten(wake)
        state.subscribers[who] -= 1


async def _until_closed(websocket: WebSocket, gone: asyncio.Event) -> None:
    """Read (and ignore) what a subscriber sends, until it disconnects."""
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        gone.set()


async def _wait_for(wake: asyncio.Queue[tuple[str, int]], conf: str, position: int) -> None:
    # Woken by this process's commits; a timeout also catches entries that another
    # relay process wrote to the shared database.
    while True:
        try:
            got, length = await asyncio.wait_for(wake.get(), timeout=1.0)
        except TimeoutError:
            return
        if got == conf and length > position:
            return
