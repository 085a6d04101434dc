"""Nothing acknowledged is lost (invariant I4): the relay is killed with SIGKILL at random
moments while writers post; after each restart, every event for which a receipt was
returned is in the log, in order, and the log verifies."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from accord.core.verify import fold
from accord.node.client import RelayClient, RelayError
from tests.load import Writer, fetch_all, open_conference
from tests.relay_process import RelayProcess

pytestmark = pytest.mark.slow

ROUNDS = 3
WRITERS = 4


def _write_until_failure(writer: Writer, relay: str, stop: threading.Event) -> None:
    with RelayClient(relay, writer.key, timeout=5) as client:
        n = 0
        while not stop.is_set():
            try:
                writer.post(
                    f"{(writer.cred or '')[-6:]} message {len(writer.receipts)}-{n}", client
                )
            except RelayError:
                return  # the relay died: whatever had no receipt may or may not be stored
            n += 1


def test_receipted_events_survive_sigkill(database_url: str, tmp_path: Path) -> None:
    rng = random.Random(1234)
    relay = RelayProcess(database_url, tmp_path / "sequencer.key", tmp_path / "relay.log").start()
    try:
        writers = open_conference(relay.url, WRITERS)
        for _ in range(ROUNDS):
            stop = threading.Event()
            threads = [
                threading.Thread(target=_write_until_failure, args=(w, relay.url, stop))
                for w in writers
            ]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.5, 2.0))
            relay.kill()
            stop.set()
            for t in threads:
                t.join(30)
            relay.start()
            entries = fetch_all(relay.url, "load")
            for w in writers:
                w.resync(entries)
        entries = fetch_all(relay.url, "load")
    finally:
        relay.stop()
    state = fold((e["event"], e["receipt"]) for e in entries)  # raises if it does not verify
    receipts = [r for w in writers for r in w.receipts]
    assert state.message_count > 0 and len(receipts) > WRITERS
    for receipt in receipts:
        assert entries[receipt["seq"]]["receipt"] == receipt, (
            f"receipted entry #{receipt['seq']} was lost"
        )
