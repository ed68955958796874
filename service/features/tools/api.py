"""GET /api/v1/tools and the region's adoption calls: the register of AI tools for scripts."""

from __future__ import annotations

import json

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from service.features.tools import adoption as region_cases
from service.features.tools import schemas
from service.features.tools import usecases as tool_cases
from service.features.tools.models import Tool
from service.features.tools.regional import RegionEntry
from service.features.tools.web import conclusion_response
from service.platform.errors import FieldError, NotFound, ValidationFailed
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
from service.platform.web.context import runtime

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
        source="school",
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


def region_row(entry: RegionEntry, detail: bool = False) -> schemas.Tool:
    """A tool the region permits, as the reader's school holds it (adopted or not, its own restrictions)."""
    adoption = entry.adoption
    return schemas.Tool(
        id=entry.id,
        name=entry.name,
        vendor=entry.vendor,
        status=entry.status,
        allowed_uses=entry.allowed_uses,
        restrictions=entry.restrictions,
        personal_data_allowed=entry.personal_data_allowed,
        review_date=entry.review_date,
        instance_id=0,
        source="region",
        source_school=entry.source_school[0] if entry.source_school else None,
        adoption=schemas.ToolAdoption(
            adopted_by=adoption.adopted_by,
            adopted_at=adoption.adopted_at,
            restrictions=adoption.restrictions,
            restricted_by=adoption.restricted_by,
            restricted_at=adoption.restricted_at,
        )
        if adoption is not None
        else None,
        school_restrictions=entry.school_restrictions,
        memo=entry.memo if detail else None,
    )


@api_bp.get("/tools")
def api_list() -> ResponseReturnValue:
    status = request.args.get("status") or None
    rows = tool_cases.list_tools(runtime(), api_actor(), status)
    region = region_cases.region_register(runtime(), api_actor(), status)
    return answer(schemas.ToolList(tools=[tool_row(t) for t in rows] + [region_row(e) for e in region]))


def _entry_body(tool_id: int) -> schemas.Tool:
    """The reader's own entry, else the region's of that id (404 when neither is readable)."""
    try:
        return _view_body(tool_cases.get_tool(runtime(), api_actor(), tool_id))
    except NotFound:
        return region_row(region_cases.get_region_tool(runtime(), api_actor(), tool_id), detail=True)


@api_bp.get("/tools/<int:tool_id>")
def api_show(tool_id: int) -> ResponseReturnValue:
    return answer(_entry_body(tool_id))


@api_bp.post("/tools/<int:tool_id>/adopt")
def api_adopt(tool_id: int) -> ResponseReturnValue:
    region_cases.adopt(runtime(), api_actor(), tool_id)
    return answer(_entry_body(tool_id))


@api_bp.post("/tools/<int:tool_id>/unadopt")
def api_unadopt(tool_id: int) -> ResponseReturnValue:
    region_cases.unadopt(runtime(), api_actor(), tool_id)
    return answer(_entry_body(tool_id))


@api_bp.post("/tools/<int:tool_id>/restrict")
def api_restrict(tool_id: int) -> ResponseReturnValue:
    text = json_body().get("restrictions", "")
    if not isinstance(text, str):
        raise ValidationFailed({"restrictions": FieldError("type")})
    region_cases.restrict(runtime(), api_actor(), tool_id, text)
    return answer(_entry_body(tool_id))


@api_bp.get("/tools/school-evaluations")
def api_school_evaluations() -> ResponseReturnValue:
    rows = region_cases.school_candidates(runtime(), api_actor())
    return answer(
        schemas.SchoolEvaluationList(
            evaluations=[
                schemas.SchoolEvaluation(
                    id=c.id,
                    school=c.school[0],
                    name=c.name,
                    vendor=c.vendor,
                    status=c.status,
                    in_region_register=c.adopted,
                )
                for c in rows
            ]
        )
    )


@api_bp.post("/tools/<int:tool_id>/adopt-for-region")
def api_adopt_for_region(tool_id: int) -> ResponseReturnValue:
    region_cases.adopt_for_region(runtime(), api_actor(), tool_id)
    return api_school_evaluations()


@api_bp.post("/tools/<int:tool_id>/remove-from-region")
def api_remove_from_region(tool_id: int) -> ResponseReturnValue:
    region_cases.remove_from_region(runtime(), api_actor(), tool_id)
    return api_school_evaluations()


@api_bp.get("/tools/<int:tool_id>/conclusion.pdf")
def api_conclusion_pdf(tool_id: int) -> ResponseReturnValue:
    return conclusion_response(api_actor(), tool_id)
