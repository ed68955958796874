"""The annual report (plan item 29): the page with the narrative form, its documents, and the JSON figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required

from service.features.incidents import usecases as incident_cases
from service.features.orders.usecases import order_labels
from service.features.reports import schemas
from service.features.reports import usecases as cases
from service.features.reports.rules import NARRATIVE_FIELDS
from service.features.tools.web import STATUS_LABELS as TOOL_STATUSES
from service.platform import formats
from service.platform.errors import BadRequest, ValidationFailed
from service.platform.registry import NavLink
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import current_language, field_messages

bp = Blueprint("reports", __name__)
api_bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)

NARRATIVE_LABELS: dict[str, Any] = {
    "achievements": lazy_gettext("Achievements"),
    "problems": lazy_gettext("Problems"),
    "recommendations": lazy_gettext("Recommendations"),
}


def _year_arg() -> int | None:
    text = (request.args.get("year") or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 4:
        raise BadRequest(_("year must be a number"))
    return int(text)


def _labels(lang: str) -> dict[str, dict[str, Any]]:
    rt = runtime()
    incident_labels = incident_cases.labels(rt, lang)
    return {
        "order_type": order_labels(rt, lang)["order_type"],
        "incident_type": incident_labels["type"],
        "decision": incident_labels["decision"],
        "outcome": {"resolved": _("resolved at triage"), **incident_labels["decision"]},
        "tool": TOOL_STATUSES,
        # The sections the features feed (registry `report_sections`): titles and row names.
        "section": {key: s.titles.get(lang, key) for key, s in rt.features.report_sections.items()},
        **{
            key: {code: names.get(lang, code) for code, names in s.row_names.items()}
            for key, s in rt.features.report_sections.items()
        },
    }


def _render(view: cases.ReportView, errors: dict[str, str] | None = None, typed: Any = None) -> Any:
    me = actor()
    start = cases.current_year(runtime()).start
    return render_template(
        "reports/annual.html",
        v=view,
        f=view.figures,
        narrative=typed if typed is not None else view.narrative,
        errors=errors or {},
        editable=cases.can_edit(me) and not view.final,
        years=list(range(start, cases.FIRST_YEAR - 1, -1)),
        labels=_labels(current_language()),
        narrative_labels=NARRATIVE_LABELS,
        # Short dates in the sentence: a long Russian date ends in "г.", and the sentence in a period.
        first_day=formats.short_date(view.year.first_day, current_language()),
        last_day=formats.short_date(view.year.last_day, current_language()),
        day=lambda iso: formats.short_date(date.fromisoformat(iso), current_language()) if iso else "—",
    )


@bp.route("/reports/annual")
@login_required
def annual() -> ResponseReturnValue:
    return _render(cases.annual_report(runtime(), actor(), _year_arg()))


@bp.post("/reports/annual")
@login_required
def save() -> ResponseReturnValue:
    me, year = actor(), _year_arg()
    typed = {name: request.form.get(name, "") for name in NARRATIVE_FIELDS}
    finalizing = request.form.get("action") == "finalize"
    try:
        view = (cases.finalize if finalizing else cases.save_draft)(runtime(), me, year, typed)
    except ValidationFailed as err:
        view = cases.annual_report(runtime(), me, year)
        return _render(view, field_messages(err.fields), typed), 422
    flash(_("The report is finalized: its figures are now fixed.") if finalizing else _("Draft saved."), "ok")
    return redirect(url_for("reports.annual", year=view.year.start))


@bp.route("/reports/annual.<any(pdf, docx):kind>")
@login_required
def document(kind: str) -> ResponseReturnValue:
    name, content, mimetype = cases.report_file(runtime(), actor(), _year_arg(), kind)
    return attachment(content, mimetype, name)


@api_bp.get("/reports/annual")
def api_annual() -> ResponseReturnValue:
    view = cases.annual_report(runtime(), api_actor(), _year_arg())
    # `from` is a Python keyword: the model's field is `from_`, given and sent under its alias.
    report = {
        "year": view.year.start,
        "from": view.year.first_day,
        "to": view.year.last_day,
        "status": "final" if view.final else "draft",
        "finalized_at": view.finalized_at,
        "finalized_by": view.finalized_by or None,
        "pdf_sha256": view.pdf_sha256,
        "figures": view.figures.as_json(),
        "narrative": view.narrative,
    }
    return answer(schemas.AnnualReport.model_validate(report))


NAV = (NavLink("reports.annual", lazy_gettext("Annual report"), visible=cases.can_read),)
