"""The annual report on introducing AI (plan item 29): the school year, its figures and the narrative rules.

Pure data and arithmetic: the database layer counts, this module says what a school year is, how a
median is taken, how the figures are frozen into JSON at finalization and read back unchanged.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from statistics import median
from typing import Any

from service.platform.errors import FieldError

FIRST_MONTH = 9  # a school year runs from 1 September to 31 August
NARRATIVE_FIELDS = ("achievements", "problems", "recommendations")
NARRATIVE_MAX_CHARS = 20_000
# The extension point's value when nothing feeds a section yet (survey results today).
NO_DATA = None


@dataclass(frozen=True)
class SchoolYear:
    """The school year that starts on 1 September of `start` (2025 → 2025–2026)."""

    start: int

    @property
    def first_day(self) -> date:
        return date(self.start, FIRST_MONTH, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, FIRST_MONTH - 1, 31)

    @property
    def label(self) -> str:
        return f"{self.start}–{self.start + 1}"

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of 1 September to local midnight of the next one."""
        begin = datetime.combine(self.first_day, time(0), tzinfo=tz)
        end = datetime.combine(date(self.start + 1, FIRST_MONTH, 1), time(0), tzinfo=tz)
        return begin.astimezone(UTC), end.astimezone(UTC)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def school_year_of(moment: datetime | date, tz: tzinfo) -> SchoolYear:
    """The school year a moment (converted to the school's zone) or a local date falls in."""
    day = moment.astimezone(tz).date() if isinstance(moment, datetime) else moment
    return SchoolYear(day.year if day.month >= FIRST_MONTH else day.year - 1)


def median_days(spans: list[tuple[datetime, datetime]]) -> float | None:
    """Median length in days (one decimal) of (from, to) spans; None when there are none."""
    if not spans:
        return None
    return round(median((end - begin).total_seconds() / 86400 for begin, end in spans), 1)


@dataclass(frozen=True)
class OrderLine:
    number: str
    registered_on: str  # ISO date
    title: str
    order_type: str


@dataclass(frozen=True)
class OrderFigures:
    by_type: dict[str, int]
    orders: list[OrderLine]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


@dataclass(frozen=True)
class ToolFigures:
    evaluated: dict[
        str, int
    ]  # outcome registered this year → count (permitted / …_with_restrictions / rejected)
    register: dict[str, int]  # the register's current status → count (not limited to the year)


@dataclass(frozen=True)
class IncidentFigures:
    """Counts only: no incident's description, tool, people or number ever enters the report."""

    total: int
    by_type: dict[str, int]
    by_outcome: dict[str, int]  # the outcome recorded at closing (resolved or the council's decision)
    by_decision: dict[str, int]  # the council's decision, for escalated incidents
    median_days_to_decision: float | None
    open: int


@dataclass(frozen=True)
class AmendmentFigures:
    editions_published: int
    acts: dict[str, int]  # act code → editions published in the year
    proposed: int  # amendments started in the year
    dropped: int


@dataclass(frozen=True)
class AckRate:
    total: int
    done: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    orders: OrderFigures
    tools: ToolFigures
    incidents: IncidentFigures
    amendments: AmendmentFigures
    order_acknowledgements: AckRate
    edition_acknowledgements: AckRate
    # Sections fed by other modules (registry `report_sections`): rows of key → value, or
    # NO_DATA when the system holds nothing for it yet. Keys are stable codes; labels live in the views.
    extra: dict[str, dict[str, int] | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["orders"]["total"] = self.orders.total
        for name in ("order_acknowledgements", "edition_acknowledgements"):
            body[name]["percent"] = getattr(self, name).percent
        return body

    def dumps(self) -> str:
        """The frozen form stored at finalization (sorted keys, so equal figures give equal text)."""
        return json.dumps(self.as_json(), ensure_ascii=False, sort_keys=True)


def figures_from_json(text: str) -> AnnualFigures:
    """Read back a snapshot written by `AnnualFigures.dumps`."""
    raw = json.loads(text)
    orders = raw["orders"]
    return AnnualFigures(
        year=int(raw["year"]),
        orders=OrderFigures(dict(orders["by_type"]), [OrderLine(**line) for line in orders["orders"]]),
        tools=ToolFigures(dict(raw["tools"]["evaluated"]), dict(raw["tools"]["register"])),
        incidents=IncidentFigures(**raw["incidents"]),
        amendments=AmendmentFigures(**raw["amendments"]),
        order_acknowledgements=_rate(raw["order_acknowledgements"]),
        edition_acknowledgements=_rate(raw["edition_acknowledgements"]),
        extra={k: (dict(v) if v is not None else NO_DATA) for k, v in raw.get("extra", {}).items()},
    )


def _rate(raw: dict[str, Any]) -> AckRate:
    return AckRate(int(raw["total"]), int(raw["done"]))


def check_narrative(values: dict[str, str], *, finalizing: bool) -> dict[str, FieldError]:
    """Problems of the three texts: too long always, empty only when finalizing."""
    problems: dict[str, FieldError] = {}
    for name in NARRATIVE_FIELDS:
        text = values.get(name, "")
        if len(text) > NARRATIVE_MAX_CHARS:
            problems[name] = FieldError("max_length", {"limit": NARRATIVE_MAX_CHARS})
        elif finalizing and not text.strip():
            problems[name] = FieldError("required")
    return problems
