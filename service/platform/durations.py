"""ISO 8601 durations (P3D, PT48H) added to aware times, counting calendar days in the school's zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


# A diagram names a handful of durations and every run of it parses them again (a new task's deadline).
@lru_cache(maxsize=512)
def parse_duration(text: str) -> timedelta:
    """Weeks, days, hours, minutes and seconds; years and months are refused as ambiguous for deadlines."""
    match = _DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in {"P", "PT"} or text.strip().upper().endswith("T"):
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    return timedelta(**parts)


def add_duration(start: datetime, text: str, tz: ZoneInfo) -> datetime:
    """Days are calendar days in the school's zone, so P1D from 09:00 is 09:00 the next day."""
    delta = parse_duration(text)
    local = start.astimezone(tz)
    return (local + delta).astimezone(start.tzinfo)
