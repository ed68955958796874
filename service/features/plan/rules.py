"""The school's yearly plan as plain data: parsing the seed's table, due dates and an item's status."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# How an item's deadline reads; only `months` gives a single due date.
DEADLINE_KINDS: tuple[str, ...] = ("months", "quarterly", "throughout_year", "per_schedule", "ad_hoc")
STATUSES: tuple[str, ...] = ("done", "overdue", "due_soon", "open", "no_date")
# An open item is "due soon" this many days before its due date.
DUE_SOON_DAYS = 14

# Kazakh month names (folded, see `fold`) → month number; the school year runs September → August.
MONTHS: dict[str, int] = {
    "кыркуйек": 9,
    "казан": 10,
    "караша": 11,
    "желтоксан": 12,
    "кантар": 1,
    "акпан": 2,
    "наурыз": 3,
    "сауір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
}
_NON_MONTH_KINDS: dict[str, str] = {
    "токсан сайын": "quarterly",
    "жыл бойы": "throughout_year",
    "кесте бойынша": "per_schedule",
    "кезектен тыс": "ad_hoc",
}
# The seed's responsible column (folded) → role codes of DOMAIN.md; the first match wins.
_RESPONSIBLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("академиялык адалдык", ("responsible",)),
    ("тораганын орынбасары", ("wg_deputy",)),
    ("жумыс тобынын торагасы", ("wg_chair",)),
    ("жумыс тобынын мушелер", ("wg_member",)),
    ("комиссия", ("commission",)),
    ("пан мугалімдер", ("staff",)),
)
_STAGE = re.compile(r"^(\d)\s*-?\s*[ЭЕС]ТАП\.?\s*(.*)$", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})\s*-\s*(\d{4})")
# Letters the seed's typists mixed up (қ/к, ұ/у, ғ/г, ә/а, ө/о, ү/у, ң/н, һ/х), folded away.
_FOLD = str.maketrans("құғәөүңһё", "кугаоунхе")


class PlanTextError(ValueError):
    """The text cannot be read as the plan's table."""


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str  # one of DEADLINE_KINDS
    months: tuple[int, ...] = ()  # for `months`: every month named, in order

    def due_on(self, school_year: int) -> date | None:
        """The end of the last named month in the school year starting in September of `school_year`."""
        if self.kind != "months" or not self.months:
            return None
        month = self.months[-1]
        year = school_year if month >= 9 else school_year + 1
        return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class PlanItem:
    number: int
    stage: int
    activity: str
    responsible: str
    roles: tuple[str, ...]
    participants: str
    deadline: Deadline
    result: str


@dataclass(frozen=True)
class Stage:
    number: int
    title: str


@dataclass(frozen=True)
class PlanText:
    title: str
    school_year: int  # the year the school year starts in (2025 for 2025-2026)
    approval: str  # the "Бекітемін" lines: who approved and when, as written
    topic: str
    stages: tuple[Stage, ...]
    items: tuple[PlanItem, ...]  # in the order of the document


def fold(text: str) -> str:
    """Lower case without the letters the seed mixes up, so "Казан" and "Қазан" read the same."""
    return " ".join(text.lower().translate(_FOLD).split())


def roles_for(responsible: str) -> tuple[str, ...]:
    """The role codes a responsible-column text names (DOMAIN.md's table)."""
    folded = fold(responsible)
    for needle, roles in _RESPONSIBLE_RULES:
        if needle in folded:
            return roles
    raise PlanTextError(f"unknown responsible: {responsible[:60]}")


def parse_deadline(text: str) -> Deadline:
    """ "Қыркүйек", "Қыркүйек-Қазан", "Тоқсан сайын", "Жыл бойы", "Кесте бойынша", "Кезектен тыс"."""
    folded = fold(text)
    for phrase, kind in _NON_MONTH_KINDS.items():
        if phrase in folded:
            return Deadline(text.strip(), kind)
    months = tuple(MONTHS[word] for word in re.split(r"[\s,;–—-]+", folded) if word in MONTHS)
    if not months:
        raise PlanTextError(f"unknown deadline: {text[:40]}")
    return Deadline(text.strip(), "months", months)


def _clean(cell: str) -> str:
    return " ".join(cell.replace("*", "").split())


def _header(lines: list[str]) -> tuple[str, str, str]:
    """Title (the bold lines), the approval ("Бекітемін" and the two lines after it) and the topic."""
    texts = [line.strip() for line in lines if line.strip()]
    first = next((i for i, t in enumerate(texts) if t.startswith("**")), 0)
    last = next((i for i, t in enumerate(texts) if i >= first and t.endswith("**")), first)
    title = " ".join(_clean(t) for t in texts[first : last + 1])
    at = next((i for i, t in enumerate(texts) if "Бекітемін" in t), None)
    approval = []
    if at is not None:
        approval = [_clean(t.replace("_", "")) for t in texts[at : at + 3]]
    topic = next((_clean(t.removeprefix("Тақырыбы:")) for t in texts if t.startswith("Тақырыбы:")), "")
    return title, "\n".join(approval), topic


def parse_plan(text: str) -> PlanText:
    """Read the plan in the seed's layout: a header, then a tab-separated table with stage rows."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("№\t")), None)
    if start is None:
        raise PlanTextError("no table header (a line starting with №)")
    title, approval, topic = _header(lines[:start])
    year = _YEAR.search(title)
    if year is None:
        raise PlanTextError("the title names no school year (2025-2026)")
    stages: list[Stage] = []
    rows: list[tuple[int | None, int, list[str]]] = []
    for line in lines[start + 1 :]:
        first = line.split("\t")[0].strip()
        stage = _STAGE.match(first)
        if stage:
            stages.append(Stage(int(stage.group(1)), _clean(stage.group(2))))
        elif "\t" in line and stages:
            cells = [_clean(c) for c in line.split("\t")]
            cells += [""] * (6 - len(cells))
            rows.append((int(cells[0]) if cells[0].isdigit() else None, stages[-1].number, cells))
    items = _numbered(rows)
    if not stages or not items:
        raise PlanTextError("no stages or no items found")
    return PlanText(title, int(year.group(1)), approval, topic, tuple(stages), items)


def _numbered(rows: list[tuple[int | None, int, list[str]]]) -> tuple[PlanItem, ...]:
    """Items with their numbers; a row the seed left unnumbered takes the one number missing."""
    used = {n for n, _, _ in rows if n is not None}
    missing = iter(sorted(set(range(1, len(rows) + 1)) - used))
    items: list[PlanItem] = []
    for number, stage, cells in rows:
        if number is None:
            number = next(missing, None)
            if number is None:
                raise PlanTextError("an unnumbered row and no number free for it")
        _, activity, responsible, participants, deadline, result = cells[:6]
        items.append(
            PlanItem(
                number=number,
                stage=stage,
                activity=activity,
                responsible=responsible,
                roles=roles_for(responsible),
                participants=participants,
                deadline=parse_deadline(deadline),
                result=result,
            )
        )
    if len({i.number for i in items}) != len(items):
        raise PlanTextError("two items share a number")
    return tuple(items)


def item_status(due_on: date | None, done: bool, today: date, soon_days: int = DUE_SOON_DAYS) -> str:
    """done; overdue once the due date has passed; due soon within `soon_days`; open; or no fixed date."""
    if done:
        return "done"
    if due_on is None:
        return "no_date"
    if today > due_on:
        return "overdue"
    if today >= due_on - timedelta(days=soon_days):
        return "due_soon"
    return "open"


def retitled(title: str, school_year: int) -> str:
    """The plan's title naming `school_year` instead of the year its text was written for."""
    return _YEAR.sub(f"{school_year}-{school_year + 1}", title, count=1)


def school_year_of(day: date) -> int:
    """The school year (by its starting year) a day falls in: September starts a new one."""
    return day.year if day.month >= 9 else day.year - 1
