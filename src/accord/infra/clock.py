"""The clock, read in one place.

The core never reads it: every time it judges is passed in, so that the relay, every
member and the tests apply the rules to the same times. Protocol times are milliseconds
since 1970, UTC (docs/protocol.md 1.4); intervals (rates, waits) use the monotonic clock,
which does not jump when the wall clock is set.
"""

from __future__ import annotations

import time


def now_ms() -> int:
    """The wall clock, in milliseconds since 1970 (UTC)."""
    return int(time.time() * 1000)


def monotonic() -> float:
    """Seconds on a clock that only moves forward, for intervals."""
    return time.monotonic()
