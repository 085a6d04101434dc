"""Bad input gets a clear error and changes nothing (invariant I6)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from accord.core import events as ev
from accord.core.encoding import canonical
from accord.core.keys import SigningKey
from accord.core.requests import sign_request
from tests.builders import OPAQUE, World
from tests.load import Writer, fetch_all, now, open_conference
from tests.relay_process import RelayProcess, relay

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RelayProcess, Writer]]:
    tmp = tmp_path_factory.mktemp("relay")
    with relay(f"sqlite:///{tmp / 'r.sqlite'}", tmp) as r:
        yield r, open_conference(r.url, 1)[0]


def _post(
    url: str, path: str, body: bytes, key: SigningKey | None, headers: dict[str, str] | None = None
) -> httpx.Response:
    sent = dict(headers or {})
    if key is not None and not headers:
        sent = sign_request(
            key, "POST", path, "", body, int(time.time() * 1000), secrets.token_urlsafe(18)
        )
    return httpx.post(url + path, content=body, headers=sent, timeout=30)


def _refused(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 20  # a sentence, not a token
    message: str = error["message"]
    return message


def _message(writer: Writer, text: str = "hello") -> dict[str, object]:
    return writer.message(text)


def _unchanged(r: RelayProcess, before: int) -> None:
    assert len(fetch_all(r.url, "load")) == before


def _get(
    url: str, path: str, key: SigningKey | None, headers: dict[str, str] | None = None
) -> httpx.Response:
    sent = dict(headers or {})
    if key is not None and not headers:
        sent = sign_request(
            key, "GET", path, "", b"", int(time.time() * 1000), secrets.token_urlsafe(18)
        )
    return httpx.get(url + path, headers=sent, timeout=30)


ENTRIES = "/v1/conferences/load/entries"


def test_unsigned_request(running: tuple[RelayProcess, Writer]) -> None:
    r, _ = running
    assert "accord-key" in _refused(_get(r.url, ENTRIES, None), 401, "unsigned_request")


def test_wrongly_signed_request(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    headers = sign_request(
        w.key,
        "GET",
        "/v1/conferences/other/entries",
        "",
        b"",
        int(time.time() * 1000),
        secrets.token_urlsafe(18),
    )
    _refused(_get(r.url, ENTRIES, w.key, headers), 401, "bad_request_signature")


def test_replayed_request(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    headers = sign_request(
        w.key, "GET", ENTRIES, "", b"", int(time.time() * 1000), secrets.token_urlsafe(18)
    )
    assert _get(r.url, ENTRIES, w.key, headers).status_code == 200
    _refused(_get(r.url, ENTRIES, w.key, headers), 401, "replayed_request")


def test_a_replayed_event_changes_nothing(running: tuple[RelayProcess, Writer]) -> None:
    # An event authenticates itself; sent twice, the second copy is refused.
    r, w = running
    body = canonical(_message(w, "said once"))
    first = _post(r.url, "/v1/conferences/load/events", body, None)
    assert first.status_code == 200, first.text
    w.prev, w.seen = (
        ev.Event.parse(_json(body)).hash,
        ev.Seen(first.json()["seq"], first.json()["head"]),
    )
    before = len(fetch_all(r.url, "load"))
    _refused(_post(r.url, "/v1/conferences/load/events", body, None), 409, "duplicate_event")
    _unchanged(r, before)


def test_stale_request(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    headers = sign_request(
        w.key,
        "GET",
        ENTRIES,
        "",
        b"",
        int(time.time() * 1000) - 3_600_000,
        secrets.token_urlsafe(18),
    )
    assert "clock" in _refused(_get(r.url, ENTRIES, w.key, headers), 401, "stale_request")


def test_oversized_body(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    body = b'{"x":"' + b"a" * (3 * 1024 * 1024) + b'"}'
    _refused(_post(r.url, "/v1/conferences/load/events", body, w.key), 413, "event_too_large")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1,2]", b'{"v":1}', b'{"a":1.5}', b'{"a":1,"a":2}',
     b'{"a":' + b"9" * 5000 + b"}"],  # an integer Python would refuse to convert
)  # fmt: skip
def test_malformed_event(running: tuple[RelayProcess, Writer], body: bytes) -> None:
    r, w = running
    _refused(_post(r.url, "/v1/conferences/load/events", body, w.key), 400, "malformed")


def test_event_with_a_bad_signature(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    event = _message(w)
    event["body"] = {
        "epoch": 1,
        "content": "chacha20poly1305:" + "B" * 40,
        "commit": "A" * 43,
    }  # changed after
    _refused(
        _post(r.url, "/v1/conferences/load/events", canonical(event), w.key), 400, "bad_signature"
    )


def test_unknown_conference(running: tuple[RelayProcess, Writer]) -> None:
    r, w = running
    event = ev.make_event(
        w.key,
        conf="nowhere",
        type=ev.MESSAGE,
        body=OPAQUE,
        time=now(),
        seen=w.seen,
        prev=w.prev,
        cred=w.cred,
    )
    _refused(
        _post(r.url, "/v1/conferences/nowhere/events", canonical(event), w.key),
        404,
        "unknown_conference",
    )


def test_a_genesis_for_another_sequencer(
    running: tuple[RelayProcess, Writer], tmp_path: Path
) -> None:
    r, _ = running
    world = World(conf="elsewhere")
    _refused(
        _post(r.url, "/v1/conferences", canonical(world.genesis_event), world.host),
        400,
        "wrong_sequencer",
    )


def test_rate_limit(tmp_path: Path) -> None:
    with relay(
        f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path, "--rate", "0.5", "--burst", "5"
    ) as r:
        key = SigningKey.generate()
        codes = []
        for _ in range(10):
            headers = sign_request(
                key,
                "GET",
                "/v1/conferences/none/entries",
                "",
                b"",
                int(time.time() * 1000),
                secrets.token_urlsafe(18),
            )
            response = httpx.get(
                r.url + "/v1/conferences/none/entries", headers=headers, timeout=30
            )
            codes.append(response.json()["error"]["code"])
        assert codes[:5] == ["unknown_conference"] * 5
        assert "rate_limited" in codes[5:]
        # Another key is not affected.
        other = SigningKey.generate()
        headers = sign_request(
            other,
            "GET",
            "/v1/conferences/none/entries",
            "",
            b"",
            int(time.time() * 1000),
            secrets.token_urlsafe(18),
        )
        assert (
            httpx.get(r.url + "/v1/conferences/none/entries", headers=headers).json()["error"][
                "code"
            ]
            == "unknown_conference"
        )


def _json(body: bytes) -> dict[str, object]:
    value: dict[str, object] = json.loads(body)
    return value


def test_health_metrics_and_schema(running: tuple[RelayProcess, Writer]) -> None:
    r, _ = running
    assert httpx.get(r.url + "/health").json() == {"status": "ok"}
    # A person who opens the relay's address in a browser reads what it is, not JSON.
    index = httpx.get(r.url + "/")
    assert index.status_code == 200 and index.text.startswith("Accord relay ")
    assert "cannot read them" in index.text
    metrics = httpx.get(r.url + "/metrics").text
    accepted = next(
        line for line in metrics.splitlines() if line.startswith("accord_events_accepted_total")
    )
    assert int(accepted.split()[1]) >= 2  # the genesis and a join at least
    httpx.get(r.url + ENTRIES)  # an unsigned request, refused and counted
    metrics = httpx.get(r.url + "/metrics").text
    assert 'accord_requests_refused_total{code="unsigned_request"}' in metrics
    paths = httpx.get(r.url + "/openapi.json").json()["paths"]
    assert {"/v1/conferences/{conf}/events", "/v1/conferences/{conf}/entries", "/health"} <= set(
        paths
    )


@pytest.mark.parametrize("stamp", ["\u00b2", "\u00b9\u00b3", "\u0663\u0660"])
def test_a_time_of_digits_that_are_not_ascii_is_refused(
    running: tuple[RelayProcess, Writer], stamp: str
) -> None:
    """Superscript or Arabic-Indic digits pass `str.isdigit` but not `int`: refused as
    an unsigned request, never an internal error."""
    r, w = running
    headers = sign_request(w.key, "GET", ENTRIES, "", b"", int(time.time() * 1000),
                           secrets.token_urlsafe(18))  # fmt: skip
    raw = stamp.encode("latin-1") if stamp.isascii() or max(stamp) <= "\xff" else stamp.encode()
    sent = {
        k.encode(): raw if k.lower() == "accord-time" else v.encode() for k, v in headers.items()
    }
    assert any(k.lower() == b"accord-time" for k in sent)
    answer = httpx.get(r.url + ENTRIES, headers=sent, timeout=30)
    _refused(answer, 401, "bad_request_signature")
