"""Any single mutation of a valid record is detected, at the entry that was changed."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.core.encoding import canonical
from accord.core.record import verify_record
from accord.infra.signature_pool import SignaturePool, start_workers
from tests.builders import standard_world

WORLD, _ = standard_world()
LINES = WORLD.lines()
N = len(LINES) - 2  # entries: lines minus header and checkpoint
_WORKERS: dict[int, ProcessPoolExecutor] = {}


def workers() -> ProcessPoolExecutor:
    """Two worker processes shared by every example, ended with the test process; one set
    per process, as a process forked from this one (mutation testing forks a process per
    mutant) cannot use its parent's: their manager thread does not survive the fork."""
    pid = os.getpid()
    if pid not in _WORKERS:
        _WORKERS[pid] = start_workers(2)
    return _WORKERS[pid]


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def problem_seq(lines: list[bytes]) -> int | None:
    """The entry named by verification, which must fail the same way whether signatures
    are checked at once or by the thread pool `accord verify` uses."""
    report = verify_record(lines)
    assert not report.ok, "a mutated record verified as valid"
    assert report.problem is not None
    assert report.problem.message  # a sentence for people
    with SignaturePool(executor=workers()) as pool:
        pooled = verify_record(lines, checks=pool)
    assert pooled.problem == report.problem
    return report.problem.seq


def test_the_unmutated_record_is_valid() -> None:
    report = verify_record(LINES)
    assert report.ok, report.problem
    assert report.entries == N


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, (*prefix, k))]
    if isinstance(value, list) and value:
        return [p for i, v in enumerate(value) for p in _paths(v, (*prefix, i))]
    return [prefix]


def _set(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.text(max_size=30),
    st.lists(st.integers(0, 3), max_size=2),
    st.just({}),
)


@SETTINGS
@given(data=st.data())
def test_changing_any_field_of_any_entry(data: st.DataObject) -> None:
    line_no = data.draw(st.integers(1, N + 1), label="line")  # entries and the checkpoint
    item = json.loads(LINES[line_no])
    path = data.draw(st.sampled_from(_paths(item)), label="field")
    old = _get(item, path)
    new = data.draw(json_leaf, label="new value")
    assume(not (type(new) is type(old) and new == old))
    _set(item, path, new)
    mutated = [*LINES[:line_no], canonical(item) + b"\n", *LINES[line_no + 1 :]]
    assert problem_seq(mutated) == line_no - 1


@SETTINGS
@given(data=st.data())
def test_removing_or_adding_a_field(data: st.DataObject) -> None:
    line_no = data.draw(st.integers(1, N + 1), label="line")
    item = json.loads(LINES[line_no])
    objects = [p[:-1] for p in _paths(item) if len(p) > 1 and isinstance(_get(item, p[:-1]), dict)]
    where = data.draw(st.sampled_from(sorted(set(objects), key=repr)), label="object")
    target = _get(item, where)
    if data.draw(st.booleans(), label="remove"):
        del target[data.draw(st.sampled_from(sorted(target)), label="field")]
    else:
        name = data.draw(st.text(min_size=1, max_size=8), label="new field")
        assume(name not in target)
        target[name] = data.draw(json_leaf, label="value")
    mutated = [*LINES[:line_no], canonical(item) + b"\n", *LINES[line_no + 1 :]]
    assert problem_seq(mutated) == line_no - 1


@SETTINGS
@given(k=st.integers(0, N - 1))
def test_deleting_an_entry(k: int) -> None:
    assert problem_seq([*LINES[: k + 1], *LINES[k + 2 :]]) == k


@SETTINGS
@given(i=st.integers(0, N - 1), j=st.integers(0, N - 1))
def test_swapping_two_entries(i: int, j: int) -> None:
    assume(i < j)
    lines = list(LINES)
    lines[i + 1], lines[j + 1] = lines[j + 1], lines[i + 1]
    assert problem_seq(lines) == i


@SETTINGS
@given(k=st.integers(0, N - 1))
def test_duplicating_an_entry(k: int) -> None:
    assert problem_seq([*LINES[: k + 2], LINES[k + 1], *LINES[k + 2 :]]) == k


@SETTINGS
@given(keep=st.integers(1, N + 1))
def test_truncating_at_a_line(keep: int) -> None:
    # Keeping `keep` lines leaves entries 0..keep-2; the first one missing is keep-1
    # (or, with every entry kept, only the closing checkpoint is missing).
    assert problem_seq(LINES[:keep]) == keep - 1


@SETTINGS
@given(data=st.data())
def test_truncating_inside_a_line(data: st.DataObject) -> None:
    line_no = data.draw(st.integers(1, N + 1), label="line")
    cut = data.draw(st.integers(0, len(LINES[line_no]) - 2), label="cut at byte")
    assert problem_seq([*LINES[:line_no], LINES[line_no][:cut]]) == line_no - 1


@SETTINGS
@given(data=st.data())
def test_altering_one_byte_of_an_entry(data: st.DataObject) -> None:
    line_no = data.draw(st.integers(1, N + 1), label="line")
    line = bytearray(LINES[line_no])
    pos = data.draw(st.integers(0, len(line) - 2), label="byte")  # keep the newline
    new = data.draw(st.integers(0, 255).filter(lambda b: b not in (line[pos], 10)), label="value")
    line[pos] = new
    assert problem_seq([*LINES[:line_no], bytes(line), *LINES[line_no + 1 :]]) == line_no - 1


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@SETTINGS
@given(data=st.data())
def test_altering_one_character_of_a_signature_or_body(data: st.DataObject) -> None:
    k = data.draw(st.integers(0, N - 1), label="entry")
    item = json.loads(LINES[k + 1])
    candidates: list[tuple[str, ...]] = [("event", "sig"), ("receipt", "sig")]
    if "text" in item["event"]["body"]:
        candidates.append(("event", "body", "text"))
    path = data.draw(st.sampled_from(candidates), label="field")
    old: str = _get(item, path)
    if path[-1] == "sig":
        prefix, _, b64 = old.partition(":")
        pos = data.draw(st.integers(0, len(b64) - 1), label="char")
        char = data.draw(st.sampled_from(B64).filter(lambda c: c != b64[pos]), label="new")
        new = f"{prefix}:{b64[:pos]}{char}{b64[pos + 1 :]}"
    else:
        pos = data.draw(st.integers(0, len(old) - 1), label="char")
        char = data.draw(st.characters(codec="utf-8").filter(lambda c: c != old[pos]), label="new")
        new = old[:pos] + char + old[pos + 1 :]
    _set(item, path, new)
    assert problem_seq([*LINES[: k + 1], canonical(item) + b"\n", *LINES[k + 2 :]]) == k
