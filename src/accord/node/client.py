"""Talking to a relay over HTTP, every request signed by the caller's key."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from accord.core.encoding import canonical
from accord.core.errors import AccordError
from accord.core.events import MAX_EVENT_BYTES
from accord.core.keys import SigningKey
from accord.core.requests import sign_request
from accord.infra.clock import now_ms


class RelayError(AccordError):
    """The relay refused a request (code and sentence from the relay) or is unreachable."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


_WOULD_BE = re.compile(r"^entry #(\d+): ")


def _refusal(message: str) -> str:
    """A refused event was never an entry: the relay's "entry #12: ..." names the place it
    would have taken, which a later act then takes. Say so, rather than name that entry."""
    return _WOULD_BE.sub(r"not recorded (it would have been entry #\1): ", message, count=1)


class RelayClient:
    def __init__(self, url: str, key: SigningKey, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.key = key
        self._http = httpx.Client(base_url=self.url, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        params: dict[str, int] | None = None,
        body: bytes = b"",
        sign: bool = True,
    ) -> Any:
        query = str(httpx.QueryParams(params or {}))
        headers: dict[str, str] = {}
        if sign:
            headers = sign_request(
                self.key,
                method,
                path,
                query,
                body,
                now_ms(),
                secrets.token_urlsafe(18),
            )
        if body:
            headers["content-type"] = "application/json"
        try:
            response = self._http.request(
                method, path + (f"?{query}" if query else ""), content=body, headers=headers
            )
        except httpx.HTTPError as exc:
            raise RelayError("unreachable", f"cannot reach the relay at {self.url}: {exc}") from exc
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
                raise RelayError(error["code"], _refusal(error["message"]), response.status_code)
            except (ValueError, KeyError, TypeError):
                raise RelayError(
                    "relay_error",
                    f"the relay answered {response.status_code}",
                    response.status_code,
                ) from None
        return response.json()

    def info(self) -> dict[str, Any]:
        try:
            response = self._http.get("/v1/relay")
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise RelayError("unreachable", f"cannot reach the relay at {self.url}: {exc}") from exc
        info: dict[str, Any] = response.json()
        return info

    def create_conference(self, genesis_event: dict[str, Any]) -> dict[str, Any]:
        return self._post_event("/v1/conferences", genesis_event)

    def submit(self, event: dict[str, Any]) -> dict[str, Any]:
        return self._post_event(f"/v1/conferences/{event['conf']}/events", event)

    def _post_event(self, path: str, event: dict[str, Any]) -> dict[str, Any]:
        # An event authenticates itself (its author's signature, time and chain link):
        # no request signature is needed or checked.
        result: dict[str, Any] = self._request("POST", path, body=canonical(event), sign=False)
        return result

    def entries(self, conf: str, start: int, limit: int = 1000) -> tuple[int, list[dict[str, Any]]]:
        page = self._request(
            "GET", f"/v1/conferences/{conf}/entries", {"start": start, "limit": limit}
        )
        # A hostile relay may answer anything: check the page's shape before using it.
        if (
            not isinstance(page, dict)
            or not isinstance(page.get("length"), int)
            or not isinstance(page.get("entries"), list)
            or not all(
                isinstance(e, dict) and set(e) == {"event", "receipt"} for e in page["entries"]
            )
        ):
            raise RelayError(
                "bad_response", "the relay's page of entries is not in the protocol's form"
            )
        return page["length"], page["entries"]

    def iter_entries(self, conf: str, start: int) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every entry from `start` to the log's current end, page by page, with the length."""
        while True:
            length, page = self.entries(conf, start)
            for entry in page:
                yield length, entry
            start += len(page)
            if not page or start >= length:
                return

    def checkpoint(self, conf: str) -> dict[str, Any]:
        """The relay's signed statement of the log's current end."""
        result: dict[str, Any] = self._request("GET", f"/v1/conferences/{conf}/checkpoint")
        return result

    def checkpoint_at(self, conf: str, seq: int) -> dict[str, Any]:
        """A signed checkpoint for the log as it was at entry `seq` (to close an export)."""
        result: dict[str, Any] = self._request(
            "GET", f"/v1/conferences/{conf}/checkpoint", {"seq": seq}
        )
        return result

    def subscribe(self, conf: str, start: int) -> ClientConnection:
        """The relay's stream of `conf` from entry `start` on (a WebSocket, signed like
        any request): each message is an entry as it is committed. What it pushes is
        only a wake-up call for `Node.sync`, which fetches and verifies as always."""
        path, query = f"/v1/conferences/{conf}/stream", f"start={start}"
        headers = sign_request(
            self.key, "GET", path, query, b"", now_ms(), secrets.token_urlsafe(18)
        )
        url = self.url.replace("http", "ws", 1) + f"{path}?{query}"
        try:
            return connect(
                url, additional_headers=headers, open_timeout=5,
                max_size=2 * MAX_EVENT_BYTES,  # an entry: the event and its receipt
            )  # fmt: skip
        except (OSError, TimeoutError, ValueError) as exc:
            raise RelayError("unreachable", f"cannot open the relay's stream: {exc}") from exc
