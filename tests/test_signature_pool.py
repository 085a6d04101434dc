"""Signatures checked in worker threads give exactly the report of checking them in line."""

from __future__ import annotations

import json

import pytest

from accord.core.encoding import canonical
from accord.core.record import verify_record
from accord.infra.signature_pool import BATCH, SignaturePool
from tests.builders import World

ENTRIES = 3 * BATCH + 17


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    world = World()
    ana, boris = world.join("ARC", "Ana Reyes"), world.join("BOR", "Boris Vlk")
    while world.view.length < ENTRIES:
        world.say(ana if world.view.length % 2 else boris, f"Statement {world.view.length}.")
    return world.lines()


def _forge_signature(line: bytes, field: str) -> bytes:
    item = json.loads(line)
    sig = item[field]["sig"]
    item[field]["sig"] = sig[:-3] + ("AAA" if sig[-3:] != "AAA" else "QQQ")
    return canonical(item) + b"\n"


def _both(lines: list[bytes]) -> tuple[object, object]:
    with SignaturePool(workers=2) as pool:
        pooled = verify_record(lines, checks=pool)
    return verify_record(lines).problem, pooled.problem


def test_a_long_valid_record(lines: list[bytes]) -> None:
    with SignaturePool() as pool:
        report = verify_record(lines, checks=pool)
    assert report.ok and report.entries == ENTRIES


@pytest.mark.parametrize("field", ["event", "receipt"])
@pytest.mark.parametrize("where", [5, BATCH, 2 * BATCH + 3, ENTRIES - 1])
def test_a_bad_signature_anywhere_is_reported_at_its_entry(
    lines: list[bytes], field: str, where: int
) -> None:
    mutated = list(lines)
    mutated[where + 1] = _forge_signature(lines[where + 1], field)
    inline, pooled = _both(mutated)
    assert inline == pooled
    assert pooled is not None and pooled.seq == where  # type: ignore[attr-defined]


def test_an_early_bad_signature_wins_over_a_later_rule_violation(lines: list[bytes]) -> None:
    mutated = list(lines)
    mutated[10] = _forge_signature(lines[10], "event")  # entry 9: only its signature is bad
    del mutated[600]  # entry 599 missing: a rule violation far later
    inline, pooled = _both(mutated)
    assert inline == pooled
    assert pooled is not None and pooled.seq == 9  # type: ignore[attr-defined]
