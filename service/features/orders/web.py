"""The order register: list with filters and search, one order's page, documents, CSV and XLSX export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required

from service.features.orders import exports as order_documents
from service.features.orders import region
from service.features.orders import usecases as order_cases
from service.features.orders.queries import OrderFilter
from service.platform.errors import BadRequest, ValidationFailed
from service.platform.registry import ExportColumn, ExportTable, NavLink, RegionFigure, TimelineWords
from service.platform.web import exports
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import current_language
from service.platform.web.params import page_number

bp = Blueprint("orders", __name__)
PAGE_SIZE = 50

STATUS_LABELS: dict[str, Any] = {
    "draft": lazy_gettext("draft"),
    "in_review": lazy_gettext("in review"),
    "approved": lazy_gettext("approved"),
    "rejected": lazy_gettext("rejected"),
    "registered": lazy_gettext("registered"),
}


def type_labels(lang: str) -> dict[str, str]:
    """Order types as the drafting form names them, in the reader's language."""
    return order_cases.order_labels(runtime(), lang)["order_type"]


def order_filter(limit: int = PAGE_SIZE, offset: int | None = None) -> OrderFilter:
    """The filter of the request; `?page=` counts pages of `limit` rows unless an offset is given."""
    args = request.args
    year_text = args.get("year", "").strip()
    if year_text and (not year_text.isdigit() or len(year_text) > 4):
        raise BadRequest(_("year must be a number"))
    if offset is None:
        offset = (page_number(args) - 1) * limit
    return OrderFilter(
        year=int(year_text) if year_text else None,
        order_type=args.get("type") or None,
        status=args.get("status") or None,
        search=(args.get("q") or "").strip()[:100] or None,
        limit=limit,
        offset=offset,
    )


@bp.route("/orders")
@login_required
def index() -> ResponseReturnValue:
    flt = order_filter()
    rows, total = order_cases.list_orders(runtime(), actor(), flt)
    page = flt.offset // PAGE_SIZE + 1
    return render_template(
        "orders/list.html",
        rows=rows,
        names=order_cases.people_names(runtime(), [o.drafter for o in rows]),
        total=total,
        flt=flt,
        page=page,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        types=type_labels(current_language()),
        statuses=STATUS_LABELS,
    )


@dataclass(frozen=True)
class _Line:
    """An order as its export reads it: the register's row with its type and drafter named."""

    order: Any
    type: str
    drafter: str


EXPORT = ExportTable(
    filename="orders",
    columns=(
        ExportColumn("number", lazy_gettext("Number"), lambda r: r.order.number or ""),
        ExportColumn("date", lazy_gettext("Date"), lambda r: r.order.registered_on or ""),
        ExportColumn("title", lazy_gettext("Title"), lambda r: r.order.title),
        ExportColumn("type", lazy_gettext("Order type"), lambda r: r.type),
        ExportColumn("status", lazy_gettext("Status"), lambda r: r.order.status, labels=STATUS_LABELS),
        ExportColumn("drafter", lazy_gettext("Drafter"), lambda r: r.drafter),  # a name, not a login
        ExportColumn("process", lazy_gettext("Process no."), lambda r: r.order.instance_id),
    ),
)


def _export(fmt: str) -> ResponseReturnValue:
    # an export is every matching row, whatever page the register showed
    rows, _ = order_cases.list_orders(runtime(), actor(), order_filter(limit=10_000, offset=0))
    types = type_labels(current_language())
    names = order_cases.people_names(runtime(), [o.drafter for o in rows])
    lines = [
        _Line(o, types.get(o.order_type, o.order_type), names.get(o.drafter or "", o.drafter or ""))
        for o in rows
    ]
    return exports.export("orders", lines, fmt)


@bp.route("/orders/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    return _export("csv")


@bp.route("/orders/export.xlsx")
@login_required
def export_xlsx() -> ResponseReturnValue:
    return _export("xlsx")


@bp.route("/orders/<int:order_id>/acknowledgements.pdf")
@login_required
def acknowledgements_pdf(order_id: int) -> ResponseReturnValue:
    produced = order_documents.acknowledgement_list(runtime(), actor(), order_id)
    return attachment(produced.content, produced.mimetype, produced.filename)


@bp.route("/orders/<int:order_id>")
@login_required
def show(order_id: int) -> ResponseReturnValue:
    return _show(order_id)


def _show(
    order_id: int, ack_errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None
) -> Any:
    view = order_cases.get_order(runtime(), actor(), order_id)
    labels = order_cases.order_labels(runtime(), current_language())
    return render_template(
        "orders/show.html",
        v=view,
        types=labels["order_type"],
        statuses=STATUS_LABELS,
        markings=labels["marking"],
        declaration=order_cases.ai_declaration(runtime(), view.order),
        may_manage=actor().has(*order_cases.ACK_MANAGERS),
        ack_errors=ack_errors or {},
        ack_typed=typed or {},
    )


@bp.route("/orders/<int:order_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(order_id: int) -> ResponseReturnValue:
    """The reader's own acknowledgement (one row of the order's campaign); 422 keeps the comment."""
    typed = {"acknowledged": request.form.get("acknowledged"), "comment": request.form.get("comment", "")}
    try:
        order_cases.acknowledge(runtime(), actor(), order_id, typed)
    except ValidationFailed as err:
        messages = {
            "acknowledged": _("Tick the box to confirm that you have read the order."),
            "comment": _("The comment is too long."),
        }
        return _show(order_id, {k: messages.get(k, k) for k in err.fields}, typed), 422
    flash(_("Thank you: your acknowledgement is recorded."), "success")
    return redirect(url_for("orders.show", order_id=order_id))


@bp.route("/orders/<int:order_id>/remind", methods=["POST"])
@login_required
def remind(order_id: int) -> ResponseReturnValue:
    sent = order_cases.remind_pending(runtime(), actor(), order_id)
    flash(_("Reminders sent: %(count)s", count=sent), "success")
    return redirect(url_for("orders.show", order_id=order_id))


@bp.route("/orders/<int:order_id>/extend", methods=["POST"])
@login_required
def extend(order_id: int) -> ResponseReturnValue:
    try:
        new_due = date.fromisoformat(request.form.get("due", ""))
        order_cases.extend_acknowledgement(runtime(), actor(), order_id, new_due)
    except (ValueError, ValidationFailed):
        flash(_("Choose a date in the future."), "error")
    else:
        flash(_("The deadline has been extended."), "success")
    return redirect(url_for("orders.show", order_id=order_id))


def send_order_file(order_id: int, kind: str) -> ResponseReturnValue:
    produced = order_documents.order_file(runtime(), actor(), order_id, kind)
    return attachment(produced.content, produced.mimetype, produced.filename)


@bp.route("/orders/<int:order_id>/document.<kind>")
@login_required
def document(order_id: int, kind: str) -> ResponseReturnValue:
    return send_order_file(order_id, kind)


@bp.route("/orders/verify")
@login_required
def verify() -> ResponseReturnValue:
    code = (request.args.get("code") or "").strip()[:20]
    found = order_documents.find_by_code(runtime(), code) if code else None
    return render_template("orders/verify.html", code=code, found=found)


NAV = (NavLink("orders.index", lazy_gettext("Orders")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "order.document": lazy_gettext("produced the order's document"),
        "order.remind": lazy_gettext("reminded those who have not acknowledged"),
        "order.extend": lazy_gettext("extended the acknowledgement deadline"),
    },
    statuses=STATUS_LABELS,
    processes={
        "order_drafting": lazy_gettext("Order drafting"),
    },
    elements={  # the names its diagram shows besides lanes, flows and form steps, by element id
        "order_drafting": {
            "Participant_school": lazy_gettext("School"),
            "order_drafting": lazy_gettext("Order drafting"),
            "StartEvent_order": lazy_gettext("An order is needed"),
            "Settings_load": lazy_gettext("Load the deadlines"),
            "Gateway_to_review": lazy_gettext("To legal review"),
            "Service_record_edition": lazy_gettext("Save the edition"),
            "Timer_review_reminder": lazy_gettext("Reminder"),
            "Service_review_reminder": lazy_gettext("Remind the lawyer"),
            "Gateway_legal_decision": lazy_gettext("The lawyer's decision"),
            "Gateway_to_rework": lazy_gettext("To rework"),
            "Service_status_draft": lazy_gettext("The draft is being reworked"),
            "Gateway_director_decision": lazy_gettext("The director's decision"),
            "Service_rejected": lazy_gettext("Not accepted"),
            "End_rejected": lazy_gettext("Not accepted"),
            "Service_register": lazy_gettext("Register the order"),
            "Service_open_acknowledgement": lazy_gettext("Open the acknowledgement"),
            "Wait_acknowledgements": lazy_gettext("Acknowledging the order"),
            "Timer_ack_reminder": lazy_gettext("Reminder"),
            "Service_ack_reminder": lazy_gettext("Remind to acknowledge"),
            "Service_acknowledged": lazy_gettext("Everyone acknowledged"),
            "End_completed": lazy_gettext("The order took effect"),
            "Service_ack_scope": lazy_gettext("Who acknowledges"),
            "Gateway_ack_scope": lazy_gettext("Where is it acknowledged"),
            "Service_registered_only": lazy_gettext("The order is registered"),
            "End_registered": lazy_gettext("The order is registered"),
        },
    },
)


# The feature's figure on the region's dashboard (its counts are read by `region.py`).
REGION_FIGURE = RegionFigure(
    title=lazy_gettext("Orders issued this school year"), collect=region.issued, total=region.issued_total
)
