"""The region's administrator's use cases: the schools, a new school with its first admin, and the
dashboard of per-school counts the features declare (`Feature.region_figures`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from service.platform import schools
from service.platform.auth import accounts
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import School
from service.platform.registry import RegionFigure, RegionScope, RegionTotal
from service.platform.runtime import Actor, Runtime, SchoolInfo

REGION_ADMIN = "region_admin"
FIRST_MONTH = 9  # a school year runs from 1 September to 31 August
MIN_PASSWORD = 8
CODE = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")  # as `schools` requires


class Taken(Conflict):
    """A school's code or a user name that already exists: `params["field"]` names the field."""

    code = "taken"


def is_region_admin(rt: Runtime, actor: Actor) -> bool:
    """The region's administrator: the role, held by a person of the region's own tenant (a school's
    admin who gave someone the role makes no region officer)."""
    if actor.id is None:
        return True  # the system (commands)
    if not actor.has(REGION_ADMIN) or actor.school_id is None:
        return False
    home = rt.school(actor.school_id)
    return home is not None and home.kind == "region"


def require_region_admin(rt: Runtime, actor: Actor) -> None:
    if not is_region_admin(rt, actor):
        raise Forbidden("only the region's administrator")


def list_schools(rt: Runtime, actor: Actor) -> list[SchoolInfo]:
    """The region's schools (not the region itself), by code."""
    require_region_admin(rt, actor)
    return _schools(rt)


def _schools(rt: Runtime) -> list[SchoolInfo]:
    with tenancy.all_schools(), rt.db.read() as session:
        rows = session.execute(select(School).where(School.kind == "school").order_by(School.code))
        return [SchoolInfo.of(row) for row in rows.scalars()]


@dataclass(frozen=True)
class SchoolForm:
    """What the region's administrator types to open a school."""

    code: str
    name_kk: str
    name_ru: str
    timezone: str
    admin_username: str
    admin_full_name: str
    admin_password: str


def _check(form: SchoolForm) -> None:
    """Every field's problem at once (422), before anything is written."""
    problems: dict[str, FieldError] = {}
    if not CODE.match(form.code):
        problems["code"] = FieldError("pattern")
    for name in ("name_kk", "name_ru", "admin_full_name"):
        value = getattr(form, name)
        if not value.strip():
            problems[name] = FieldError("required")
        elif len(value) > 300:
            problems[name] = FieldError("max_length", {"limit": 300})
    if form.timezone:
        try:
            ZoneInfo(form.timezone)
        except (ValueError, KeyError, OSError):
            problems["timezone"] = FieldError("enum")
    user = form.admin_username
    if not user or len(user) > 80 or not all(c.isalnum() or c in "._-" for c in user):
        problems["admin_username"] = FieldError("pattern")
    if len(form.admin_password) < MIN_PASSWORD:
        problems["admin_password"] = FieldError("min_length", {"limit": MIN_PASSWORD})
    if problems:
        raise ValidationFailed(problems)


def create_school(rt: Runtime, actor: Actor, form: SchoolForm) -> SchoolInfo:
    """A new school, its first admin and the shipped processes (`schools.create_school`, audited there).
    A taken code or user name is a 409 naming its field."""
    require_region_admin(rt, actor)
    _check(form)
    with tenancy.all_schools(), rt.db.read() as session:
        if session.execute(select(School.id).where(School.code == form.code)).first() is not None:
            raise Taken("a school with this code exists", field="code")
        if accounts.username_taken(session, form.admin_username):
            raise Taken("a user with this name exists", field="admin_username")
    new = schools.NewSchool(form.code, form.name_kk.strip(), form.name_ru.strip(), form.timezone)
    return schools.create_school(
        rt,
        actor,
        new,
        admin_username=form.admin_username,
        admin_full_name=form.admin_full_name,
        admin_password=form.admin_password,
    )


# --- the dashboard ---------------------------------------------------------------------------------

PAGE = 30  # schools per dashboard page: a page's queries name at most this many schools
MAX_PAGE = 100  # the most an API caller may ask for at once
MAX_SEARCH = 100


@dataclass(frozen=True)
class FigureView:
    """One figure's values for the page's schools (a count, `categories` empty, or counts by category)
    and for the whole region (`totals`, by category; "" for a single count)."""

    key: str
    figure: RegionFigure
    categories: tuple[str, ...]
    values: Mapping[int, Mapping[str, int]]  # school id → category ("" for a single count) → value
    totals: Mapping[str, int] = field(default_factory=dict)

    def value(self, school_id: int, category: str = "") -> int | None:
        """A school's value; a count it has none of is 0, a share it has no base for is None."""
        return self._or_zero(self.values.get(school_id, {}).get(category))

    def total(self, category: str = "") -> int | None:
        """The region's value (every school, not only the page's); a share with no base is None."""
        return self._or_zero(self.totals.get(category))

    def _or_zero(self, found: int | None) -> int | None:
        if found is None and self.figure.unit == "count":
            return 0
        return found

    def category_name(self, code: str) -> object:
        if code in self.figure.categories:
            return self.figure.categories[code]
        if self.figure.category_name is not None:
            return self.figure.category_name(code)
        return code


@dataclass(frozen=True)
class Dashboard:
    """One page of the dashboard: its schools' rows, and the region's totals over every school."""

    school_year: int  # the year of its 1 September
    scope: RegionScope
    schools: tuple[SchoolInfo, ...]  # this page's, by code
    figures: tuple[FigureView, ...]
    school_count: int = 0  # every school of the region (the totals' base), whatever the search
    search: str = ""
    after: str = ""  # the page starts after this school code ("" for the first page)
    next_after: str | None = None  # the next page's `after`; None on the last page


def school_year_scope(rt: Runtime, school_ids: tuple[int, ...], today: date | None = None) -> RegionScope:
    """The school year running today in the acting (the region's) time zone."""
    zone = rt.tz
    today = today or utcnow().astimezone(zone).date()
    start = today.year if today.month >= FIRST_MONTH else today.year - 1
    return RegionScope(
        school_ids=school_ids,
        first_day=date(start, FIRST_MONTH, 1),
        last_day=date(start + 1, FIRST_MONTH - 1, 31),
        starts_at=datetime(start, FIRST_MONTH, 1, tzinfo=zone),
        ends_at=datetime(start + 1, FIRST_MONTH, 1, tzinfo=zone),
        today=today,
    )


def _category_order(code: str) -> tuple[int, str]:
    return (len(code), code) if code.isdigit() else (10**6, code)


def _as_categories(value: int | Mapping[str, int]) -> dict[str, int]:
    if isinstance(value, Mapping):
        return {str(k): int(v) for k, v in value.items()}
    return {"": int(value)}


def _view(
    key: str, figure: RegionFigure, raw: Mapping[int, int | Mapping[str, int]], total: RegionTotal | None
) -> FigureView:
    values = {school_id: _as_categories(value) for school_id, value in raw.items()}
    totals = _as_categories(total) if total is not None else {}
    found = set(totals).union(*values.values())
    if not figure.categories and found <= {""}:
        return FigureView(key, figure, (), values, totals)
    declared = tuple(figure.categories)
    extra = tuple(sorted(found - set(declared) - {""}, key=_category_order))
    return FigureView(key, figure, declared + extra, values, totals)


def _every_school() -> Select[Any]:
    """Every school of the region (not the region's own tenant), as a subquery for `scope.among`."""
    return select(School.id).where(School.kind == "school")


def _like(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _page(session: Session, after: str, search: str, limit: int) -> tuple[list[SchoolInfo], str | None]:
    """Up to `limit` schools after the code `after` (keyset: the unique index on the code, so a page
    costs the same anywhere in the list), matching the search by code or name; and the next page's
    `after`, if any school follows."""
    query = select(School).where(School.kind == "school")
    if after:
        query = query.where(School.code > after)
    if search:
        pattern = _like(search)
        query = query.where(
            or_(
                School.code.ilike(pattern, escape="\\"),
                School.name_kk.ilike(pattern, escape="\\"),
                School.name_ru.ilike(pattern, escape="\\"),
            )
        )
    rows = [
        SchoolInfo.of(row) for row in session.execute(query.order_by(School.code).limit(limit + 1)).scalars()
    ]
    more = len(rows) > limit
    return rows[:limit], (rows[limit - 1].code if more else None)


def dashboard(
    rt: Runtime,
    actor: Actor,
    today: date | None = None,
    *,
    after: str = "",
    search: str = "",
    limit: int = PAGE,
) -> Dashboard:
    """One page of schools (by code, after `after`, matching `search`) with each figure's values for
    them — one grouped query per figure naming only the page's schools — and each figure's region-wide
    total — one query per figure grouped by category only. Never a record's details, never a workflow
    loaded: a page costs the same with 30 schools or 300."""
    require_region_admin(rt, actor)
    search = search.strip()[:MAX_SEARCH]
    limit = max(1, min(limit, MAX_PAGE))
    with tenancy.all_schools(), rt.db.read() as session:
        listed, next_after = _page(session, after, search, limit)
        count = int(
            session.execute(select(func.count()).select_from(_every_school().subquery())).scalar_one()
        )
        scope = school_year_scope(rt, tuple(s.id for s in listed), today)
        everywhere = replace(scope, school_ids=(), every_school=_every_school())
        views = []
        for key, figure in rt.features.region_figures.items():
            raw = figure.collect(rt, session, scope) if listed else {}
            total = figure.total(rt, session, everywhere) if figure.total is not None and count else None
            wanted = {k: v for k, v in raw.items() if k in scope.school_ids}
            views.append(_view(key, figure, wanted, total))
    return Dashboard(
        scope.first_day.year, scope, tuple(listed), tuple(views), count, search, after, next_after
    )


def dashboard_of_every_school(rt: Runtime, actor: Actor, today: date | None = None) -> Dashboard:
    """Every school's row (the download: a file, not a page), one grouped query per figure over every
    school; no totals (a spreadsheet sums its own columns)."""
    require_region_admin(rt, actor)
    listed = tuple(_schools(rt))
    scope = replace(school_year_scope(rt, tuple(s.id for s in listed), today), every_school=_every_school())
    views: list[FigureView] = []
    with tenancy.all_schools(), rt.db.read() as session:
        for key, figure in rt.features.region_figures.items():
            raw = figure.collect(rt, session, scope) if listed else {}
            wanted = {k: v for k, v in raw.items() if k in scope.school_ids}
            views.append(_view(key, figure, wanted, None))
    return Dashboard(scope.first_day.year, scope, listed, tuple(views), len(listed))
