"""The node's replica on a real SQLite file: entries stored by another process using the
same node folder (the web interface beside the command line) are kept, not stored twice,
and a different entry at the same position is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.node.replica import Replica, ReplicaConflict
from tests.builders import standard_world


def test_entries_another_process_stored_are_kept_and_not_stored_twice(tmp_path: Path) -> None:
    entries = standard_world()[0].entries()
    mine, theirs = Replica(tmp_path / "replica.sqlite"), Replica(tmp_path / "replica.sqlite")
    try:
        theirs.append("test-conf", 0, entries[:8])  # the other process synced first
        mine.append("test-conf", 0, entries[:5])  # what this one verified before
        mine.append("test-conf", 5, entries[5:])  # and after
        assert list(mine.iter_entries("test-conf")) == entries
        assert mine.length("test-conf") == len(entries)
    finally:
        mine.close()
        theirs.close()


def test_a_different_entry_at_a_stored_position_is_refused(tmp_path: Path) -> None:
    entries = standard_world()[0].entries()
    other = standard_world()[0].entries()[:3]  # same positions, but another receipt time
    other[2] = (other[2][0], {**other[2][1], "time": other[2][1]["time"] + 1})
    replica = Replica(tmp_path / "replica.sqlite")
    try:
        replica.append("test-conf", 0, entries[:3])
        with pytest.raises(ReplicaConflict, match="entry #2 of test-conf"):
            replica.append("test-conf", 0, other)
        assert list(replica.iter_entries("test-conf")) == entries[:3]
    finally:
        replica.close()
