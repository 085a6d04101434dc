"""The relay's HTTP and WebSocket interface (FastAPI on uvicorn).

Every request except `/health`, `/metrics` and `/v1/relay` is signed by the sender's key
(`accord.core.requests`). The relay checks all it can see, sequences, commits, then
answers with the receipt. Logs are structured and never contain event bodies.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from accord import __version__
from accord.core import events as ev
from accord.core.encoding import canonical, parse_json
from accord.core.errors import AccordError, SignatureError, Violation
from accord.core.keys import SigningKey
from accord.core.log import make_checkpoint
from accord.core.requests import RequestAuthError, SignedRequest, check_request
from accord.relay import store
from accord.relay.errors import (
    ErrorResponse,
    RelayError,
    relay_error_handler,
    validation_error_handler,
)
from accord.relay.limits import Limits, RateLimiter, ReplayGuard
from accord.relay.sequencer import RelaySequencer, now_ms

log = logging.getLogger("accord.relay")
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 409, 413, 429, 503)
}


# The body is read raw (its signature covers its bytes); described here for clients.
EVENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A signed event (docs/protocol.md, section 4), as canonical JSON.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@dataclass
class RelayState:
    sequencer: RelaySequencer
    limits: Limits
    replay: ReplayGuard
    rates: RateLimiter
    subscribers: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)


class RelayInfo(BaseModel):
    sequencer: str
    version: str


class Receipt(BaseModel):
    v: int
    conf: str
    seq: int
    event: str
    head: str
    time: int
    sig: str


class Checkpoint(BaseModel):
    v: int
    conf: str
    seq: int
    head: str
    time: int
    sig: str


def create_app(db_url: str, key: SigningKey, limits: Limits | None = None) -> FastAPI:
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(store.migrate, db_url)
        engine = store.create_engine(db_url)
        sync_engine = store.create_sync_engine(db_url)
        app.state.relay = RelayState(
            RelaySequencer(engine, key, sync_engine),
            limits,
            ReplayGuard(limits.request_window_ms),
            RateLimiter(limits.rate_per_second, limits.burst),
        )
        log.info("relay ready", extra={"sequencer": key.public.text})
        yield
        await engine.dispose()
        if sync_engine is not None:
            sync_engine.dispose()

    app = FastAPI(
        title="Accord relay",
        version=__version__,
        description="Sequences signed events, commits them durably and returns signed "
        "receipts. Trusted with availability only: members verify everything it serves.",
        lifespan=lifespan,
    )
    app.add_exception_handler(RelayError, relay_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    def relay(request: Request) -> RelayState:
        state: RelayState = request.app.state.relay
        return state

    async def signed(request: Request) -> SignedRequest:
        """Authenticate a request by its signature; refuse stale, replayed or too fast."""
        state = relay(request)
        body = await _read_body(state, request)
        try:
            req = check_request(
                dict(request.headers), request.method, request.url.path, request.url.query, body
            )
        except RequestAuthError as exc:
            raise _refuse(state, exc.code, exc.message) from exc
        _fresh(state, req)
        return req

    @app.get("/health", responses=ERRORS)
    async def health(request: Request) -> dict[str, str]:
        state = relay(request)
        try:
            async with state.sequencer.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # the database is unreachable
            raise RelayError(
                "unavailable", f"the database is unreachable ({exc.__class__.__name__})"
            ) from exc
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse)
    async def metrics(request: Request) -> str:
        state = relay(request)
        seq = state.sequencer
        lines = [
            "# TYPE accord_events_accepted_total counter",
            f"accord_events_accepted_total {seq.accepted}",
            "# TYPE accord_events_refused_total counter",
            f"accord_events_refused_total {seq.refused}",
            "# TYPE accord_batches_total counter",
            f"accord_batches_total {seq.batches}",
            "# TYPE accord_subscribers gauge",
            f"accord_subscribers {sum(state.subscribers.values())}",
            "# TYPE accord_requests_refused_total counter",
        ]
        lines += [
            f'accord_requests_refused_total{{code="{c}"}} {n}'
            for c, n in sorted(state.refusals.items())
        ]
        return "\n".join(lines) + "\n"

    @app.get("/v1/relay", response_model=RelayInfo)
    async def info() -> RelayInfo:
        return RelayInfo(sequencer=key.public.text, version=__version__)

    # The two routes that take events authenticate in the handler rather than through
    # a FastAPI dependency, and answer with the receipt's canonical bytes rather than a
    # validated model: on the hot path this halves FastAPI's own work per event.
    @app.post(
        "/v1/conferences",
        response_model=None,
        responses={201: {"model": Receipt}, **ERRORS},
        status_code=201,
        openapi_extra=EVENT_BODY,
    )
    async def create_conference(request: Request) -> Response:
        state = relay(request)
        event = await _event_request(state, request)
        try:
            receipt = await state.sequencer.create(event)
        except Violation as v:
            raise _refuse(state, v.code, v.message) from v
        return Response(canonical(receipt), status_code=201, media_type="application/json")

    @app.post(
        "/v1/conferences/{conf}/events",
        response_model=None,
        responses={200: {"model": Receipt}, **ERRORS},
        openapi_extra=EVENT_BODY,
    )
    async def submit(conf: str, request: Request) -> Response:
        state = relay(request)
        event = await _event_request(state, request)
        if event.conf != conf:
            raise _refuse(
                state, "wrong_conference", f"the event is for {event.conf!r}, posted to {conf!r}"
            )
        try:
            receipt = await state.sequencer.submit(event)
        except Violation as v:
            raise _refuse(state, v.code, v.message) from v
        log.debug(
            "event accepted",
            extra={"conf": conf, "seq": receipt["seq"], "type": event.type, "size": event.size},
        )
        return Response(canonical(receipt), media_type="application/json")

    @app.get("/v1/conferences/{conf}/entries", responses=ERRORS)
    async def entries(
        conf: str,
        request: Request,
        start: int = Query(0, ge=0, le=2**53 - 1),
        limit: int = Query(1000, ge=1, le=10_000),
        req: SignedRequest = Depends(signed),
    ) -> Response:
        """A range of the log, for catch-up: entries from `start`, at most `limit`."""
        state = relay(request)
        limit = min(limit, state.limits.max_range)
        async with state.sequencer.engine.connect() as conn:
            length = await store.conference_length(conn, conf)
            if length is None:
                raise _refuse(state, "unknown_conference", f"no conference {conf!r} here")
            rows = await store.read_entries(conn, conf, start, limit)
        # The stored texts are canonical JSON already: they are sent as they are.
        body = ",".join(f'{{"event":{r.event},"receipt":{r.receipt}}}' for r in rows)
        return Response(f'{{"length":{length},"entries":[{body}]}}', media_type="application/json")

    @app.get("/v1/conferences/{conf}/checkpoint", response_model=Checkpoint, responses=ERRORS)
    async def checkpoint(
        conf: str,
        request: Request,
        seq: int | None = Query(None, ge=0, le=2**53 - 1),
        req: SignedRequest = Depends(signed),
    ) -> dict[str, Any]:
        """The relay's signed statement of the log's length and head: now, or at `seq`."""
        state = relay(request)
        async with state.sequencer.engine.connect() as conn:
            length = await store.conference_length(conn, conf)
            if length is None:
                raise _refuse(state, "unknown_conference", f"no conference {conf!r} here")
            at = length - 1 if seq is None else seq
            if at >= length:
                raise _refuse(state, "unknown_entry", f"the log has no entry #{at} yet")
            last = (await store.read_entries(conn, conf, at, 1))[0]
        receipt = json.loads(last.receipt)
        return make_checkpoint(
            key,
            conf=conf,
            seq=receipt["seq"],
            head=receipt["head"],
            time=max(now_ms(), receipt["time"]),
        )

    @app.websocket("/v1/conferences/{conf}/stream")
    async def stream(websocket: WebSocket, conf: str, start: int = 0) -> None:
        """Pushes every entry from `start` on, as it is committed."""
        state: RelayState = websocket.app.state.relay
        try:
            req = check_request(
                dict(websocket.headers), "GET", websocket.url.path, websocket.url.query, b""
            )
            _fresh(state, req)
        except (RequestAuthError, RelayError) as exc:
            # Accept, then close with a code and the reason: a bare refusal of the
            # handshake would reach the client as an unexplained HTTP 403.
            await websocket.accept()
            code = 4429 if getattr(exc, "code", "") == "rate_limited" else 4401
            await websocket.close(code=code, reason=str(exc)[:120])
            return
        who = req.key.text
        await websocket.accept()
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
                        rows = await store.read_entries(
                            conn, conf, position, state.limits.max_range
                        )
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

    return app


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


def _fresh(state: RelayState, req: SignedRequest) -> None:
    reason = state.replay.fresh(req.key.text, req.nonce, req.time, now_ms())
    if reason is not None:
        code = "replayed_request" if "replay" in reason else "stale_request"
        raise _refuse(state, code, reason)
    if not state.rates.allow(req.key.text):
        raise _refuse(state, "rate_limited", _too_fast(state))


async def _read_body(state: RelayState, request: Request) -> bytes:
    limit = state.limits.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise _refuse(state, "event_too_large", f"the body is larger than {limit} bytes")
    # Read as a stream with a cap: a chunked body declares no length up front.
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _refuse(state, "event_too_large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _event_request(state: RelayState, request: Request) -> ev.Event:
    """Read and check a submitted event. The event's own signature authenticates the
    request: it names its author, its time and its place in the author's chain, so a
    replay is refused by the sequencer (duplicate_event or chain_break) and changes
    nothing. A second, request-level signature would only repeat it."""
    body = await _read_body(state, request)
    try:
        event = ev.Event.parse(parse_json(body))
    except AccordError as exc:
        code = "bad_signature" if isinstance(exc, SignatureError) else "malformed"
        raise _refuse(state, code, f"the event is refused: {exc}") from exc
    if not state.rates.allow(event.author.text):
        raise _refuse(state, "rate_limited", _too_fast(state))
    return event


def _too_fast(state: RelayState) -> str:
    return (
        f"more than {state.limits.rate_per_second:g} requests per second from this key; "
        "slow down and retry"
    )


def _refuse(state: RelayState, code: str, message: str) -> RelayError:
    state.refusals[code] += 1
    log.info("refused", extra={"code": code})
    return RelayError(code, message)
