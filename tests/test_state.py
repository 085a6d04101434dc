"""The conference state is a pure function of the verified log (invariant I5)."""

from __future__ import annotations

import json

import pytest

from accord.core.errors import Violation
from accord.core.record import verify_record
from accord.core.verify import fold
from tests.builders import World, standard_world


def test_the_same_log_gives_the_same_state_on_every_machine() -> None:
    world, _ = standard_world()
    entries = world.entries()
    first = fold(entries)

    # A second machine reads the record file instead, in JSON re-serialised with other
    # whitespace and key order: the state is the same to the byte.
    def relay_out(line: bytes) -> bytes:
        return json.dumps(json.loads(line), indent=1).replace("\n", " ").encode() + b"\n"

    relaid = [world.lines()[0], *(relay_out(line) for line in world.lines()[1:])]
    report = verify_record(relaid)
    assert report.ok, report.problem
    assert report.state is not None
    assert report.state.digest() == first.digest() == fold(entries).digest()
    assert report.state.summary() == first.summary()


def test_the_state_holds_states_delegates_powers_revocations_and_messages() -> None:
    world, _ = standard_world()
    state = fold(world.entries())
    summary = state.summary()
    assert [s["code"] for s in summary["states"]] == ["ARC", "BOR", "CAL"]
    delegates = {d["delegate"]: d for d in summary["delegates"]}
    assert delegates["Boris Vlk"]["powers"] == ["adopt", "negotiate"]
    assert delegates["Boris Vlk"]["revoked_at"] is not None
    assert delegates["Ana Reyes"]["revoked_at"] is None
    assert summary["channels"] == []  # the plenary only, which every conference has
    assert len(summary["messages"]) == state.message_count == 6
    assert all("text" not in m for m in summary["messages"])  # content stays encrypted
    assert summary["messages"][0]["author"] == "the chair (Chair)"
    assert summary["messages"][1]["author"] == "Ana Reyes (ARC)"


def test_a_state_differs_when_the_log_differs() -> None:
    world, authors = standard_world()
    before = fold(world.entries()).digest()
    world.say(authors["ARC"], "One more.")
    assert fold(world.entries()).digest() != before


def test_no_state_is_computed_from_an_invalid_log() -> None:
    world, _ = standard_world()
    entries = world.entries()
    entries[3], entries[4] = entries[4], entries[3]
    with pytest.raises(Violation) as exc:
        fold(entries)
    assert exc.value.seq == 3


def test_memory_light_verification_keeps_counts_but_not_texts() -> None:
    world, _ = standard_world()
    state = fold(world.entries(), keep_messages=False)
    assert state.message_count == 6 and not state.messages


def test_an_empty_log_has_no_state() -> None:
    with pytest.raises(Violation, match="empty"):
        fold([])


def test_the_chair_may_speak_without_full_powers() -> None:
    world = World()
    world.say(world.chair, "Order, please.")
    assert fold(world.entries()).message_count == 1
