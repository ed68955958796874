"""The region's administrator's use cases: the schools, a new school with its first admin, and the
dashboard of per-school counts the features declare (`Feature.region_figures`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.platform import schools
from service.platform.auth import accounts
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import School
from service.platform.registry import RegionFigure, RegionScope
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


@dataclass(frozen=True)
class FigureView:
    """One figure's values for every school: a count (`categories` empty) or counts by category."""

    key: str
    figure: RegionFigure
    categories: tuple[str, ...]
    values: Mapping[int, Mapping[str, int]]  # school id → category ("" for a single count) → value

    def value(self, school_id: int, category: str = "") -> int | None:
        """A school's value; a count it has none of is 0, a share it has no base for is None."""
        found = self.values.get(school_id, {}).get(category)
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
    school_year: int  # the year of its 1 September
    scope: RegionScope
    schools: tuple[SchoolInfo, ...]
    figures: tuple[FigureView, ...]


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


def _view(key: str, figure: RegionFigure, raw: Mapping[int, int | Mapping[str, int]]) -> FigureView:
    values: dict[int, dict[str, int]] = {}
    found: set[str] = set()
    for school_id, value in raw.items():
        if isinstance(value, Mapping):
            values[school_id] = {str(k): int(v) for k, v in value.items()}
            found.update(values[school_id])
        else:
            values[school_id] = {"": int(value)}
    if not figure.categories and found <= {""}:
        return FigureView(key, figure, (), values)
    declared = tuple(figure.categories)
    extra = tuple(sorted(found - set(declared) - {""}, key=_category_order))
    return FigureView(key, figure, declared + extra, values)


def dashboard(rt: Runtime, actor: Actor, today: date | None = None) -> Dashboard:
    """Every school's counts, one grouped query per figure inside `all_schools()`: never a record's
    details, never a workflow loaded; the cost does not grow with the number of schools per figure."""
    require_region_admin(rt, actor)
    listed = tuple(_schools(rt))
    scope = school_year_scope(rt, tuple(s.id for s in listed), today)
    views: list[FigureView] = []
    with tenancy.all_schools(), rt.db.read() as session:
        for key, figure in rt.features.region_figures.items():
            raw = figure.collect(rt, session, scope) if listed else {}
            wanted = {k: v for k, v in raw.items() if k in scope.school_ids}
            views.append(_view(key, figure, wanted))
    return Dashboard(scope.first_day.year, scope, listed, tuple(views))
