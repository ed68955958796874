"""Deadlines from ISO 8601 durations, counted in the school's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from service.platform.durations import add_duration, parse_duration


def test_parse() -> None:
    assert parse_duration("P3D").days == 3
    assert parse_duration("PT48H").total_seconds() == 48 * 3600
    assert parse_duration("P1W").days == 7


@pytest.mark.parametrize("bad", ["48h", "P", "PT", "P1M", "P1Y", "3D", ""])
def test_refuses_bad(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_add_keeps_utc() -> None:
    start = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    due = add_duration(start, "P1D", ZoneInfo("Asia/Almaty"))
    assert due == datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
