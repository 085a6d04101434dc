"""The relay's admission of requests, without a relay: a request is fresh only within the
time window and only once (key and nonce), and each key has a token bucket."""

from __future__ import annotations

import pytest

from accord.relay.limits import Limits, RateLimiter, ReplayGuard

WINDOW = 300_000
NOW = 1_790_000_000_000


def test_a_request_is_fresh_up_to_the_window_on_either_side() -> None:
    guard = ReplayGuard(WINDOW)
    assert guard.fresh("k", "n1", NOW - WINDOW, NOW) is None
    assert guard.fresh("k", "n2", NOW + WINDOW, NOW) is None
    late = guard.fresh("k", "n3", NOW - WINDOW - 1, NOW)
    early = guard.fresh("k", "n4", NOW + WINDOW + 1, NOW)
    assert late == (
        "the request is dated 5 minutes from the relay's clock; the window is 5 minutes: check "
        "your clock"
    )
    assert early is not None and early.startswith("the request is dated 5 minutes")
    # A stale request is not remembered: the same nonce, fresh, is accepted.
    assert guard.fresh("k", "n3", NOW, NOW) is None


def test_the_same_key_and_nonce_twice_is_a_replay() -> None:
    guard = ReplayGuard(WINDOW)
    assert guard.fresh("k", "n", NOW, NOW) is None
    assert guard.fresh("k", "n", NOW, NOW + 1) == (
        "this request was already received (same key and nonce): a replay"
    )
    assert guard.fresh("other key", "n", NOW, NOW + 1) is None
    assert guard.fresh("k", "other nonce", NOW, NOW + 1) is None


def test_nonces_are_forgotten_once_out_of_the_window_and_beyond_capacity() -> None:
    guard = ReplayGuard(WINDOW)
    assert guard.fresh("k", "n", NOW, NOW) is None
    # Still remembered exactly at the window's edge, forgotten one millisecond later.
    assert guard.fresh("k", "n", NOW, NOW + WINDOW) is not None
    assert guard.fresh("k", "n", NOW + WINDOW + 1, NOW + WINDOW + 1) is None
    small = ReplayGuard(WINDOW, capacity=2)
    for nonce in ("a", "b", "c"):
        assert small.fresh("k", nonce, NOW, NOW) is None
    assert small.fresh("k", "c", NOW, NOW) is not None  # the newest is kept
    assert small.fresh("k", "a", NOW, NOW) is None  # the oldest gave way


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("accord.relay.limits.monotonic", fake)
    return fake


def test_a_key_may_burst_then_goes_at_the_rate(clock: Clock) -> None:
    bucket = RateLimiter(rate=2.0, burst=3)
    assert [bucket.allow("k") for _ in range(4)] == [True, True, True, False]
    assert bucket.allow("other") is True  # one bucket per key
    clock.now += 0.49
    assert bucket.allow("k") is False  # 0.98 of a token
    clock.now += 0.01
    assert bucket.allow("k") is True  # one token after half a second at 2 a second
    assert bucket.allow("k") is False
    clock.now += 100
    assert [bucket.allow("k") for _ in range(4)] == [True, True, True, False]  # never over burst


def test_only_the_nonces_out_of_the_window_are_forgotten() -> None:
    guard = ReplayGuard(WINDOW)
    assert guard.fresh("k", "old", NOW, NOW) is None
    assert guard.fresh("k", "new", NOW + 1000, NOW + 1000) is None
    # One millisecond past the old nonce's window: it goes, the newer one stays.
    assert guard.fresh("k", "x", NOW + WINDOW + 1, NOW + WINDOW + 1) is None
    assert list(guard._seen) == [("k", "new"), ("k", "x")]


def test_a_key_is_idle_after_burst_over_rate_seconds(clock: Clock) -> None:
    bucket = RateLimiter(rate=2.0, burst=4, max_keys=1)  # idle after 4 / 2 = 2 s
    assert bucket.allow("a")
    clock.now += 1.9
    assert bucket.allow("b")
    assert set(bucket._buckets) == {"a", "b"}  # "a" idle 1.9 s: not yet forgotten
    clock.now += 0.2
    assert bucket.allow("c")
    assert set(bucket._buckets) == {"b", "c"}  # "a" idle 2.1 s: forgotten; "b" 0.2 s kept


def test_the_default_limits() -> None:
    assert Limits().max_body_bytes > Limits().max_range > 0
    assert Limits().request_window_ms == WINDOW


def test_the_default_capacities() -> None:
    assert ReplayGuard(WINDOW).capacity == 1_000_000
    assert RateLimiter(1.0, 1).max_keys == 100_000


def test_a_guard_at_capacity_forgets_exactly_enough() -> None:
    guard = ReplayGuard(WINDOW, capacity=3)
    for nonce in ("a", "b", "c"):
        assert guard.fresh("k", nonce, NOW, NOW) is None
    assert guard.fresh("k", "d", NOW, NOW) is None  # "a" gives way, "b" and "c" stay
    # A replay of the oldest nonce kept is caught: the check comes before making room.
    assert guard.fresh("k", "b", NOW, NOW) is not None
    assert guard.fresh("k", "d", NOW, NOW) is not None
    assert list(guard._seen) == [("k", "b"), ("k", "c"), ("k", "d")]


def test_a_fresh_request_is_remembered_in_order(clock: Clock) -> None:
    guard = ReplayGuard(WINDOW)
    assert guard.fresh("k", "a", NOW, NOW) is None
    assert guard.fresh("k", "b", NOW, NOW + 10) is None
    assert list(guard._seen.items()) == [(("k", "a"), NOW), (("k", "b"), NOW + 10)]


def test_forgetting_idle_keys_keeps_the_busy_ones(clock: Clock) -> None:
    bucket = RateLimiter(rate=1.0, burst=2, max_keys=2)
    assert bucket.allow("a")
    clock.now += 1.0
    assert bucket.allow("b")
    clock.now += 1.0  # "a" idle exactly 2 s (full again), "b" idle 1 s
    assert bucket.allow("c")
    assert set(bucket._buckets) == {"b", "c"}  # only "a" was forgotten
    zero = RateLimiter(rate=0.0, burst=1, max_keys=1)
    assert zero.allow("a") is True
    assert zero.allow("b") is True  # at a rate of 0, every bucket counts as idle
    assert set(zero._buckets) == {"b"}
