"""The register of AI tools: its pages, the region's adoption forms, the conclusion PDF and exports."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import login_required

from service.features.tools import adoption as region_cases
from service.features.tools import exports as tool_documents
from service.features.tools import region
from service.features.tools import rules as tool_rules
from service.features.tools import usecases as tool_cases
from service.features.tools.models import Tool
from service.features.tools.regional import RegionEntry
from service.features.tools.rules import VoteRule
from service.platform.errors import Conflict, NotFound, ValidationFailed
from service.platform.registry import ExportColumn, ExportTable, NavLink, RegionFigure, TimelineWords
from service.platform.runtime import Actor
from service.platform.web import exports
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import current_language

bp = Blueprint("tools", __name__)


STATUS_LABELS: dict[str, Any] = {
    "permitted": lazy_gettext("permitted"),
    "permitted_with_restrictions": lazy_gettext("permitted with restrictions"),
    "rejected": lazy_gettext("rejected"),
    "under_review": lazy_gettext("under review"),
    "withdrawn": lazy_gettext("withdrawn"),
}
OUTCOME_LABELS: dict[str, Any] = {**STATUS_LABELS, "no_quorum": lazy_gettext("no quorum")}


@bp.route("/tools")
@login_required
def index() -> ResponseReturnValue:
    status = request.args.get("status") or None
    rows = tool_cases.list_tools(runtime(), actor(), status)
    full = tool_cases.sees_evaluations(actor())
    region = region_cases.region_register(runtime(), actor(), status)
    return render_template(
        "tools/list.html",
        rows=rows,
        region=region,
        status=status,
        full=full,
        statuses={k: v for k, v in STATUS_LABELS.items() if full or k in tool_cases.PERMITTED},
        labels=tool_cases.tool_labels(runtime(), current_language()),
        restrictions={t.id: tool_cases.restrictions_in_force(t) for t in rows},
        in_force=tool_cases.PERMITTED,
        uses={t.id: json.loads(t.processes_json or "[]") for t in rows},
        may_adopt=region_cases.may_adopt(runtime(), actor()),
        region_admin=region_cases.may_adopt_for_region(runtime(), actor()),
        school_label=_school_name,
    )


def _school_name(names: tuple[str, str] | None) -> str:
    """A school's name (kk, ru) in the reader's language."""
    if names is None:
        return ""
    return (names[1] if current_language() == "ru" else "") or names[0]


@bp.route("/tools/<int:tool_id>")
@login_required
def show(tool_id: int) -> ResponseReturnValue:
    try:
        view = tool_cases.get_tool(runtime(), actor(), tool_id)
    except NotFound:
        return _region_show(tool_id)
    return render_template(
        "tools/show.html",
        v=view,
        t=view.tool,
        statuses=STATUS_LABELS,
        outcomes=OUTCOME_LABELS,
        labels=tool_cases.tool_labels(runtime(), current_language()),
        restrictions=tool_cases.restrictions_in_force(view.tool),
        in_force=tool_cases.PERMITTED,
        uses=json.loads(view.tool.processes_json or "[]"),
        rule_sentence=rule_sentence,
    )


def _region_show(tool_id: int) -> ResponseReturnValue:
    entry = region_cases.get_region_tool(runtime(), actor(), tool_id)
    return render_template(
        "tools/region_show.html",
        e=entry,
        statuses=STATUS_LABELS,
        labels=tool_cases.tool_labels(runtime(), current_language()),
        may_adopt=region_cases.may_adopt(runtime(), actor()),
        school_label=_school_name,
        max_length=tool_rules.SCHOOL_RESTRICTIONS_MAX,
    )


@bp.route("/tools/<int:tool_id>/adopt", methods=["POST"])
@login_required
def adopt(tool_id: int) -> ResponseReturnValue:
    if region_cases.adopt(runtime(), actor(), tool_id):
        flash(gettext("The school adopted the region's tool."), "success")
    return redirect(url_for("tools.show", tool_id=tool_id))


@bp.route("/tools/<int:tool_id>/unadopt", methods=["POST"])
@login_required
def unadopt(tool_id: int) -> ResponseReturnValue:
    if region_cases.unadopt(runtime(), actor(), tool_id):
        flash(gettext("The school no longer adopts the region's tool."), "success")
    return redirect(url_for("tools.show", tool_id=tool_id))


@bp.route("/tools/<int:tool_id>/restrict", methods=["POST"])
@login_required
def restrict(tool_id: int) -> ResponseReturnValue:
    try:
        region_cases.restrict(runtime(), actor(), tool_id, request.form.get("restrictions", ""))
    except ValidationFailed:
        flash(
            gettext("At most %(limit)s characters.", limit=tool_rules.SCHOOL_RESTRICTIONS_MAX),
            "error",
        )
    except Conflict:
        flash(gettext("Adopt the tool before restricting it."), "error")
    else:
        flash(gettext("The school's restrictions are saved."), "success")
    return redirect(url_for("tools.show", tool_id=tool_id))


@bp.route("/tools/school-evaluations")
@login_required
def school_evaluations() -> ResponseReturnValue:
    rows = region_cases.school_candidates(runtime(), actor())
    return render_template(
        "tools/school_evaluations.html", rows=rows, statuses=STATUS_LABELS, school_label=_school_name
    )


@bp.route("/tools/<int:tool_id>/adopt-for-region", methods=["POST"])
@login_required
def adopt_for_region(tool_id: int) -> ResponseReturnValue:
    if region_cases.adopt_for_region(runtime(), actor(), tool_id):
        flash(gettext("The evaluation is now in the region register."), "success")
    return redirect(url_for("tools.school_evaluations"))


@bp.route("/tools/<int:tool_id>/remove-from-region", methods=["POST"])
@login_required
def remove_from_region(tool_id: int) -> ResponseReturnValue:
    if region_cases.remove_from_region(runtime(), actor(), tool_id):
        flash(gettext("The evaluation is no longer in the region register."), "success")
    return redirect(url_for("tools.school_evaluations"))


@bp.route("/tools/<int:tool_id>/memo-attachment")
@login_required
def memo_attachment(tool_id: int) -> ResponseReturnValue:
    name, content_type, content = tool_cases.memo_attachment(runtime(), actor(), tool_id)
    return attachment(content, content_type, name)


def conclusion_response(me: Actor, tool_id: int) -> Response:
    name, pdf = tool_documents.conclusion_pdf(runtime(), me, tool_id)
    return attachment(pdf, "application/pdf", name)


@bp.route("/tools/<int:tool_id>/conclusion.pdf")
@login_required
def conclusion_pdf(tool_id: int) -> ResponseReturnValue:
    return conclusion_response(actor(), tool_id)


def rule_sentence(stored: str | None) -> str:
    """The decision rule stored with a tool's outcome, in the reader's language."""
    rule = VoteRule.described(stored)
    if rule is None:
        return stored or ""
    return gettext(
        "quorum: more than %(quorum)s of the members; majority: more than %(majority)s of the votes cast",
        quorum=str(rule.quorum),
        majority=str(rule.majority),
    )


SOURCE_LABELS: dict[str, Any] = {
    "school": lazy_gettext("the school's evaluation"),
    "region": lazy_gettext("permitted by the region"),
}


def export_rows(own: list[Tool], region: list[RegionEntry], uses: dict[str, str]) -> list[dict[str, Any]]:
    """The register's rows as exported: the school's entries, then the region's with the school's
    adoption and further restrictions."""

    def named(codes: list[str]) -> str:
        return ", ".join(uses.get(c, c) for c in codes)

    rows: list[dict[str, Any]] = [
        {
            "id": t.id,
            "source": "school",
            "name": t.name,
            "vendor": t.vendor,
            "status": t.status,
            "uses": named(json.loads(t.processes_json or "[]")),
            "restrictions": "\n".join(tool_cases.restrictions_in_force(t)),
            "school_restrictions": "",
            "personal_data": (gettext("allowed") if t.personal_data_allowed else gettext("not allowed"))
            if t.status in tool_cases.PERMITTED
            else "",
            "review_date": t.review_date,
            "adopted_by": "",
            "adopted_at": None,
        }
        for t in own
    ]
    rows += [
        {
            "id": e.id,
            "source": "region",
            "name": e.name,
            "vendor": e.vendor,
            "status": e.status,
            "uses": named(e.allowed_uses),
            "restrictions": "\n".join(e.restrictions),
            "school_restrictions": "\n".join(e.school_restrictions),
            "personal_data": gettext("allowed") if e.personal_data_allowed else gettext("not allowed"),
            "review_date": e.review_date,
            "adopted_by": e.adoption.adopted_by if e.adoption else "",
            "adopted_at": e.adoption.adopted_at if e.adoption else None,
        }
        for e in region
    ]
    return rows


EXPORT = ExportTable(
    filename="ai-tools",
    sheet=lazy_gettext("AI tools"),
    columns=(
        ExportColumn("id", lazy_gettext("No.")),
        ExportColumn("source", lazy_gettext("Source"), labels=SOURCE_LABELS),
        ExportColumn("name", lazy_gettext("Tool")),
        ExportColumn("vendor", lazy_gettext("Vendor")),
        ExportColumn("status", lazy_gettext("Status"), labels=STATUS_LABELS),
        ExportColumn("uses", lazy_gettext("Allowed uses")),
        ExportColumn("restrictions", lazy_gettext("Restrictions")),
        ExportColumn("school_restrictions", lazy_gettext("The school's further restrictions")),
        ExportColumn("personal_data", lazy_gettext("Personal data")),
        ExportColumn("review_date", lazy_gettext("Review date")),
        ExportColumn("adopted_by", lazy_gettext("Adopted by")),
        ExportColumn("adopted_at", lazy_gettext("Adopted"), kind="moment"),
    ),
)


@bp.route("/tools/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str) -> ResponseReturnValue:
    status = request.args.get("status") or None
    own = tool_cases.list_tools(runtime(), actor(), status)
    region = region_cases.region_register(runtime(), actor(), status)
    uses = tool_cases.tool_labels(runtime(), current_language())["processes"]
    return exports.export("tools", export_rows(own, region, uses), fmt)


NAV = (NavLink("tools.index", lazy_gettext("AI tools")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "tool.propose": lazy_gettext("proposed an AI tool"),
        "tool.vote.open": lazy_gettext("opened the commission's vote"),
        "tool.vote.sign": lazy_gettext("signed an evaluation"),
        "tool.vote.close": lazy_gettext("the commission's vote closed"),
        "tool.vote.withdrawn": lazy_gettext("withdrew the remaining evaluations"),
        "tool.conclusion": lazy_gettext("wrote the commission's conclusion"),
        "tool.register": lazy_gettext("entered the tool in the register"),
        "tool.memo": lazy_gettext("attached the staff memo"),
        "tool.status": lazy_gettext("changed the tool's status"),
        "tool.review.reopen": lazy_gettext("reopened the evaluation for review"),
        "tool.adopt": lazy_gettext("adopted the region's tool"),
        "tool.unadopt": lazy_gettext("gave up the region's tool"),
        "tool.restrict": lazy_gettext("restricted the region's tool further"),
        "tool.region.adopt": lazy_gettext("adopted a school's evaluation into the region register"),
        "tool.region.remove": lazy_gettext("removed a school's evaluation from the region register"),
    },
    flows={
        "revote": lazy_gettext("vote again"),
        "permitted": lazy_gettext("permitted"),
        "rejected": lazy_gettext("rejected"),
    },
    statuses=STATUS_LABELS,
    processes={
        "tool_evaluation": lazy_gettext("AI tool evaluation"),
    },
    elements={  # the names its diagram shows besides lanes, flows and form steps, by element id
        "tool_evaluation": {
            "Participant_school": lazy_gettext("School"),
            "tool_evaluation": lazy_gettext("AI tool evaluation"),
            "StartEvent_tool": lazy_gettext("A new AI tool"),
            "Settings_load": lazy_gettext("Load the settings"),
            "Gateway_to_record": lazy_gettext("Save the proposal"),
            "Service_record_proposal": lazy_gettext("Proposal to the register"),
            "Gateway_to_ict": lazy_gettext("To technical assessment"),
            "Gateway_ict_decision": lazy_gettext("The ICT decision"),
            "Service_record_assessment": lazy_gettext("Save the technical assessment"),
            "Gateway_to_vote": lazy_gettext("To the commission's vote"),
            "Service_open_round": lazy_gettext("Open a voting round"),
            "Service_members": lazy_gettext("Commission members"),
            "Script_clear_decision": lazy_gettext("Clear the previous decision"),
            "Timer_vote_deadline": lazy_gettext("Voting deadline"),
            "Service_close_deadline": lazy_gettext("Close at the deadline"),
            "Service_close_vote": lazy_gettext("Close the vote"),
            "Gateway_closed": lazy_gettext("The result"),
            "Gateway_chair_decision": lazy_gettext("The chair's decision"),
            "Service_register": lazy_gettext("Enter in the register"),
            "Gateway_permitted": lazy_gettext("Was it permitted"),
            "End_rejected": lazy_gettext("Not accepted"),
            "Service_memo": lazy_gettext("Publish the memo"),
            "Timer_review": lazy_gettext("Review date"),
            "Service_reopen": lazy_gettext("Reopen the evaluation"),
        },
    },
)


# The feature's figure on the region's dashboard (its counts are read by `region.py`).
REGION_FIGURE = RegionFigure(
    title=lazy_gettext("AI tools permitted"),
    collect=region.permitted,
    total=region.permitted_total,
    categories={
        "permitted": lazy_gettext("permitted"),
        "permitted_with_restrictions": lazy_gettext("permitted with restrictions"),
    },
)
