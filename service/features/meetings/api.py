"""/api/v1/meetings: the register, calling a meeting, attendance, decisions, approval, addenda, minutes."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint
from flask.typing import ResponseReturnValue

from service.features.meetings import reads, schedule, schemas
from service.features.meetings import usecases as cases
from service.features.meetings.models import Meeting
from service.features.meetings.reads import MeetingView
from service.features.meetings.web import register_filter
from service.platform.clock import utcnow
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, int_arg, json_body
from service.platform.web.context import runtime
from service.platform.web.downloads import attachment

api_bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def row(m: Meeting) -> schemas.MeetingRow:
    return schemas.MeetingRow(
        id=m.id,
        kind=m.kind,  # type: ignore[arg-type]  # the column holds one of the kinds
        title=m.title,
        starts_at=m.starts_at,
        place=m.place,
        online_link=m.online_link,
        chair=m.chair,
        secretary=m.secretary,
        status=m.status,  # type: ignore[arg-type]
        number=m.number,
        number_year=m.number_year,
        plan_item=m.plan_item,
    )


def detail(v: MeetingView) -> schemas.MeetingDetail:
    m = v.meeting
    agenda = []
    for iv in v.items:
        link = None
        if iv.link is not None and iv.link.evidence.ref is not None:
            done, audience = iv.link.acknowledged or (None, None)
            link = schemas.MeetingLinkedDocument(
                kind=iv.link.evidence.kind,
                ref=iv.link.evidence.ref,
                label=iv.link.evidence.label,
                acknowledged=done,
                audience=audience,
            )
        agenda.append(
            schemas.MeetingAgendaItem(
                id=iv.item.id,
                position=iv.item.position,
                title=iv.item.title,
                presenter=iv.item.presenter,
                link=link,
                heard=iv.item.heard,
                discussion=iv.item.discussion,
            )
        )
    decisions = [
        schemas.MeetingDecision(
            id=d.id,
            item_id=d.item_id,
            text=d.text,
            vote=d.vote,  # type: ignore[arg-type]
            votes_for=d.votes_for,
            votes_against=d.votes_against,
            votes_abstain=d.votes_abstain,
            named_votes=v.named_votes.get(d.id, {}),
            quorum=d.quorum,
            adopted=d.adopted,
            followups=[
                schemas.MeetingFollowUp(
                    id=f.id,
                    assignee=f.assignee,
                    due_on=f.due_on,
                    text=f.text,
                    status=f.status,  # type: ignore[arg-type]
                    overdue=f.id in v.overdue,
                    done_at=f.done_at,
                )
                for f in v.followups.get(d.id, [])
            ],
        )
        for iv in v.items
        for d in iv.decisions
    ]
    return schemas.MeetingDetail(
        **row(m).model_dump(),
        invited_roles=v.roles,
        invitees=v.invitees,
        external_count=m.external_count,
        external_list=m.external_list,
        external_present=m.external_present,
        agenda=agenda,
        attendance=[
            schemas.MeetingPresence(
                username=a.username,
                name=v.names.get(a.username, a.username),
                present=a.present,
                reason=a.reason,
            )
            for a in v.attendance
        ],
        decisions=decisions,
        addenda=[
            schemas.MeetingAddendum(
                number=a.number, text=a.text, created_by=a.created_by, created_at=a.created_at
            )
            for a in v.addenda
        ],
        approved_at=m.approved_at,
        approved_by=m.approved_by,
        may_edit=v.may_edit,
    )


def _one(meeting_id: int, code: int = 200) -> ResponseReturnValue:
    rt = runtime()
    view = reads.get_meeting(rt, api_actor(), meeting_id, utcnow(), cases.today(rt))
    return answer(detail(view), code)


@api_bp.get("/meetings")
def api_list() -> ResponseReturnValue:
    flt = replace(register_filter(limit=int_arg("limit", 50, 1, 500) or 50), offset=int_arg("offset", 0) or 0)
    page = reads.list_meetings(runtime(), api_actor(), flt)
    return answer(
        schemas.MeetingRegister(
            total=page.total, whole_register=page.everything, meetings=[row(m) for m in page.rows]
        )
    )


@api_bp.post("/meetings")
def api_create() -> ResponseReturnValue:
    return _one(cases.create_meeting(runtime(), api_actor(), json_body()), 201)


@api_bp.get("/meetings/<int:meeting_id>")
def api_show(meeting_id: int) -> ResponseReturnValue:
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/agenda")
def api_agenda(meeting_id: int) -> ResponseReturnValue:
    cases.change_agenda(runtime(), api_actor(), meeting_id, json_body())
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/reschedule")
def api_reschedule(meeting_id: int) -> ResponseReturnValue:
    schedule.reschedule(runtime(), api_actor(), meeting_id, json_body())
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/cancel")
def api_cancel(meeting_id: int) -> ResponseReturnValue:
    schedule.cancel(runtime(), api_actor(), meeting_id, json_body())
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/attendance")
def api_attendance(meeting_id: int) -> ResponseReturnValue:
    cases.record_attendance(runtime(), api_actor(), meeting_id, json_body())
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/decisions")
def api_decision(meeting_id: int) -> ResponseReturnValue:
    cases.record_decision(runtime(), api_actor(), meeting_id, json_body())
    return _one(meeting_id, 201)


@api_bp.delete("/meetings/<int:meeting_id>/decisions/<int:decision_id>")
def api_remove_decision(meeting_id: int, decision_id: int) -> ResponseReturnValue:
    cases.remove_decision(runtime(), api_actor(), meeting_id, decision_id)
    return _one(meeting_id)


@api_bp.post("/meetings/<int:meeting_id>/approve")
def api_approve(meeting_id: int) -> ResponseReturnValue:
    rt = runtime()
    number = cases.approve(rt, api_actor(), meeting_id)
    view = reads.get_meeting(rt, api_actor(), meeting_id, utcnow(), cases.today(rt))
    return answer(
        schemas.MeetingApproved(id=meeting_id, number=number, number_year=view.meeting.number_year or 0)
    )


@api_bp.post("/meetings/<int:meeting_id>/addenda")
def api_addendum(meeting_id: int) -> ResponseReturnValue:
    number = cases.add_addendum(runtime(), api_actor(), meeting_id, json_body())
    return answer(schemas.MeetingAddendumCreated(meeting_id=meeting_id, number=number), 201)


def _minutes(meeting_id: int, fmt: str) -> ResponseReturnValue:
    produced = reads.minutes_file(runtime(), api_actor(), meeting_id, fmt)
    return attachment(produced.content, produced.mimetype, produced.filename)


@api_bp.get("/meetings/<int:meeting_id>/minutes.pdf")
def api_minutes_pdf(meeting_id: int) -> ResponseReturnValue:
    return _minutes(meeting_id, "pdf")


@api_bp.get("/meetings/<int:meeting_id>/minutes.docx")
def api_minutes_docx(meeting_id: int) -> ResponseReturnValue:
    return _minutes(meeting_id, "docx")
