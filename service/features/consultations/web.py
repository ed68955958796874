"""The consultations journal pages: journal with filters, request form, one consultation, exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required

from service.features.consultations import exports as documents
from service.features.consultations import usecases as cases
from service.features.consultations.queries import ConsultationFilter
from service.platform.errors import BadRequest, ValidationFailed
from service.platform.files import storage as files
from service.platform.registry import ExportColumn, ExportTable, NavLink, TimelineWords
from service.platform.web import exports
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import FIELD_MESSAGES, field_messages
from service.platform.web.params import page_number

bp = Blueprint("consultations", __name__)
PAGE_SIZE = 50

FIELD_MESSAGES.update(
    {
        "date_past": lazy_gettext("This date has already passed."),
        "date_future": lazy_gettext("This date has not come yet."),
    }
)
STATUS_LABELS: dict[str, Any] = {
    "requested": lazy_gettext("requested"),
    "scheduled": lazy_gettext("scheduled"),
    "held": lazy_gettext("held"),
    "cancelled": lazy_gettext("cancelled"),
}


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(_("Enter a real date (YYYY-MM-DD).")) from None


def journal_filter(limit: int = PAGE_SIZE) -> ConsultationFilter:
    args = request.args
    page = page_number(args)
    return ConsultationFilter(
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
        status=args.get("status") or None,
        search=(args.get("q") or "").strip()[:100] or None,
        limit=limit,
        offset=(page - 1) * limit,
    )


def _journal(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    flt = journal_filter()
    journal = cases.list_consultations(runtime(), actor(), flt)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return (
        render_template(
            "consultations/list.html",
            j=journal,
            flt=flt,
            args=args,
            page=flt.offset // PAGE_SIZE + 1,
            pages=max(1, (journal.total + PAGE_SIZE - 1) // PAGE_SIZE),
            statuses=STATUS_LABELS,
            values=values,
            errors=errors,
            may_record=actor().has("responsible"),
        ),
        status,
    )


@bp.route("/consultations")
@login_required
def index() -> ResponseReturnValue:
    return _journal({}, {})


@bp.route("/consultations", methods=["POST"])
@login_required
def request_consultation() -> ResponseReturnValue:
    try:
        consultation_id = cases.request_consultation(runtime(), actor(), request.form)
    except ValidationFailed as err:
        return _journal(request.form.to_dict(), field_messages(err.fields), 422)
    flash(_("Your request has been sent to the responsible person."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation_id))


def _show(consultation_id: int, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Any:
    view = cases.get_consultation(runtime(), actor(), consultation_id)
    tools = cases.keeper_choices(runtime(), actor())[1] if view.may_manage else []
    return (
        render_template(
            "consultations/show.html",
            v=view,
            c=view.consultation,
            statuses=STATUS_LABELS,
            tools=tools,
            values=values,
            errors=errors,
            today=cases.today(runtime()).isoformat(),
        ),
        status,
    )


@bp.route("/consultations/<int:consultation_id>")
@login_required
def show(consultation_id: int) -> ResponseReturnValue:
    return _show(consultation_id, {}, {})


def _material() -> str | None:
    """The uploaded follow-up material, stored by content hash; None when no file was chosen."""
    upload = request.files.get("material")
    if upload is None or not upload.filename:
        return None
    content = upload.read()
    return files.store_upload(runtime(), actor(), "material", upload.filename, upload.mimetype or "", content)


@bp.route("/consultations/<int:consultation_id>/<any(schedule, record, cancel):step>", methods=["POST"])
@login_required
def change(consultation_id: int, step: str) -> ResponseReturnValue:
    me = actor()
    try:
        if step == "schedule":
            cases.schedule(runtime(), me, consultation_id, request.form)
            flash(_("The consultation has been scheduled."), "success")
        elif step == "cancel":
            cases.cancel(runtime(), me, consultation_id, request.form)
            flash(_("The consultation has been cancelled."), "success")
        else:
            # The consultation must be readable and the reader the responsible person before a file is kept.
            if not cases.get_consultation(runtime(), me, consultation_id).may_manage:
                cases.keeper_choices(runtime(), me)
            cases.record(runtime(), me, consultation_id, request.form, _material())
            flash(_("The consultation has been recorded in the journal."), "success")
    except ValidationFailed as err:
        return _show(
            consultation_id, {**request.form.to_dict(), "step": step}, field_messages(err.fields), 422
        )
    return redirect(url_for("consultations.show", consultation_id=consultation_id))


@bp.route("/consultations/walk-in", methods=["GET", "POST"])
@login_required
def walk_in() -> ResponseReturnValue:
    """Record a consultation nobody requested (the responsible person only)."""
    me = actor()
    staff, tools = cases.keeper_choices(runtime(), me)
    values: dict[str, Any] = {"held_on": cases.today(runtime()).isoformat()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            consultation_id = cases.record(runtime(), me, None, request.form, _material())
        except ValidationFailed as err:
            values, errors = request.form.to_dict(), field_messages(err.fields)
        else:
            flash(_("The consultation has been recorded in the journal."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation_id))
    page = render_template(
        "consultations/walk_in.html", staff=staff, tools=tools, values=values, errors=errors
    )
    return page, 422 if errors else 200


# The journal's export: statuses and yes/no in the reader's language.
EXPORT = ExportTable(
    filename="consultations",
    columns=(
        ExportColumn("id", lazy_gettext("No.")),
        ExportColumn("date", lazy_gettext("Date")),
        ExportColumn("staff_member", lazy_gettext("Login")),
        ExportColumn("full_name", lazy_gettext("Staff member")),
        ExportColumn("duty", lazy_gettext("Position")),
        ExportColumn("topic", lazy_gettext("Topic")),
        ExportColumn("status", lazy_gettext("Status"), labels=STATUS_LABELS),
        ExportColumn("advice", lazy_gettext("Advice given")),
        ExportColumn("tool", lazy_gettext("Tool")),
        ExportColumn("walk_in", lazy_gettext("Walk-in"), lambda r: _("yes") if r["walk_in"] else _("no")),
        ExportColumn("preferred_on", lazy_gettext("Preferred date")),
        ExportColumn("scheduled_on", lazy_gettext("Scheduled date")),
        ExportColumn("cancel_reason", lazy_gettext("Reason for cancelling")),
    ),
)


def _export(fmt: str) -> ResponseReturnValue:
    rows = documents.export_rows(runtime(), actor(), journal_filter(limit=10_000))
    return exports.export("consultations", rows, fmt)


@bp.route("/consultations/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    return _export("csv")


@bp.route("/consultations/export.xlsx")
@login_required
def export_xlsx() -> ResponseReturnValue:
    return _export("xlsx")


@bp.route("/consultations/journal.pdf")
@login_required
def journal_pdf() -> ResponseReturnValue:
    content = documents.journal(runtime(), actor(), journal_filter(limit=10_000))
    return attachment(content, "application/pdf", "Консультациялар журналы.pdf")


NAV = (NavLink("consultations.index", lazy_gettext("Consultations")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "consultation.requested": lazy_gettext("requested a consultation"),
        "consultation.scheduled": lazy_gettext("scheduled the consultation"),
        "consultation.cancelled": lazy_gettext("cancelled the consultation"),
        "consultation.recorded": lazy_gettext("recorded the consultation"),
    },
    statuses=STATUS_LABELS,
)
