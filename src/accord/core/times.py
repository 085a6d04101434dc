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
