"""Times and periods as people read them: periods in days, hours and minutes (the core),
times in the conference's zone beside UTC (the node, which reads the zone database)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.times import format_period
from accord.node.local_time import UnknownZone, at, zone

UNITS = {"day": 86_400_000, "hour": 3_600_000, "minute": 60_000, "second": 1000}


@pytest.mark.parametrize(("ms", "said"), [
    (0, "0 seconds"), (1000, "1 second"), (59_999, "59 seconds"), (60_000, "1 minute"),
    (15 * 60_000, "15 minutes"), (3_600_000, "1 hour"), (9_000_000, "2 hours 30 minutes"),
    (259_200_000, "3 days"), (90_061_000, "1 day 1 hour 1 minute"),
])  # fmt: skip
def test_periods_are_said_in_days_hours_and_minutes(ms: int, said: str) -> None:
    assert format_period(ms) == said


@given(st.integers(min_value=60_000, max_value=10**12))
def test_a_period_of_a_minute_or_more_says_its_whole_minutes(ms: int) -> None:
    said = format_period(ms)
    total = sum(int(n) * UNITS[unit] for n, unit in re.findall(r"(\d+) (day|hour|minute)s?", said))
    assert total == ms // 60_000 * 60_000
    assert "second" not in said


def test_times_are_shown_in_the_conference_zone_and_utc() -> None:
    noon = 1_796_385_600_000  # 2026-12-04 12:00 UTC
    assert at(noon) == "2026-12-04 12:00 UTC"
    assert at(noon, "Europe/Vienna") == "2026-12-04 13:00 Europe/Vienna (12:00 UTC)"
    # Another day there: the UTC date is given too.
    assert at(noon, "Pacific/Kiritimati") == (
        "2026-12-05 02:00 Pacific/Kiritimati (2026-12-04 12:00 UTC)"
    )
    assert at(noon, "Mars/Olympus") == "2026-12-04 12:00 UTC (time zone Mars/Olympus unknown here)"
    assert at(None) == "-"
    with pytest.raises(UnknownZone, match="give an IANA name such as Europe/Vienna"):
        zone("Vienna")
