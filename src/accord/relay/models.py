"""The shapes the relay's OpenAPI description gives: answers, refusals, event bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from accord.relay.errors import ErrorResponse

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
