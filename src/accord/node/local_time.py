"""Times as people at a conference read them: in the conference's zone (its seat, named
in the rules of procedure) and in UTC, which the record keeps.

The zone database is read here, at the edge, not in the core: `zone` checks a name the
delegate gives, `at` writes a protocol time (ms since 1970, UTC) in a zone and in UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accord.core.errors import AccordError
from accord.core.times import format_time


class UnknownZone(AccordError):
    """A time zone name the zone database does not know."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZone(
            f"unknown time zone {name!r}: give an IANA name such as Europe/Vienna, "
            "America/New_York or UTC"
        ) from exc


def at(ms: int | None, zone_name: str = "UTC") -> str:
    """`ms` in the conference's zone, then in UTC: "2026-12-04 12:00 Europe/Vienna
    (11:00 UTC)"; the UTC date is repeated when it differs. In UTC alone when the zone
    is UTC (or unknown here, which the reader is told)."""
    if ms is None:
        return "-"
    try:
        moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return format_time(ms)
    utc = moment.strftime("%Y-%m-%d %H:%M UTC")
    if zone_name == "UTC":
        return utc
    try:
        local = moment.astimezone(zone(zone_name))
    except UnknownZone:
        return f"{utc} (time zone {zone_name} unknown here)"
    same_day = local.date() == moment.date()
    return f"{local:%Y-%m-%d %H:%M} {zone_name} ({utc[11:] if same_day else utc})"
