"""What the relay checks before a route acts: signed requests (fresh, not replayed, not
too fast), body sizes, submitted events; refusals counted and logged (never bodies).
`RelayState` is what one relay process holds: its sequencer, limits and counters."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from fastapi import Request

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.encoding import parse_json
from accord.core.errors import AccordError, SignatureError
from accord.core.requests import RequestAuthError, SignedRequest, check_request
from accord.infra.clock import now_ms
from accord.relay.errors import (
    RelayError,
)
from accord.relay.limits import Limits, RateLimiter, ReplayGuard
from accord.relay.sequencer import RelaySequencer

log = logging.getLogger("accord.relay")


@dataclass
class RelayState:
    sequencer: RelaySequencer
    limits: Limits
    replay: ReplayGuard
    rates: RateLimiter
    subscribers: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)


def relay(request: Request) -> RelayState:
    state: RelayState = request.app.state.relay
    return state


async def signed(request: Request) -> SignedRequest:
    """Authenticate a request by its signature; refuse stale, replayed or too fast."""
    state = relay(request)
    body = await read_body(state, request)
    try:
        req = check_request(
            dict(request.headers), request.method, request.url.path, request.url.query, body
        )
    except RequestAuthError as exc:
        raise refuse(state, exc.code, exc.message) from exc
    fresh(state, req)
    return req


def fresh(state: RelayState, req: SignedRequest) -> None:
    reason = state.replay.fresh(req.key.text, req.nonce, req.time, now_ms())
    if reason is not None:
        code = Code.REPLAYED_REQUEST if "replay" in reason else Code.STALE_REQUEST
        raise refuse(state, code, reason)
    if not state.rates.allow(req.key.text):
        raise refuse(state, Code.RATE_LIMITED, too_fast(state))


async def read_body(state: RelayState, request: Request) -> bytes:
    limit = state.limits.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and (
        not (declared.isascii() and declared.isdigit()) or int(declared) > limit
    ):
        raise refuse(state, Code.EVENT_TOO_LARGE, f"the body is larger than {limit} bytes")
    # Read as a stream with a cap: a chunked body declares no length up front.
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise refuse(state, Code.EVENT_TOO_LARGE, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def event_request(state: RelayState, request: Request) -> ev.Event:
    """Read and check a submitted event. The event's own signature authenticates the
    request: it names its author, its time and its place in the author's chain, so a
    replay is refused by the sequencer (duplicate_event or chain_break) and changes
    nothing. A second, request-level signature would only repeat it."""
    body = await read_body(state, request)
    try:
        event = ev.Event.parse(parse_json(body))
    except AccordError as exc:
        code = Code.BAD_SIGNATURE if isinstance(exc, SignatureError) else Code.MALFORMED
        raise refuse(state, code, f"the event is refused: {exc}") from exc
    if not state.rates.allow(event.author.text):
        raise refuse(state, Code.RATE_LIMITED, too_fast(state))
    return event


def too_fast(state: RelayState) -> str:
    return (
        f"more than {state.limits.rate_per_second:g} requests per second from this key; "
        "slow down and retry"
    )


def refuse(state: RelayState, code: Code, message: str) -> RelayError:
    state.refusals[code] += 1
    log.info("refused", extra={"code": code})
    return RelayError(code, message)
