"""The region's administrator's pages and /api/v1/region: the schools, a new school with its first admin,
and the dashboard of per-school counts (charts as SVG, CSV and XLSX through the export writer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, lazy_gettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from service.platform import region
from service.platform.documents import charts
from service.platform.errors import FieldError, NotFound, ValidationFailed
from service.platform.registry import ExportColumn, ExportTable
from service.platform.runtime import Actor, SchoolInfo
from service.platform.web import exports
from service.platform.web import region_schemas as schemas
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, int_arg, json_body
from service.platform.web.context import actor, runtime
from service.platform.web.errors import error_response
from service.platform.web.i18n import current_language, field_messages

bp = Blueprint("region", __name__)
api_bp = Blueprint("region_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)

# Kazakhstan's zones, named by their cities (a zone's id is a code no reader should see).
ZONES: dict[str, Any] = {
    "Asia/Almaty": lazy_gettext("Almaty"),
    "Asia/Qostanay": lazy_gettext("Kostanay"),
    "Asia/Qyzylorda": lazy_gettext("Kyzylorda"),
    "Asia/Aqtobe": lazy_gettext("Aktobe"),
    "Asia/Aqtau": lazy_gettext("Aktau"),
    "Asia/Atyrau": lazy_gettext("Atyrau"),
    "Asia/Oral": lazy_gettext("Oral"),
}
FIELDS = ("code", "name_kk", "name_ru", "timezone", "admin_username", "admin_full_name", "admin_password")


def _taken_message(field: str) -> str:
    if field == "code":
        return _("Another school already has this code.")
    return _("This user name is taken: choose another.")


@bp.app_context_processor
def _menu() -> dict[str, Any]:
    """The region's links are in the menu of the region's administrator only."""
    shown = False
    if current_user.is_authenticated:
        me = actor()
        shown = me.has(region.REGION_ADMIN) and region.is_region_admin(runtime(), me)
    return {"region_links": shown}


def _name(school: SchoolInfo) -> str:
    """The school's name in the reader's language; a school that has none (the single school a
    deployment began with) goes by the deployment's name, never by its code."""
    lang = current_language()
    own = (school.name_ru if lang == "ru" else "") or school.name_kk
    return own or runtime().default_school_name or _("School")


# --- schools ---------------------------------------------------------------------------------------


def _schools_page(typed: dict[str, str], errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    rows = region.list_schools(runtime(), actor())
    page = render_template(
        "region/schools.html", schools=rows, typed=typed, errors=errors, zones=ZONES, name=_name
    )
    return page, status


@bp.get("/region/schools")
@login_required
def schools() -> ResponseReturnValue:
    return _schools_page({"timezone": "Asia/Almaty"}, {})


def _form(values: dict[str, Any]) -> region.SchoolForm:
    return region.SchoolForm(**{name: str(values.get(name) or "") for name in FIELDS})


@bp.post("/region/schools")
@login_required
def create_school() -> ResponseReturnValue:
    typed = {name: request.form.get(name, "") for name in FIELDS if name != "admin_password"}
    try:
        created = region.create_school(runtime(), actor(), _form(request.form))
    except ValidationFailed as err:
        flash(_("The school was not created: correct the marked fields."), "error")
        return _schools_page(typed, field_messages(err.fields), 422)
    except region.Taken as err:
        field = str(err.params.get("field", "code"))
        flash(_("The school was not created: correct the marked fields."), "error")
        return _schools_page(typed, {field: _taken_message(field)}, 409)
    flash(_("The school «%(name)s» was opened with its administrator.", name=_name(created)), "success")
    return redirect(url_for("region.schools"))


# --- the dashboard ---------------------------------------------------------------------------------


def _shown(view: region.FigureView, school_id: int, category: str = "") -> int | None:
    return view.value(school_id, category)


def _chart(board: region.Dashboard, view: region.FigureView) -> Markup:
    percent = view.figure.unit == "percent"
    categories = view.categories or ("",)
    groups = [(_name(s), [_shown(view, s.id, c) or 0 for c in categories]) for s in board.schools]
    series = [str(view.category_name(c)) for c in view.categories] or [str(view.figure.title)]
    chart = charts.grouped_bars(
        str(view.figure.title), groups, series, suffix="%" if percent else "", top=100 if percent else None
    )
    # Built from escaped text only (charts.to_svg escapes every label).
    return Markup(charts.to_svg(chart, "region-chart"))  # noqa: S704


MAX_AFTER = 64  # a school code is at most 40 characters; anything longer is no cursor we made


def _paging(args: Mapping[str, str]) -> tuple[str, str]:
    """`after` (the keyset cursor: the last school code of the page before) and `q` (the search) from
    the query string, cut to sizes no school code or name exceeds."""
    return str(args.get("after", "") or "")[:MAX_AFTER], str(args.get("q", "") or "")[: region.MAX_SEARCH]


@bp.get("/region")
@login_required
def dashboard() -> ResponseReturnValue:
    after, search = _paging(request.args)
    board = region.dashboard(runtime(), actor(), after=after, search=search)
    charted = [(view, _chart(board, view)) for view in board.figures]
    return render_template("region/dashboard.html", board=board, charted=charted, name=_name)


def _table(board: region.Dashboard) -> tuple[ExportTable, list[dict[str, object]]]:
    """The dashboard as one table: a row per school, a column per figure (or figure and category)."""
    columns = [ExportColumn("school", lazy_gettext("School"), width=40)]
    rows: list[dict[str, object]] = [{"school": _name(s)} for s in board.schools]
    for view in board.figures:
        suffix = " (%)" if view.figure.unit == "percent" else ""
        for category in view.categories or ("",):
            key = f"{view.key}.{category}" if category else view.key
            header = str(view.figure.title) + (f": {view.category_name(category)}" if category else "")
            columns.append(ExportColumn(key, header + suffix))
            for row, school in zip(rows, board.schools, strict=True):
                value = _shown(view, school.id, category)
                row[key] = "" if value is None else value
    name = f"region-{board.school_year}-{board.school_year + 1}"
    return ExportTable(tuple(columns), name, lazy_gettext("Schools")), rows


@bp.get("/region/dashboard.<fmt>")
@login_required
def export(fmt: str) -> ResponseReturnValue:
    """Every school's row, not a page's: a download a region officer works on in a spreadsheet (a few
    hundred rows, built in memory)."""
    if fmt not in exports.FORMATS:
        raise NotFound("no such export format")
    table, rows = _table(region.dashboard_of_every_school(runtime(), actor()))
    return exports.download(table, rows, fmt)


# --- /api/v1/region --------------------------------------------------------------------------------


def _school_row(school: SchoolInfo) -> schemas.RegionSchool:
    return schemas.RegionSchool(
        id=school.id,
        code=school.code,
        name_kk=school.name_kk,
        name_ru=school.name_ru,
        timezone=school.timezone,
    )


@api_bp.get("/region/schools")
def schools_api() -> ResponseReturnValue:
    listed = region.list_schools(runtime(), api_actor())
    return answer(schemas.RegionSchoolList(schools=[_school_row(s) for s in listed]))


@api_bp.post("/region/schools")
def create_school_api() -> ResponseReturnValue:
    me = api_actor()
    body = json_body()
    bad = {
        name: FieldError("type")
        for name in FIELDS
        if name in body and body[name] is not None and not isinstance(body[name], str)
    }
    if bad:
        raise ValidationFailed(bad)
    try:
        created = region.create_school(runtime(), me, _form(body))
    except region.Taken as err:
        field = str(err.params.get("field", "code"))
        return error_response(
            409,
            err.code,
            _("This was already done by someone else or is no longer open."),
            fields={field: _taken_message(field)},
        )
    return answer(_school_row(created), 201)


def _counts(view: region.FigureView, value: Callable[[str], int | None]) -> dict[str, Any]:
    """`value` for a figure without categories, `values` by category otherwise."""
    if view.categories:
        return {"values": {c: value(c) for c in view.categories}}
    return {"value": value("")}


def _figure_answer(board: region.Dashboard, view: region.FigureView) -> schemas.RegionFigure:
    rows = [
        schemas.RegionFigureRow(school_id=school.id, **_counts(view, partial(view.value, school.id)))
        for school in board.schools
    ]
    return schemas.RegionFigure(
        key=view.key,
        title=str(view.figure.title),
        unit="percent" if view.figure.unit == "percent" else "count",
        categories=[schemas.RegionCategory(code=c, name=str(view.category_name(c))) for c in view.categories],
        rows=rows,
        total=schemas.RegionFigureTotal(**_counts(view, view.total)),
    )


def dashboard_answer(board: region.Dashboard, me: Actor) -> schemas.RegionDashboard:
    with force_locale(me.language):
        figures = [_figure_answer(board, view) for view in board.figures]
    return schemas.RegionDashboard(
        school_year=board.school_year,
        first_day=board.scope.first_day,
        last_day=board.scope.last_day,
        schools=[_school_row(s) for s in board.schools],
        figures=figures,
        school_count=board.school_count,
        next=board.next_after,
    )


@api_bp.get("/region/dashboard")
def dashboard_api() -> ResponseReturnValue:
    me = api_actor()
    limit = int_arg("limit", region.PAGE, 1, region.MAX_PAGE) or region.PAGE
    after, search = _paging(request.args)
    board = region.dashboard(runtime(), me, after=after, search=search, limit=limit)
    return answer(dashboard_answer(board, me))
