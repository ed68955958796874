"""The incident journal: pages, exports, minutes and reopening, and its /api/v1 endpoints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required

from service.features.incidents import council, region, schemas
from service.features.incidents import usecases as cases
from service.features.incidents.access import PROCESS_ID
from service.features.incidents.models import Incident
from service.features.incidents.queries import IncidentFilter
from service.features.incidents.usecases import IncidentView, journal_number
from service.platform.errors import BadRequest, ValidationFailed
from service.platform.inbox import instances as instance_cases
from service.platform.persistence.models import HumanTask
from service.platform.registry import ExportColumn, ExportTable, NavLink, RegionFigure, TimelineWords
from service.platform.web import exports
from service.platform.web.api_model import answer
from service.platform.web.api_request import (
    api_actor,
    authenticate,
    data_of,
    int_arg,
    json_body,
)
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import FIELD_MESSAGES, current_language, field_messages
from service.platform.web.params import page_number

bp = Blueprint("incidents", __name__)
api_bp = Blueprint("incidents_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)

# Messages of the incident rules' own field error codes (the shared table knows the common ones).
FIELD_MESSAGES.update(
    {
        "vote_outcome": lazy_gettext(
            "The council's vote decided otherwise: record the decision of the vote."
        ),
        "recommendation_line": lazy_gettext(
            "Line %(limit)s: write who; the due date as YYYY-MM-DD (not in the past); what to do."
        ),
        "recommendation_owner": lazy_gettext(
            "Line %(limit)s: name a person (username) or a role held by exactly one person."
        ),
        "follow_up_row": lazy_gettext(
            "Row %(limit)s: choose the person, a due date from today on, and write what to do."
        ),
        "follow_up_owner": lazy_gettext("Row %(limit)s: choose an active person."),
        "decision_change_reason": lazy_gettext(
            "The vote decided otherwise: write why you record another decision."
        ),
    }
)

STATUS_LABELS: dict[str, Any] = {
    "reported": lazy_gettext("reported"),
    "council": lazy_gettext("sent to the council"),
    "voting": lazy_gettext("council is voting"),
    "decision": lazy_gettext("awaiting the chair's decision"),
    "follow_up": lazy_gettext("follow-up actions"),
    "decided": lazy_gettext("decided"),
    "resolved": lazy_gettext("resolved"),
    "closed": lazy_gettext("closed"),
}
PAGE_SIZE = 100
AMENDMENT_STATUSES: dict[str, Any] = {
    "draft": lazy_gettext("proposal being written"),
    "proposed": lazy_gettext("in progress"),
    "published": lazy_gettext("published"),
    "dropped": lazy_gettext("dropped"),
}


def incident_filter(limit: int | None = None, offset: int | None = None) -> IncidentFilter:
    """The filter of the request; pages count in `?page=` like the order register, the API in `offset`."""
    limit = limit or PAGE_SIZE
    args = request.args
    year_text = args.get("year", "").strip()
    if year_text and (not year_text.isdigit() or len(year_text) > 4):
        raise BadRequest(_("year must be a number"))
    if offset is None:
        offset = (page_number(args) - 1) * limit
    return IncidentFilter(
        year=int(year_text) if year_text else None,
        incident_type=args.get("type") or None,
        status=args.get("status") or None,
        severity=args.get("severity") or None,
        search=(args.get("q") or "").strip()[:100] or None,
        limit=limit,
        offset=offset,
    )


def _row_fields(incident: Incident, full: bool) -> dict[str, Any]:
    return {
        "id": incident.id,
        "number": journal_number(incident),
        "instance_id": incident.instance_id,
        "reported_at": incident.reported_at,
        "type": incident.incident_type,
        # The reporter's own view is status and outcome: severity is the triage's assessment.
        "severity": incident.severity if full else None,
        "status": incident.status,
        "tool": incident.tool,
        "outcome": incident.outcome,
    }


def incident_row(incident: Incident, full: bool) -> schemas.Incident:
    return schemas.Incident(**_row_fields(incident, full))


def incident_body(view: IncidentView) -> schemas.Incident:
    """The reporter gets the row; readers of every incident the detail."""
    if not view.full:
        return incident_row(view.incident, view.full)
    i = view.incident
    return schemas.IncidentDetail(
        **_row_fields(i, view.full),
        occurred_on=i.occurred_on,
        description=i.description,
        affected=i.affected,
        evidence=i.evidence,
        anonymous=i.anonymous,
        reporter=i.reporter if view.reporter_name is not None else None,
        reporter_name=view.reporter_name,
        corrective_action=i.corrective_action,
        vote=view.tally and {k: v for k, v in view.tally.items() if k not in ("votes", "labels")},
        votes=[
            schemas.IncidentVote(
                member=v.member, name=v.name, decision=v.decision, comment=v.comment, at=v.at
            )
            for v in view.votes
        ],
        decision=i.decision,
        recommendations=i.recommendations,
        tool_action=i.tool_action,  # type: ignore[arg-type]  # restrict_tool | withdraw_tool | None
        tool_restriction=i.tool_restriction,
        decision_change_reason=i.decision_change_reason,
        follow_ups=[
            schemas.IncidentFollowUp(
                assignee=f.assignee, action=f.action, due=f.due_on, status="done" if done else "open"
            )
            for f, done in view.follow_ups
        ],
        closed_at=i.closed_at,
        reopen_count=i.reopen_count,
        reopen_reason=i.reopen_reason,
    )


# --- API -------------------------------------------------------------------------------------------


@api_bp.get("/incidents")
def api_list() -> ResponseReturnValue:
    offset = int_arg("offset", 0, 0) or 0  # the API pages by offset (its OpenAPI)
    flt = incident_filter(limit=int_arg("limit", 50, 1, 500) or 50, offset=offset)
    found = cases.list_incidents(runtime(), api_actor(), flt)
    return answer(schemas.IncidentList(incidents=[incident_row(i, found.full) for i in found.rows]))


def amendment_link_row(link: council.AmendmentLink) -> schemas.IncidentAmendment:
    return schemas.IncidentAmendment(
        instance_id=link.instance_id,
        act=link.act,
        clause=link.clause,
        status=link.status,  # type: ignore[arg-type]  # an amendment's status, or draft
        started_by=link.started_by,
        started_at=link.started_at,
    )


@api_bp.get("/incidents/<int:incident_id>")
def api_show(incident_id: int) -> ResponseReturnValue:
    me = api_actor()
    view = cases.get_incident(runtime(), me, incident_id)
    body = incident_body(view)
    if isinstance(body, schemas.IncidentDetail):  # only full readers learn of the amendments
        links = council.amendments_of_incident(runtime(), me, incident_id)
        body.amendments = [amendment_link_row(link) for link in links]
    return answer(body)


@api_bp.post("/incidents/<int:incident_id>/amendments")
def api_propose_amendment(incident_id: int) -> ResponseReturnValue:
    """An amendment of a local act following the council's decision (source: council recommendation)."""
    data = data_of(json_body())
    instance_id = council.propose_amendment(runtime(), api_actor(), incident_id, dict(data))
    return answer(schemas.IncidentProcessStarted(id=incident_id, instance_id=instance_id), 201)


@api_bp.get("/incidents/<int:incident_id>/minutes.pdf")
def api_minutes(incident_id: int) -> ResponseReturnValue:
    content, filename = cases.minutes(runtime(), api_actor(), incident_id)
    return attachment(content, "application/pdf", filename)


@api_bp.post("/incidents/<int:incident_id>/reopen")
def api_reopen(incident_id: int) -> ResponseReturnValue:
    body = json_body()
    instance_id = cases.reopen(runtime(), api_actor(), incident_id, str(body.get("reason") or ""))
    return answer(schemas.IncidentProcessStarted(id=incident_id, instance_id=instance_id), 201)


# --- pages -----------------------------------------------------------------------------------------


@bp.route("/incidents")
@login_required
def index() -> ResponseReturnValue:
    flt = incident_filter()
    found = cases.list_incidents(runtime(), actor(), flt)
    return render_template(
        "incidents/list.html",
        rows=found.rows,
        full=found.full,
        total=found.total,
        flt=flt,
        page=flt.offset // PAGE_SIZE + 1,
        pages=max(1, (found.total + PAGE_SIZE - 1) // PAGE_SIZE),
        labels=cases.labels(runtime(), current_language()),
        statuses=STATUS_LABELS,
        number=journal_number,
    )


@bp.route("/incidents/<int:incident_id>")
@login_required
def show(incident_id: int) -> ResponseReturnValue:
    view = cases.get_incident(runtime(), actor(), incident_id)
    return render_template(
        "incidents/show.html",
        v=view,
        i=view.incident,
        number=journal_number(view.incident),
        labels=cases.labels(runtime(), current_language()),
        statuses=STATUS_LABELS,
        may_reopen=view.full and actor().has(*cases.REOPENERS) and view.incident.status == "closed",
        may_amend=view.full and council.may_amend_from(actor(), view.incident),
        amendments=council.amendments_of_incident(runtime(), actor(), incident_id) if view.full else [],
        amendment_statuses=AMENDMENT_STATUSES,
        errors={},
    )


@bp.route("/incidents/<int:incident_id>/amend", methods=["POST"])
@login_required
def amend(incident_id: int) -> ResponseReturnValue:
    """Open the amendment proposal prefilled from the council's decision, on the proposer's own task."""
    me = actor()
    instance_id = council.propose_amendment(runtime(), me, incident_id)
    view = instance_cases.get_instance(runtime(), me, instance_id)
    mine = [t for t in view.open_tasks if t.assignee_id == me.id]
    if mine:
        return redirect(url_for("tasks.show", task_id=mine[0].id))
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.route("/incidents/by-instance/<int:instance_id>")
@login_required
def by_instance(instance_id: int) -> ResponseReturnValue:
    """Where a finished incident task leads: the incident as the person may see it, else the inbox."""
    incident_id = cases.incident_for_instance(runtime(), actor(), instance_id)
    if incident_id is None:
        return redirect(url_for("inbox.tasks"))
    return redirect(url_for("incidents.show", incident_id=incident_id))


@bp.route("/incidents/<int:incident_id>/minutes.pdf")
@login_required
def minutes(incident_id: int) -> ResponseReturnValue:
    content, filename = cases.minutes(runtime(), actor(), incident_id)
    return attachment(content, "application/pdf", filename)


@bp.route("/incidents/<int:incident_id>/reopen", methods=["POST"])
@login_required
def reopen(incident_id: int) -> ResponseReturnValue:
    try:
        cases.reopen(runtime(), actor(), incident_id, request.form.get("reason", ""))
    except ValidationFailed as err:
        flash(field_messages(err.fields).get("reason", _("Some fields need correcting.")), "error")
    else:
        flash(_("The incident has been reopened and is back in triage."), "success")
    return redirect(url_for("incidents.show", incident_id=incident_id))


EXPORT = ExportTable(
    filename="incidents",
    columns=(
        ExportColumn("number", lazy_gettext("Journal number")),
        ExportColumn("reported_on", lazy_gettext("Reported on"), kind="date"),
        ExportColumn("type", lazy_gettext("Type")),
        ExportColumn("severity", lazy_gettext("Severity")),
        # the status by its name in the reader's language (the use case gives codes)
        ExportColumn("status", lazy_gettext("Status"), labels=STATUS_LABELS),
        ExportColumn("tool", lazy_gettext("Tool")),
        ExportColumn("outcome", lazy_gettext("Outcome")),
    ),
)


def _export(fmt: str) -> ResponseReturnValue:
    flt = incident_filter(limit=10_000, offset=0)
    return exports.export("incidents", cases.export_rows(runtime(), actor(), flt, current_language()), fmt)


@bp.route("/incidents/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    return _export("csv")


@bp.route("/incidents/export.xlsx")
@login_required
def export_xlsx() -> ResponseReturnValue:
    return _export("xlsx")


NAV = (NavLink("incidents.index", lazy_gettext("Incidents")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "incident.alert": lazy_gettext("alerted the director and the responsible person"),
        "incident.triage_overdue": lazy_gettext("passed the overdue triage to the chair"),
        "incident.triage": lazy_gettext("recorded the triage"),
        "incident.vote_closed": lazy_gettext("the council's vote closed"),
        "incident.decision": lazy_gettext("recorded the council's decision"),
        "incident.close": lazy_gettext("closed the incident"),
        "incident.reopen": lazy_gettext("reopened the incident"),
        "incident.amendment.start": lazy_gettext("started an amendment from the incident"),
    },
    flows={
        "resolve": lazy_gettext("resolve"),
        "escalate": lazy_gettext("escalate to the council"),
        "data_disclosure": lazy_gettext("personal data disclosed"),
        "reopened": lazy_gettext("reopened"),
        "done": lazy_gettext("done"),
        "follow_up": lazy_gettext("follow-up"),
    },
    statuses=STATUS_LABELS,
    processes={
        "incident_escalation": lazy_gettext("Incident escalation to the council"),
    },
    elements={  # the names its diagram shows besides lanes, flows and form steps, by element id
        "incident_escalation": {
            "Participant_school": lazy_gettext("School"),
            "incident_escalation": lazy_gettext("Incident escalation to the council"),
            "StartEvent_incident": lazy_gettext("An incident was noticed"),
            "Settings_load": lazy_gettext("Load the deadlines"),
            "Service_reopen": lazy_gettext("Reopening?"),
            "Gateway_reopened": lazy_gettext("A reopened incident?"),
            "Service_record_report": lazy_gettext("Record the report"),
            "Gateway_disclosure": lazy_gettext("Were personal data disclosed?"),
            "Service_alert": lazy_gettext("Alert the director and the responsible person at once"),
            "Gateway_to_triage": lazy_gettext("To triage"),
            "Timer_triage_deadline": lazy_gettext("The triage deadline passed"),
            "Service_triage_overdue": lazy_gettext("Notify the chair"),
            "Gateway_triaged": lazy_gettext("Triaged"),
            "Service_record_triage": lazy_gettext("Record in the incident log"),
            "Gateway_triage_decision": lazy_gettext("The responsible person's decision"),
            "Service_close_resolved": lazy_gettext("Close with a corrective measure"),
            "End_resolved": lazy_gettext("The incident is closed"),
            "Service_council_members": lazy_gettext("Council members"),
            "Service_open_vote": lazy_gettext("Open the vote"),
            "Timer_vote_deadline": lazy_gettext("Voting deadline"),
            "Gateway_vote_closed": lazy_gettext("Voting closed"),
            "Service_tally": lazy_gettext("Count the votes"),
            "Service_record_decision": lazy_gettext("Record the decision and recommendations"),
            "Gateway_follow_ups": lazy_gettext("Any recommendations?"),
            "Gateway_follow_ups_done": lazy_gettext("Recommendations carried out"),
            "Service_close_decided": lazy_gettext("Close the incident"),
            "End_closed": lazy_gettext("The incident is closed"),
        },
    },
)


def after_task(task: HumanTask) -> str | None:
    """An incident's process page is private: its own page shows what this person may see."""
    if task.process_id != PROCESS_ID:
        return None
    return url_for("incidents.by_instance", instance_id=task.instance_id)


# The feature's figure on the region's dashboard (its counts are read by `region.py`).
REGION_FIGURE = RegionFigure(
    title=lazy_gettext("Incidents this school year, by type"),
    collect=region.by_type,
    total=region.by_type_total,
    categories={
        "data_disclosure": lazy_gettext("Personal data disclosure"),
        "inappropriate_content": lazy_gettext("Inappropriate or wrong content"),
        "academic_integrity": lazy_gettext("Academic integrity violation"),
        "other": lazy_gettext("Other incidents"),
    },
)
