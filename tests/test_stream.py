"""Subscribers get new entries pushed over WebSocket, and catch up from any position."""

from __future__ import annotations

import json
import secrets
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from accord.core import events as ev
from accord.core.epochs import Encrypted, decrypt_body
from accord.core.keys import SigningKey
from accord.core.requests import sign_request
from accord.node.client import RelayClient
from tests.load import open_conference
from tests.relay_process import relay

pytestmark = pytest.mark.slow


def _subscribe(url: str, key: SigningKey, start: int):  # type: ignore[no-untyped-def]
    path, query = "/v1/conferences/load/stream", f"start={start}"
    headers = sign_request(
        key, "GET", path, query, b"", int(time.time() * 1000), secrets.token_urlsafe(18)
    )
    return connect(
        url.replace("http", "ws") + f"{path}?{query}", additional_headers=headers, open_timeout=10
    )


def test_entries_are_pushed_as_they_are_committed(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        writers = open_conference(r.url, 2)
        reader = SigningKey.generate()
        with _subscribe(r.url, reader, 0) as ws:
            # The genesis, two joins and the plenary's first epoch.
            backlog = [json.loads(ws.recv(timeout=10)) for _ in range(4)]
            assert [e["receipt"]["seq"] for e in backlog] == [0, 1, 2, 3]
            with RelayClient(r.url, writers[0].key) as client:
                sent = writers[0].post("pushed", client)
            pushed = json.loads(ws.recv(timeout=10))
            assert pushed["receipt"] == sent
            event = ev.Event.parse(pushed["event"])
            assert isinstance(event.body, Encrypted)
            content = decrypt_body(writers[1].epoch_key, event.signed, event.body)
            assert content == {"text": "pushed"}


def test_a_subscription_must_be_signed(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        open_conference(r.url, 1)
        with (
            connect(r.url.replace("http", "ws") + "/v1/conferences/load/stream") as ws,
            pytest.raises(ConnectionClosed) as closed,
        ):
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_subscriptions_per_key_are_limited(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        open_conference(r.url, 1)
        key = SigningKey.generate()
        with ExitStack() as stack:
            for _ in range(8):
                stack.enter_context(_subscribe(r.url, key, 0))
            with _subscribe(r.url, key, 0) as extra, pytest.raises(ConnectionClosed) as closed:
                while True:
                    extra.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429


def test_a_stream_of_an_unknown_conference_is_closed_with_the_reason(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        with (
            _subscribe(r.url, SigningKey.generate(), 0) as ws,
            pytest.raises(ConnectionClosed) as closed,
        ):
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
        assert "no conference" in closed.value.rcvd.reason


def test_a_subscriber_that_leaves_frees_its_slot_at_once(tmp_path: Path) -> None:
    """A stream ends when its subscriber goes away, not at the conference's next entry:
    a node that reconnects eight times with nothing new said is not refused the ninth."""
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        open_conference(r.url, 1)
        key = SigningKey.generate()
        for _ in range(8):
            with _subscribe(r.url, key, 0) as ws:
                ws.recv(timeout=10)  # the genesis: the stream is open
        time.sleep(1.5)  # the relay's wait for new entries wakes each second
        with _subscribe(r.url, key, 0) as ninth:
            assert json.loads(ninth.recv(timeout=10))["receipt"]["seq"] == 0


@pytest.mark.parametrize("start", [2**53, 10**24])
def test_a_start_beyond_any_position_is_closed_with_the_reason(tmp_path: Path, start: int) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        with (
            _subscribe(r.url, SigningKey.generate(), start) as ws,
            pytest.raises(ConnectionClosed) as closed,
        ):
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400
        assert "start must be a position from 0 to 2^53-1" in closed.value.rcvd.reason
