"""The yearly plan tracker's pages: progress by stage, items with filters, an item with its history,
the mark and unmark forms, CSV and XLSX export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.cli import AppGroup
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required

from service.features.plan import region
from service.features.plan import usecases as plan_cases
from service.features.plan.rules import STATUSES
from service.features.plan.usecases import ItemView, PlanView
from service.platform.errors import BadRequest, ServiceError, ValidationFailed
from service.platform.registry import (
    Evidence,
    ExportColumn,
    ExportTable,
    NavLink,
    RegionFigure,
    TimelineWords,
)
from service.platform.roles import role_name
from service.platform.web import exports
from service.platform.web.context import actor, runtime
from service.platform.web.i18n import current_language, field_messages
from service.platform.web.params import bounded_int

bp = Blueprint("plan", __name__)

STATUS_LABELS: dict[str, Any] = {
    "done": lazy_gettext("done"),
    "overdue": lazy_gettext("overdue"),
    "due_soon": lazy_gettext("due soon"),
    "open": lazy_gettext("open"),
    "no_date": lazy_gettext("no fixed date"),
}
DEADLINE_KINDS: dict[str, Any] = {
    "months": lazy_gettext("by the end of the month"),
    "quarterly": lazy_gettext("every quarter"),
    "throughout_year": lazy_gettext("throughout the year"),
    "per_schedule": lazy_gettext("per schedule"),
    "ad_hoc": lazy_gettext("as the need arises"),
}


def year_arg() -> int | None:
    raw = request.values.get("year", "")
    if not raw:
        return None
    if not raw.isdigit() or not 1900 <= int(raw) <= 2999:
        raise BadRequest("year must be a school year like 2025")
    return int(raw)


def evidence_href(evidence: Evidence | None) -> str | None:
    """Where a mark's evidence opens, for readers who may see it."""
    if evidence is None or evidence.link is None:
        return None
    endpoint, arguments = evidence.link
    return url_for(endpoint, **arguments)


def evidence_text(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    source = runtime().features.evidence_sources.get(evidence.kind)
    kind = source.names.get(current_language(), source.names["kk"]) if source else evidence.kind
    if evidence.ref is None:
        return kind  # an incident this reader may not see: not even its number
    return f"{kind}: {evidence.label or evidence.ref}"


def _evidence_kinds() -> dict[str, str]:
    """Each kind of evidence the composed features offer, with what to type, in the reader's language."""
    lang = current_language()
    return {
        kind: source.hints.get(lang, source.hints["kk"])
        for kind, source in runtime().features.evidence_sources.items()
    }


def _roles(codes: list[str]) -> str:
    lang = current_language()
    return ", ".join(role_name(c, lang) for c in codes)


def _filtered(view: PlanView) -> tuple[list[ItemView], int | None, str]:
    stage_raw, status = request.args.get("stage", ""), request.args.get("status", "")
    stage = bounded_int(stage_raw)
    status = status if status in STATUSES else ""
    items = [
        v
        for v in view.items
        if (stage is None or v.item.stage == stage) and (not status or v.status == status)
    ]
    return items, stage, status


def _helpers() -> dict[str, Any]:
    return {
        "statuses": STATUS_LABELS,
        "deadline_kinds": DEADLINE_KINDS,
        "evidence_kinds": _evidence_kinds(),
        "evidence_href": evidence_href,
        "evidence_text": evidence_text,
        "roles_text": _roles,
    }


@bp.route("/plan")
@login_required
def index() -> ResponseReturnValue:
    view = plan_cases.get_plan(runtime(), actor(), year_arg())
    items, stage, status = _filtered(view)
    return render_template("plan/index.html", v=view, items=items, stage=stage, status=status, **_helpers())


def _item_page(number: int, status: int = 200, **extra: Any) -> ResponseReturnValue:
    detail = plan_cases.get_item(runtime(), actor(), number, year_arg())
    values = extra.pop("values", {})
    return (
        render_template(
            "plan/item.html",
            d=detail,
            values=values,
            errors=extra.pop("errors", {}),
            **_helpers(),
        ),
        status,
    )


@bp.route("/plan/items/<int:number>")
@login_required
def item(number: int) -> ResponseReturnValue:
    return _item_page(number)


@bp.route("/plan/items/<int:number>/mark", methods=["POST"])
@login_required
def mark(number: int) -> ResponseReturnValue:
    values = {k: request.form.get(k, "") for k in ("comment", "evidence_kind", "evidence_ref")}
    try:
        plan_cases.mark_item(runtime(), actor(), number, year=year_arg(), **values)
    except ValidationFailed as err:
        return _item_page(number, 422, values=values, errors=field_messages(err.fields))
    flash(_("Item %(number)s is marked done.", number=number), "success")
    return redirect(url_for("plan.index", year=year_arg()) + f"#item-{number}")


@bp.route("/plan/next-year", methods=["POST"])
@login_required
def open_next_year() -> ResponseReturnValue:
    """The admin action "start the next school year from this plan"; the new year's page follows."""
    from_year = request.form.get("from_year", type=int)
    if from_year is None:
        abort(400)
    year = plan_cases.open_next_year(runtime(), actor(), from_year)
    message = _(
        "The plan for %(years)s is open: every activity of %(previous)s, all items open.",
        years=f"{year}–{year + 1}",
        previous=f"{from_year}–{from_year + 1}",
    )
    flash(message, "success")
    return redirect(url_for("plan.index", year=year))


@bp.route("/plan/items/<int:number>/unmark", methods=["POST"])
@login_required
def unmark(number: int) -> ResponseReturnValue:
    reason = request.form.get("reason", "")
    try:
        plan_cases.unmark_item(runtime(), actor(), number, reason=reason, year=year_arg())
    except ValidationFailed as err:
        return _item_page(number, 422, values={"reason": reason}, errors=field_messages(err.fields))
    flash(_("The mark of item %(number)s is undone.", number=number), "success")
    return redirect(url_for("plan.item", number=number, year=year_arg()))


# The plan's export: one row per item the page's filters show (an `ItemView`).
EXPORT = ExportTable(
    filename="plan",
    columns=(
        ExportColumn("number", lazy_gettext("No."), lambda v: v.item.number),
        ExportColumn("stage", lazy_gettext("Stage"), lambda v: v.item.stage),
        ExportColumn("activity", lazy_gettext("Activity"), lambda v: v.item.activity),
        ExportColumn("responsible", lazy_gettext("Responsible"), lambda v: v.item.responsible),
        ExportColumn("participants", lazy_gettext("Participants"), lambda v: v.item.participants),
        ExportColumn("deadline", lazy_gettext("Deadline"), lambda v: v.item.deadline),
        ExportColumn("due_on", lazy_gettext("Due date"), lambda v: v.item.due_on or ""),
        ExportColumn("result", lazy_gettext("Result document"), lambda v: v.item.result),
        ExportColumn("status", lazy_gettext("Status"), lambda v: v.status, labels=STATUS_LABELS),
        ExportColumn("done_at", lazy_gettext("Marked on"), lambda v: v.item.done_at or "", kind="date"),
        ExportColumn(
            "done_by", lazy_gettext("Marked by"), lambda v: v.item.done_by.full_name if v.item.done_by else ""
        ),
        ExportColumn("comment", lazy_gettext("Comment"), lambda v: v.item.done_comment),
        ExportColumn("evidence", lazy_gettext("Evidence"), lambda v: evidence_text(v.evidence)),
    ),
)


def _export(fmt: str) -> ResponseReturnValue:
    items, _stage, _status = _filtered(plan_cases.get_plan(runtime(), actor(), year_arg()))
    return exports.export("plan", items, fmt)


@bp.route("/plan/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    return _export("csv")


@bp.route("/plan/export.xlsx")
@login_required
def export_xlsx() -> ResponseReturnValue:
    return _export("xlsx")


NAV = (NavLink("plan.index", lazy_gettext("Plan")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "plan.mark": lazy_gettext("marked a plan item done"),
        "plan.unmark": lazy_gettext("undid a plan item's mark"),
        "plan.load": lazy_gettext("loaded the plan"),
        "plan.next_year": lazy_gettext("opened the next school year's plan"),
    },
)

ERROR_MESSAGES: dict[str, Callable[[ServiceError], tuple[str, dict[str, Any]]]] = {
    "plan_item_marked": lambda err: (
        _("This item is already marked done (perhaps by someone else just now)."),
        {},
    ),
    "plan_item_not_marked": lambda err: (_("This item is not marked done."), {}),
    "plan_year_exists": lambda err: (
        _("The next school year already has a plan (perhaps someone opened it just now)."),
        {},
    ),
}


# `flask plan load FILE`: load a school year's plan from a text in the seed's layout.
plan_cli = AppGroup("plan", help="The school's yearly plan.")


@plan_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, default=None, help="School year by its first year (default: the title's).")
def plan_load(path: str, year: int | None) -> None:
    """Load a plan text (the seed's layout) for its school year; a year that has a plan is left alone."""
    from service.features.plan.rules import PlanTextError
    from service.features.plan.usecases import load_plan

    try:
        loaded = load_plan(current_app.extensions["runtime"], Path(path), year)
    except PlanTextError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("plan loaded" if loaded else "that school year already has a plan: unchanged")


# The feature's figure on the region's dashboard (its counts are read by `region.py`).
REGION_FIGURE = RegionFigure(
    title=lazy_gettext("Plan completion by stage"),
    collect=region.completion,
    total=region.completion_total,
    categories={region.WHOLE: lazy_gettext("whole plan")},
    category_name=lambda code: lazy_gettext("Stage %(number)s", number=code),
    unit="percent",
)
