"""Two relay processes share one PostgreSQL: many concurrent submitters through both get
one total, gap-free, verifiable order."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from accord.core.verify import fold
from accord.node.client import RelayClient
from tests.load import Writer, fetch_all, open_conference
from tests.relay_process import RelayProcess, postgres_database

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

WRITERS = 8
POSTS = 40


def _post(writer: Writer, relay: str) -> None:
    with RelayClient(relay, writer.key) as client:
        for i in range(POSTS):
            writer.post(f"message {i}", client)


def test_two_relays_one_database(tmp_path: Path) -> None:
    key = tmp_path / "sequencer.key"
    with postgres_database() as db:
        a = RelayProcess(db, key, tmp_path / "a.log").start()
        b = RelayProcess(db, key, tmp_path / "b.log").start()
        try:
            writers = open_conference(a.url, WRITERS)
            threads = [
                threading.Thread(target=_post, args=(w, (a if i % 2 else b).url))
                for i, w in enumerate(writers)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            from_a, from_b = fetch_all(a.url, "load"), fetch_all(b.url, "load")
        finally:
            a.stop()
            b.stop()
    assert from_a == from_b, "both relays serve the same log"
    assert len(from_a) == 1 + WRITERS + 1 + WRITERS * POSTS  # genesis, joins, epoch, posts
    assert [e["receipt"]["seq"] for e in from_a] == list(range(len(from_a)))
    state = fold((e["event"], e["receipt"]) for e in from_a)  # verifies every entry
    assert state.message_count == WRITERS * POSTS
    receipts = [r for w in writers for r in w.receipts]
    assert len({r["seq"] for r in receipts}) == len(receipts)
    for receipt in receipts:
        assert from_a[receipt["seq"]]["receipt"] == receipt
