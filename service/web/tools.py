"""The register of AI tools: the page for people and GET /api/v1/tools for scripts."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.web.api import _authenticate, _me
from service.web.context import actor, runtime
from service.workflows import tools as tool_cases

bp = Blueprint("tools", __name__)
api_bp = Blueprint("tools_api", __name__, url_prefix="/api/v1")
api_bp.before_request(_authenticate)  # the same Bearer-token check as the rest of /api/v1


def _view_body(view: tool_cases.ToolView) -> dict[str, object]:
    tool = view.tool
    body: dict[str, object] = {
        **tool_cases.tool_row(tool),
        "memo": tool.memo,
        "memo_attachment": tool.memo_attachment,
    }
    if view.votes is not None:
        body.update(
            {
                "url": tool.url,
                "purpose": tool.purpose,
                "data_processed": tool.data_processed,
                "personal_data": tool.personal_data,
                "age_limit": tool.age_limit,
                "cost": tool.cost,
                "outcome": tool.outcome,
                "rule": tool.rule,
                "conclusion": tool.conclusion,
                "assessment": view.assessment,
                "votes": [
                    {
                        "round": v.vote_round,
                        "member": v.member,
                        "decision": v.decision,
                        "security": v.security,
                        "data_protection": v.data_protection,
                        "functionality": v.functionality,
                        "limitations": v.limitations,
                        "restrictions": v.restrictions,
                        "comment": v.comment,
                        "signature_method": v.signature_method,
                        "signed_at": v.signed_at.isoformat(),
                    }
                    for v in view.votes
                ],
            }
        )
    return body


@api_bp.get("/tools")
def api_list() -> ResponseReturnValue:
    rows = tool_cases.list_tools(runtime(), _me(), request.args.get("status") or None)
    return jsonify({"tools": [tool_cases.tool_row(t) for t in rows]})


@api_bp.get("/tools/<int:tool_id>")
def api_show(tool_id: int) -> ResponseReturnValue:
    return jsonify(_view_body(tool_cases.get_tool(runtime(), _me(), tool_id)))


@bp.route("/tools")
@login_required
def index() -> ResponseReturnValue:
    status = request.args.get("status") or None
    rows = tool_cases.list_tools(runtime(), actor(), status)
    return render_template(
        "tools/list.html",
        rows=rows,
        status=status,
        full=tool_cases.sees_evaluations(actor()),
        restrictions={t.id: tool_cases.restrictions_of(t) for t in rows},
    )


@bp.route("/tools/<int:tool_id>")
@login_required
def show(tool_id: int) -> ResponseReturnValue:
    view = tool_cases.get_tool(runtime(), actor(), tool_id)
    return render_template("tools/show.html", v=view, restrictions=tool_cases.restrictions_of(view.tool))
