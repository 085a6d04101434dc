"""Protocol times (integer milliseconds since 1970, UTC) as people read them.

Formatting only: the core never reads a clock. Any time the protocol admits, up to
2^53-1 ms, must format without failing, since refusals quote the times they are about.
"""

from __future__ import annotations

import datetime as dt


def format_time(ms: int | None) -> str:
    if ms is None:
        return "-"
    try:
        return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return f"{ms} ms after 1970 (beyond the calendar)"


def format_period(ms: int) -> str:
    """A period as people say it: in days, hours and minutes ("3 days", "2 hours 30
    minutes", "15 minutes"), seconds only under a minute."""
    if ms < 60_000:
        seconds = max(ms, 0) // 1000
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = ms // 60_000
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n) or "0 minutes"
