"""/api/v1/plan: the yearly plan with every item's status, marking an item done and undoing a mark."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from service.features.plan import schemas
from service.features.plan import usecases as plan_cases
from service.features.plan.models import PlanMark
from service.features.plan.usecases import ItemView
from service.features.plan.web import year_arg
from service.platform.registry import Evidence
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, data_of, json_body
from service.platform.web.context import runtime

api_bp = Blueprint("plan_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def _evidence(evidence: Evidence | None) -> schemas.PlanEvidence | None:
    # An incident the reader may not see keeps its kind only: `ref` is null.
    return schemas.PlanEvidence(kind=evidence.kind, ref=evidence.ref) if evidence else None


def item_row(v: ItemView) -> schemas.PlanItem:
    i = v.item
    mark = None
    if i.done_at is not None:
        mark = schemas.PlanItemMark(
            at=i.done_at,
            by=i.done_by.username if i.done_by else None,
            by_name=i.done_by.full_name if i.done_by else None,
            comment=i.done_comment,
            evidence=_evidence(v.evidence),
        )
    return schemas.PlanItem(
        number=i.number,
        stage=i.stage,
        activity=i.activity,
        responsible=i.responsible,
        roles=i.role_codes,
        participants=i.participants,
        deadline=i.deadline,
        deadline_kind=i.deadline_kind,
        due_on=i.due_on,
        result=i.result,
        status=v.status,
        may_mark=v.may_mark,
        mark=mark,
    )


def _history_row(mark: PlanMark, evidence: Evidence | None) -> schemas.PlanHistoryEntry:
    return schemas.PlanHistoryEntry(
        action=mark.action,  # type: ignore[arg-type]  # mark | unmark
        at=mark.at,
        by=mark.user.username if mark.user else None,
        comment=mark.comment,
        evidence=_evidence(evidence),
    )


@api_bp.get("/plan")
def api_plan() -> ResponseReturnValue:
    view = plan_cases.get_plan(runtime(), api_actor(), year_arg())
    return answer(
        schemas.Plan(
            school_year=view.plan.school_year,
            title=view.plan.title,
            approval=view.plan.approval,
            today=view.today,
            done=view.done,
            total=view.total,
            stages=[
                schemas.PlanStage(number=s.number, title=s.title, done=s.done, total=s.total)
                for s in view.stages
            ],
            items=[item_row(v) for v in view.items],
        )
    )


def _item(number: int) -> ResponseReturnValue:
    detail = plan_cases.get_item(runtime(), api_actor(), number, year_arg())
    item = item_row(detail.view)
    item.history = [_history_row(m, e) for m, e in detail.history]
    return answer(item)


@api_bp.get("/plan/items/<int:number>")
def api_item(number: int) -> ResponseReturnValue:
    return _item(number)


@api_bp.post("/plan/items/<int:number>/mark")
def api_mark(number: int) -> ResponseReturnValue:
    data = data_of(json_body())
    plan_cases.mark_item(
        runtime(),
        api_actor(),
        number,
        comment=str(data.get("comment") or ""),
        evidence_kind=str(data.get("evidence_kind") or ""),
        evidence_ref=str(data.get("evidence_ref") or ""),
        year=year_arg(),
    )
    return _item(number)


@api_bp.post("/plan/items/<int:number>/unmark")
def api_unmark(number: int) -> ResponseReturnValue:
    data = data_of(json_body())
    plan_cases.unmark_item(
        runtime(), api_actor(), number, reason=str(data.get("reason") or ""), year=year_arg()
    )
    return _item(number)
