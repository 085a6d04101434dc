"""The relay's limits: request freshness and replay, per-key rates, subscribers."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from accord.core.events import MAX_EVENT_BYTES
from accord.core.times import format_period
from accord.infra.clock import monotonic


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = MAX_EVENT_BYTES + 16 * 1024  # one event at the core's limit, framing
    request_window_ms: int = 5 * 60 * 1000  # how far a request's time may be from ours
    rate_per_second: float = 200.0  # sustained requests per key
    burst: int = 400
    max_subscribers_per_key: int = 8
    max_range: int = 1000  # entries per catch-up page


class ReplayGuard:
    """Remembers nonces for the time window; a nonce seen twice is a replay."""

    def __init__(self, window_ms: int, capacity: int = 1_000_000) -> None:
        self.window_ms = window_ms
        self.capacity = capacity
        self._seen: OrderedDict[tuple[str, str], int] = OrderedDict()

    def fresh(self, key: str, nonce: str, request_time: int, now: int) -> str | None:
        """None if the request is fresh; else the reason it is not."""
        if abs(now - request_time) > self.window_ms:
            return (
                f"the request is dated {format_period(abs(now - request_time))} from the "
                f"relay's clock; the window is {format_period(self.window_ms)}: check your clock"
            )
        while self._seen and next(iter(self._seen.values())) < now - self.window_ms:
            self._seen.popitem(last=False)
        if (key, nonce) in self._seen:
            return "this request was already received (same key and nonce): a replay"
        while len(self._seen) >= self.capacity:  # full: the oldest gives way, after the check
            self._seen.popitem(last=False)
        self._seen[(key, nonce)] = now
        return None


class RateLimiter:
    """A token bucket per key."""

    def __init__(self, rate: float, burst: int, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = monotonic()
        if len(self._buckets) >= self.max_keys:
            # Keys cost nothing to make: forget those idle long enough to be full again.
            idle = self.burst / self.rate if self.rate > 0 else 0.0
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < idle}
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        return True
