"""GET/POST /api/v1/consultations: the journal, a request, scheduling, recording and cancelling."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from service.features.consultations import schemas
from service.features.consultations import usecases as cases
from service.features.consultations.models import Consultation
from service.features.consultations.web import journal_filter
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, int_arg, json_body
from service.platform.web.context import runtime

api_bp = Blueprint("consultations_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def consultation_body(c: Consultation, staff_name: str, tool_name: str | None) -> schemas.Consultation:
    return schemas.Consultation(
        id=c.id,
        staff_member=c.staff_member,
        staff_name=staff_name,
        topic=c.topic,
        duty=c.duty,
        status=c.status,  # type: ignore[arg-type]  # the column holds one of the four
        walk_in=c.walk_in,
        preferred_on=c.preferred_on,
        note=c.request_note,
        scheduled_on=c.scheduled_on,
        held_on=c.held_on,
        advice=c.advice,
        tool_id=c.tool_id,
        tool=tool_name,
        material=c.material,
        cancel_reason=c.cancel_reason,
        recorded_by=c.recorded_by,
        created_at=c.created_at,
    )


def _one(consultation_id: int, code: int = 200) -> ResponseReturnValue:
    view = cases.get_consultation(runtime(), api_actor(), consultation_id)
    return answer(consultation_body(view.consultation, view.staff_name, view.tool_name), code)


@api_bp.get("/consultations")
def api_list() -> ResponseReturnValue:
    limit = int_arg("limit", 50, 1, 500) or 50
    flt = journal_filter(limit=limit)
    flt = replace(flt, offset=int_arg("offset", 0) or 0)
    page = cases.list_consultations(runtime(), api_actor(), flt)
    rows = [
        consultation_body(c, page.names.get(c.staff_member, c.staff_member), page.tools.get(c.tool_id or 0))
        for c in page.rows
    ]
    return answer(schemas.ConsultationJournal(total=page.total, whole_journal=page.full, consultations=rows))


@api_bp.get("/consultations/<int:consultation_id>")
def api_show(consultation_id: int) -> ResponseReturnValue:
    return _one(consultation_id)


@api_bp.post("/consultations")
def api_request() -> ResponseReturnValue:
    """A staff member asks for a consultation for themself."""
    return _one(cases.request_consultation(runtime(), api_actor(), json_body()), 201)


def _material(body: dict[str, Any]) -> str | None:
    value = body.get("material")
    return str(value) if value else None


@api_bp.post("/consultations/record")
def api_record_walk_in() -> ResponseReturnValue:
    """A consultation nobody requested, recorded by the responsible person."""
    body = json_body()
    return _one(cases.record(runtime(), api_actor(), None, body, _material(body)), 201)


@api_bp.post("/consultations/<int:consultation_id>/record")
def api_record(consultation_id: int) -> ResponseReturnValue:
    body = json_body()
    cases.record(runtime(), api_actor(), consultation_id, body, _material(body))
    return _one(consultation_id)


@api_bp.post("/consultations/<int:consultation_id>/schedule")
def api_schedule(consultation_id: int) -> ResponseReturnValue:
    cases.schedule(runtime(), api_actor(), consultation_id, json_body())
    return _one(consultation_id)


@api_bp.post("/consultations/<int:consultation_id>/cancel")
def api_cancel(consultation_id: int) -> ResponseReturnValue:
    cases.cancel(runtime(), api_actor(), consultation_id, json_body())
    return _one(consultation_id)
