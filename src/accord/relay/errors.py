"""Refusals as JSON: a stable code, a sentence a person can act on, an HTTP status."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from accord.core.codes import HTTP_STATUS, Code


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class RelayError(Exception):
    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(code: Code, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=HTTP_STATUS[code]
    )


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
        for e in exc.errors()[:3]
    )
    return error_response(Code.MALFORMED, f"the request's parameters are not valid ({problems})")


async def relay_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RelayError)
    return error_response(exc.code, exc.message)
