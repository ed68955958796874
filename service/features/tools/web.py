"""The register of AI tools: the page for people and GET /api/v1/tools for scripts."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import login_required

from service.features.tools import exports as tool_documents
from service.features.tools import schemas
from service.features.tools import usecases as tool_cases
from service.features.tools.models import Tool
from service.features.tools.rules import VoteRule
from service.platform.registry import NavLink, TimelineWords
from service.platform.runtime import Actor
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import current_language

bp = Blueprint("tools", __name__)
api_bp = Blueprint("tools_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def tool_row(tool: Tool) -> schemas.Tool:
    """The register entry as the API contract names its fields."""
    return schemas.Tool(
        id=tool.id,
        name=tool.name,
        vendor=tool.vendor,
        status=tool.status,
        allowed_uses=json.loads(tool.processes_json or "[]"),
        restrictions=tool_cases.restrictions_in_force(tool),
        personal_data_allowed=tool.personal_data_allowed,
        review_date=tool.review_date,
        instance_id=tool.instance_id,
    )


def _view_body(view: tool_cases.ToolView) -> schemas.Tool:
    tool = view.tool
    body = tool_row(tool)
    body.memo = tool.memo
    body.memo_attachment = tool.memo_attachment
    if view.votes is not None:
        # The evaluation, for those who may read it; others get the entry and its memo only.
        body.url = tool.url
        body.purpose = tool.purpose
        body.data_processed = tool.data_processed
        body.personal_data = tool.personal_data
        body.age_limit = tool.age_limit
        body.cost = tool.cost
        body.outcome = tool.outcome
        body.rule = tool.rule
        body.conclusion = tool.conclusion
        body.assessment = view.assessment
        body.votes = [
            schemas.ToolVoteRow(
                round=v.vote_round,
                member=v.member,
                decision=v.decision,  # type: ignore[arg-type]  # the column holds one of the three
                security=v.security,
                data_protection=v.data_protection,
                functionality=v.functionality,
                limitations=v.limitations,
                restrictions=v.restrictions,
                comment=v.comment,
                signature_method=v.signature_method,  # type: ignore[arg-type]  # password | statement
                signed_at=v.signed_at,
            )
            for v in view.votes
        ]
    return body


@api_bp.get("/tools")
def api_list() -> ResponseReturnValue:
    rows = tool_cases.list_tools(runtime(), api_actor(), request.args.get("status") or None)
    return answer(schemas.ToolList(tools=[tool_row(t) for t in rows]))


@api_bp.get("/tools/<int:tool_id>")
def api_show(tool_id: int) -> ResponseReturnValue:
    return answer(_view_body(tool_cases.get_tool(runtime(), api_actor(), tool_id)))


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
    return render_template(
        "tools/list.html",
        rows=rows,
        status=status,
        full=full,
        statuses={k: v for k, v in STATUS_LABELS.items() if full or k in tool_cases.PERMITTED},
        labels=tool_cases.tool_labels(runtime(), current_language()),
        restrictions={t.id: tool_cases.restrictions_in_force(t) for t in rows},
        in_force=tool_cases.PERMITTED,
        uses={t.id: json.loads(t.processes_json or "[]") for t in rows},
    )


@bp.route("/tools/<int:tool_id>")
@login_required
def show(tool_id: int) -> ResponseReturnValue:
    view = tool_cases.get_tool(runtime(), actor(), tool_id)
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


@bp.route("/tools/<int:tool_id>/memo-attachment")
@login_required
def memo_attachment(tool_id: int) -> ResponseReturnValue:
    name, content_type, content = tool_cases.memo_attachment(runtime(), actor(), tool_id)
    return attachment(content, content_type, name)


def _conclusion_response(me: Actor, tool_id: int) -> Response:
    name, pdf = tool_documents.conclusion_pdf(runtime(), me, tool_id)
    return attachment(pdf, "application/pdf", name)


@bp.route("/tools/<int:tool_id>/conclusion.pdf")
@login_required
def conclusion_pdf(tool_id: int) -> ResponseReturnValue:
    return _conclusion_response(actor(), tool_id)


@api_bp.get("/tools/<int:tool_id>/conclusion.pdf")
def api_conclusion_pdf(tool_id: int) -> ResponseReturnValue:
    return _conclusion_response(api_actor(), tool_id)


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
