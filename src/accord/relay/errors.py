"""Refusals as JSON: a stable code, a sentence a person can act on, an HTTP status."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

STATUS = {
    "malformed": 400,
    "bad_signature": 400,
    "bad_genesis": 400,
    "wrong_sequencer": 400,
    "wrong_conference": 400,
    "future_time": 400,
    "unknown_channel": 400,
    "event_too_large": 413,
    "unsigned_request": 401,
    "bad_request_signature": 401,
    "stale_request": 401,
    "stale_event": 400,
    "replayed_request": 401,
    "not_member": 403,
    "wrong_key": 403,
    "power_missing": 403,
    "revoked": 403,
    "expired": 403,
    "not_yet_valid": 403,
    "not_accredited": 403,
    "wrong_root": 403,
    "wrong_conference_credential": 403,
    "observer_cannot_act": 403,
    "not_channel_member": 403,
    "channel_rule": 403,
    "device_rule": 403,
    "chair_only": 403,
    "epoch_recipients": 400,
    "unknown_conference": 404,
    "unknown_entry": 404,
    "conference_exists": 409,
    "already_joined": 409,
    "chain_break": 409,
    "duplicate_event": 409,
    "fork": 409,
    "unknown_head": 409,
    "seen_invalid": 409,
    "genesis_repeated": 409,
    "channel_exists": 409,
    "duplicate_device": 409,
    # Another member keyed the channel first, or a new epoch is due: sync and retry.
    "epoch_sequence": 409,
    "wrong_epoch": 409,
    "stale_epoch": 409,
    "rate_limited": 429,
    "unavailable": 503,
}


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class RelayError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=STATUS.get(code, 400)
    )


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
        for e in exc.errors()[:3]
    )
    return error_response("malformed", f"the request's parameters are not valid ({problems})")


async def relay_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RelayError)
    return error_response(exc.code, exc.message)
