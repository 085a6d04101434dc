"""Signed requests: how a client authenticates to a relay without passwords or tokens.

A request carries four headers: the key (`Accord-Key`), the time (`Accord-Time`, ms), a
random nonce (`Accord-Nonce`) and a signature (`Accord-Signature`) over

    {"method", "path", "query", "time", "nonce", "body": <sha256 of the body>}

with the context label `request`. A relay accepts a request only within its time window
and only once per nonce, so a captured request cannot be replayed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.core.codes import Code
from accord.core.encoding import hash_tag, sha256
from accord.core.errors import AccordError, EncodingError
from accord.core.keys import PublicKey, SigningKey

REQUEST_CONTEXT = "request"
HEADER_KEY = "accord-key"
HEADER_TIME = "accord-time"
HEADER_NONCE = "accord-nonce"
HEADER_SIGNATURE = "accord-signature"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class SignedRequest:
    key: PublicKey
    time: int
    nonce: str


class RequestAuthError(AccordError):
    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _statement(
    method: str, path: str, query: str, time: int, nonce: str, body: bytes
) -> dict[str, object]:
    return {
        "method": method.upper(),
        "path": path,
        "query": query,
        "time": time,
        "nonce": nonce,
        "body": hash_tag(sha256(body)),
    }


def sign_request(
    key: SigningKey, method: str, path: str, query: str, body: bytes, time: int, nonce: str
) -> dict[str, str]:
    """The headers that authenticate a request."""
    signed = key.sign_object(REQUEST_CONTEXT, _statement(method, path, query, time, nonce, body))
    return {
        HEADER_KEY: key.public.text,
        HEADER_TIME: str(time),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signed["sig"],
    }


def check_request(
    headers: dict[str, str], method: str, path: str, query: str, body: bytes
) -> SignedRequest:
    """Check a request's signature (not its freshness, which needs the relay's memory)."""
    missing = [
        h for h in (HEADER_KEY, HEADER_TIME, HEADER_NONCE, HEADER_SIGNATURE) if h not in headers
    ]
    if missing:
        raise RequestAuthError(
            Code.UNSIGNED_REQUEST,
            f"the request lacks the {missing[0]} header: every request is signed by the "
            "sender's key (see docs/protocol.md, Signed requests)",
        )
    try:
        key = PublicKey.parse(headers[HEADER_KEY], "Accord-Key")
    except EncodingError as exc:
        raise RequestAuthError(Code.BAD_REQUEST_SIGNATURE, str(exc)) from exc
    stamp = headers[HEADER_TIME]
    # ASCII digits only: `isdigit` alone admits "²" or "¹³", which `int` then refuses.
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 15:
        raise RequestAuthError(
            Code.BAD_REQUEST_SIGNATURE, "Accord-Time must be milliseconds since 1970"
        )
    nonce = headers[HEADER_NONCE]
    if not _NONCE.fullmatch(nonce):
        raise RequestAuthError(
            Code.BAD_REQUEST_SIGNATURE, "Accord-Nonce must be 16-64 base64url characters"
        )
    time = int(headers[HEADER_TIME])
    statement = _statement(method, path, query, time, nonce, body)
    try:
        key.verify_object(
            REQUEST_CONTEXT,
            {**statement, "sig": headers[HEADER_SIGNATURE]},
            "the request signature",
        )
    except AccordError as exc:
        raise RequestAuthError(
            Code.BAD_REQUEST_SIGNATURE, f"{exc}: the request was altered or not signed by that key"
        ) from exc
    return SignedRequest(key, time, nonce)
