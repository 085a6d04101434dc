"""The relay's HTTP routes: health and metrics, its key, opening a conference, submitting
an event, reading a range of the log, a signed checkpoint.

The two routes that take events authenticate in the handler rather than through a
FastAPI dependency, and answer with the receipt's canonical bytes rather than a validated
model: on the hot path this halves FastAPI's own work per event.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import text

from accord import __version__
from accord.core.codes import Code
from accord.core.encoding import canonical
from accord.core.errors import Violation
from accord.core.keys import SigningKey
from accord.core.log import make_checkpoint
from accord.core.requests import SignedRequest
from accord.infra.clock import now_ms
from accord.relay import store
from accord.relay.errors import (
    RelayError,
)
from accord.relay.guard import event_request, log, refuse, relay, signed
from accord.relay.models import ERRORS, EVENT_BODY, Checkpoint, Receipt, RelayInfo

router = APIRouter()


@router.get("/", response_class=PlainTextResponse, include_in_schema=False)
async def index() -> str:
    """What a person who opens the relay's address in a browser should read."""
    return (
        f"Accord relay {__version__}.\n\n"
        "This address serves Accord nodes, not people: it orders and stores the encrypted, "
        "signed acts of conferences and cannot read them. Open your delegation's own web "
        "interface (accord web serve) or use the accord command line, giving this address "
        "as --relay. Health: /health; the interface's description: /docs.\n"
    )


@router.get("/health", responses=ERRORS)
async def health(request: Request) -> dict[str, str]:
    state = relay(request)
    try:
        async with state.sequencer.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # the database is unreachable
        raise RelayError(
            Code.UNAVAILABLE, f"the database is unreachable ({exc.__class__.__name__})"
        ) from exc
    return {"status": "ok"}


@router.get("/metrics", response_class=PlainTextResponse)
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


@router.get("/v1/relay", response_model=RelayInfo)
async def info(request: Request) -> RelayInfo:
    key: SigningKey = request.app.state.key
    return RelayInfo(sequencer=key.public.text, version=__version__)


@router.post(
    "/v1/conferences",
    response_model=None,
    responses={201: {"model": Receipt}, **ERRORS},
    status_code=201,
    openapi_extra=EVENT_BODY,
)
async def create_conference(request: Request) -> Response:
    state = relay(request)
    event = await event_request(state, request)
    try:
        receipt = await state.sequencer.create(event)
    except Violation as v:
        raise refuse(state, v.code, v.message) from v
    return Response(canonical(receipt), status_code=201, media_type="application/json")


@router.post(
    "/v1/conferences/{conf}/events",
    response_model=None,
    responses={200: {"model": Receipt}, **ERRORS},
    openapi_extra=EVENT_BODY,
)
async def submit(conf: str, request: Request) -> Response:
    state = relay(request)
    event = await event_request(state, request)
    if event.conf != conf:
        raise refuse(
            state, Code.WRONG_CONFERENCE, f"the event is for {event.conf!r}, posted to {conf!r}"
        )
    try:
        receipt = await state.sequencer.submit(event)
    except Violation as v:
        raise refuse(state, v.code, v.message) from v
    log.debug(
        "event accepted",
        extra={"conf": conf, "seq": receipt["seq"], "type": event.type, "size": event.size},
    )
    return Response(canonical(receipt), media_type="application/json")


@router.get("/v1/conferences/{conf}/entries", responses=ERRORS)
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
            raise refuse(state, Code.UNKNOWN_CONFERENCE, f"no conference {conf!r} here")
        rows = await store.read_entries(conn, conf, start, limit)
    # The stored texts are canonical JSON already: they are sent as they are.
    body = ",".join(f'{{"event":{r.event},"receipt":{r.receipt}}}' for r in rows)
    return Response(f'{{"length":{length},"entries":[{body}]}}', media_type="application/json")


@router.get("/v1/conferences/{conf}/checkpoint", response_model=Checkpoint, responses=ERRORS)
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
            raise refuse(state, Code.UNKNOWN_CONFERENCE, f"no conference {conf!r} here")
        at = length - 1 if seq is None else seq
        if at >= length:
            raise refuse(state, Code.UNKNOWN_ENTRY, f"the log has no entry #{at} yet")
        last = (await store.read_entries(conn, conf, at, 1))[0]
    receipt = json.loads(last.receipt)
    key: SigningKey = request.app.state.key
    return make_checkpoint(
        key,
        conf=conf,
        seq=receipt["seq"],
        head=receipt["head"],
        time=max(now_ms(), receipt["time"]),
    )
