"""The relay's sequencer in process, on a real SQLite database: the same sequencing step as
the core's, and a defect in one event that neither takes the batch down nor leaves a
half-folded state behind."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from accord.core.codes import Code
from accord.core.errors import Violation
from accord.core.events import Event
from accord.core.keys import SigningKey
from accord.core.verify import LogVerifier, fold
from accord.relay import sequencer as relay_sequencer
from accord.relay import store
from accord.relay.sequencer import RelaySequencer
from tests.builders import standard_world

Entries = list[tuple[dict[str, Any], dict[str, Any]]]


async def _replay(
    tmp_path: Path, key: SigningKey, entries: Entries, defect: str, clock: dict[str, int]
) -> tuple[list[dict[str, Any] | Violation], list[dict[str, Any] | Violation], Entries]:
    url = f"sqlite:///{tmp_path}/relay.sqlite"
    store.migrate(url)
    engine = store.create_engine(url)
    relay = RelaySequencer(engine, key, sync_engine=store.create_sync_engine(url))
    events = [Event.parse(e) for e, _ in entries]

    async def submit(n: int) -> dict[str, Any] | Violation:
        clock["now"] = entries[n][1]["time"]
        try:
            return await relay.submit(events[n])
        except Violation as v:
            return v

    clock["now"] = entries[0][1]["time"]
    await relay.create(events[0])
    k = next(n for n, e in enumerate(events) if e.hash == defect)
    for n in range(1, k - 1):
        assert isinstance(await submit(n), dict)
    # One batch: the event before the defect, the defect, the one after.
    clock["now"] = entries[k + 1][1]["time"]
    batch = await asyncio.gather(*(relay.submit(events[n]) for n in (k - 1, k, k + 1)),
                                 return_exceptions=True)  # fmt: skip
    retried = [await submit(n) for n in range(k, len(events))]
    async with engine.connect() as conn:
        rows = await store.read_entries(conn, entries[0][0]["conf"], 0, 1000)
    await engine.dispose()
    stored = [(json.loads(r.event), json.loads(r.receipt)) for r in rows]
    return [*batch], retried, stored  # type: ignore[list-item]


def test_a_defect_refuses_its_event_alone_and_the_state_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _ = standard_world()
    entries = world.entries()
    clock = {"now": 0}
    monkeypatch.setattr(relay_sequencer, "now_ms", lambda: clock["now"])
    # A member's act near the end, whose folding fails once, halfway: the state
    # has already lost every credential when the defect strikes.
    target = next(e for e, _ in reversed(entries[:-2]) if e["cred"] is not None)
    original = LogVerifier.commit
    struck: list[bool] = []

    def commit(self: LogVerifier, event: Event, seq: int, time: int, head: bytes) -> Any:
        if event.hash == Event.parse(target).hash and not struck and self.state is not None:
            struck.append(True)
            self.state.credentials.clear()
            raise RuntimeError("a defect")
        return original(self, event, seq, time, head)

    monkeypatch.setattr(LogVerifier, "commit", commit)
    batch, retried, stored = asyncio.run(
        _replay(tmp_path, world.sequencer_key, entries, Event.parse(target).hash, clock)
    )
    before, failed, after = batch
    assert isinstance(before, dict)
    assert isinstance(failed, Violation) and failed.code == Code.MALFORMED
    assert "a defect" in failed.message
    # The event after it was not judged against the half-folded state: it waits.
    assert isinstance(after, Violation) and after.code == Code.UNAVAILABLE
    # Read again from the database, the relay accepts the rest, the defective one included.
    assert all(isinstance(r, dict) for r in retried), retried
    assert [r["head"] for _, r in stored] == [r["head"] for _, r in entries]
    assert fold(stored).genesis_hash == fold(entries).genesis_hash
