"""What a consultation request, schedule, record and cancellation must contain (per-field errors)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.platform.errors import FieldError, ValidationFailed

STATUSES = ("requested", "scheduled", "held", "cancelled")
OPEN_STATUSES = ("requested", "scheduled")
SHORT, LONG = 300, 4000


@dataclass(frozen=True)
class RequestData:
    topic: str
    duty: str
    preferred_on: date
    note: str


@dataclass(frozen=True)
class RecordData:
    held_on: date
    topic: str
    duty: str
    advice: str
    tool_id: int | None
    staff_member: str  # only read for a walk-in; a request keeps its own staff member


class _Reader:
    """Collects every field's problem so that one 422 names all of them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, FieldError] = {}

    def text(self, name: str, limit: int, required: bool = True) -> str:
        value = self.data.get(name)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.errors[name] = FieldError("required")
        elif len(text) > limit:
            self.errors[name] = FieldError("max_length", {"limit": limit})
        return text

    def day(self, name: str, *, today: date, not_before: bool = False, not_after: bool = False) -> date:
        raw = str(self.data.get(name) or "").strip()
        if not raw:
            self.errors[name] = FieldError("required")
            return today
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = FieldError("date")
            return today
        if not_before and value < today:
            self.errors[name] = FieldError("date_past")
        if not_after and value > today:
            self.errors[name] = FieldError("date_future")
        return value

    def optional_int(self, name: str) -> int | None:
        raw = str(self.data.get(name) or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 9:  # past 9 digits no row id exists (PostgreSQL integer)
            self.errors[name] = FieldError("type")
            return None
        return int(raw)

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def read_request(data: Mapping[str, Any], today: date) -> RequestData:
    r = _Reader(data)
    parsed = RequestData(
        topic=r.text("topic", SHORT),
        duty=r.text("duty", SHORT),
        preferred_on=r.day("preferred_on", today=today, not_before=True),
        note=r.text("note", LONG, required=False),
    )
    r.done()
    return parsed


def read_schedule(data: Mapping[str, Any], today: date) -> date:
    r = _Reader(data)
    day = r.day("scheduled_on", today=today, not_before=True)
    r.done()
    return day


def read_record(
    data: Mapping[str, Any],
    today: date,
    *,
    walk_in: bool,
    check: Callable[[RecordData], dict[str, FieldError]] = lambda parsed: {},
) -> RecordData:
    """`check` adds the problems only the database knows (unknown person, tool, file) to the same 422."""
    r = _Reader(data)
    parsed = RecordData(
        held_on=r.day("held_on", today=today, not_after=True),
        topic=r.text("topic", SHORT),
        duty=r.text("duty", SHORT, required=False),
        advice=r.text("advice", LONG),
        tool_id=r.optional_int("tool_id"),
        staff_member=r.text("staff_member", 80, required=walk_in),
    )
    for name, error in check(parsed).items():
        r.errors.setdefault(name, error)
    r.done()
    return parsed


def read_reason(data: Mapping[str, Any]) -> str:
    r = _Reader(data)
    reason = r.text("reason", LONG)
    r.done()
    return reason
