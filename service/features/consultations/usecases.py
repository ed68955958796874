"""Use cases of the consultations journal (plan item 22): request, schedule, record, cancel, read.

A plain register, not a BPMN process: one step by one role (`responsible`) needs no routing, and the
request itself is the responsible person's to-do list (the journal filtered by status). Every change is
one transaction ending with its audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from service.features.consultations import access, rules
from service.features.consultations import queries as consultation_queries
from service.features.consultations.models import Consultation
from service.features.consultations.queries import ConsultationFilter
from service.features.tools import usecases as tools
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, ValidationFailed
from service.platform.files import storage
from service.platform.inbox import queries
from service.platform.notify.outbox import notify
from service.platform.runtime import Actor, Runtime


@dataclass
class JournalPage:
    rows: list[Consultation]
    total: int
    full: bool  # the whole journal (responsible, wg_chair, director) or one's own consultations
    names: dict[str, str] = field(default_factory=dict)  # username → full name
    tools: dict[int, str] = field(default_factory=dict)  # tool id → name


@dataclass
class ConsultationView:
    consultation: Consultation
    staff_name: str
    tool_name: str | None
    may_manage: bool  # the responsible person: schedule, record, cancel


def today(rt: Runtime) -> date:
    return datetime.now(rt.tz).date()


def _fold(row: Consultation, names: Mapping[str, str]) -> None:
    parts = [row.topic, row.duty, row.advice or "", row.staff_member, names.get(row.staff_member, "")]
    row.search_folded = " ".join(parts).casefold()
    row.updated_at = utcnow()


def _audit(session: Session, actor: Actor, action: str, row: Consultation) -> None:
    detail = {"consultation": row.id, "staff_member": row.staff_member, "status": row.status}
    audit.append(session, actor.username, f"consultation.{action}", detail=detail)


def request_consultation(rt: Runtime, actor: Actor, data: Mapping[str, Any]) -> int:
    """Any staff member asks for a consultation for themself."""
    parsed = rules.read_request(data, today(rt))
    with rt.db.session() as session:
        row = Consultation(
            staff_member=actor.username,
            topic=parsed.topic,
            duty=parsed.duty,
            preferred_on=parsed.preferred_on,
            request_note=parsed.note,
            status="requested",
        )
        _fold(row, {actor.username: actor.full_name})
        session.add(row)
        session.flush()
        _audit(session, actor, "requested", row)
        # The request is the responsible person's to-do: they hear of it at once, not at their next look.
        notify(
            session,
            [u for u in queries.users_with_role(session, access.KEEPER) if u.id != actor.id],
            "consultation_requested",
            {
                "subject": "consultation_requested",
                "consultation": row.id,
                "topic": row.topic,
                "staff": actor.full_name or actor.username,
                "path": f"/consultations/{row.id}",
            },
            mail_enabled=rt.smtp_host is not None,
        )
        return row.id


def _open_for_keeper(session: Session, actor: Actor, consultation_id: int) -> Consultation:
    row = access.readable(session, actor, consultation_id)
    access.require_keeper(actor)
    if row.status not in rules.OPEN_STATUSES:
        raise Conflict("the consultation is already held or cancelled")
    return row


def schedule(rt: Runtime, actor: Actor, consultation_id: int, data: Mapping[str, Any]) -> None:
    with rt.db.session() as session:
        row = _open_for_keeper(session, actor, consultation_id)
        day = rules.read_schedule(data, today(rt))
        row.scheduled_on, row.status = day, "scheduled"
        row.updated_at = utcnow()
        _audit(session, actor, "scheduled", row)
        teacher = queries.user_by_username(session, row.staff_member)
        if teacher is not None and teacher.id != actor.id:
            notify(
                session,
                [teacher],
                "consultation_scheduled",
                {
                    "subject": "consultation_scheduled",
                    "consultation": row.id,
                    "topic": row.topic,
                    "date": day.isoformat(),
                    "path": f"/consultations/{row.id}",
                },
                mail_enabled=rt.smtp_host is not None,
            )


def cancel(rt: Runtime, actor: Actor, consultation_id: int, data: Mapping[str, Any]) -> None:
    """The responsible person cancels with a reason; a staff member may withdraw their own request."""
    with rt.db.session() as session:
        row = access.readable(session, actor, consultation_id)
        if row.staff_member != actor.username:
            access.require_keeper(actor)
        if row.status not in rules.OPEN_STATUSES:
            raise Conflict("the consultation is already held or cancelled")
        row.cancel_reason, row.status = rules.read_reason(data), "cancelled"
        row.updated_at = utcnow()
        _audit(session, actor, "cancelled", row)


def record(
    rt: Runtime,
    actor: Actor,
    consultation_id: int | None,
    data: Mapping[str, Any],
    material: str | None = None,
) -> int:
    """Record a consultation as held: a request (by id) or a walk-in (`consultation_id` None)."""
    walk_in = consultation_id is None
    if walk_in:
        access.require_keeper(actor)
    with rt.db.session() as session:
        row = None if consultation_id is None else _open_for_keeper(session, actor, consultation_id)
        parsed = rules.read_record(
            data,
            today(rt),
            walk_in=walk_in,
            check=lambda parsed: _record_problems(session, actor, parsed, material, walk_in),
        )
        if row is None:
            row = Consultation(staff_member=parsed.staff_member, walk_in=True, duty="", request_note="")
            session.add(row)
        row.held_on, row.topic, row.advice = parsed.held_on, parsed.topic, parsed.advice
        row.duty = parsed.duty or row.duty
        row.tool_id, row.status, row.recorded_by = parsed.tool_id, "held", actor.username
        if material is not None:
            row.material = material
        _fold(row, consultation_queries.full_names(session, [row.staff_member]))
        session.flush()
        _audit(session, actor, "recorded", row)
        return row.id


def _record_problems(
    session: Session, actor: Actor, parsed: rules.RecordData, material: str | None, walk_in: bool
) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    if walk_in and parsed.staff_member and queries.user_by_username(session, parsed.staff_member) is None:
        errors["staff_member"] = FieldError("unknown_user")
    if parsed.tool_id is not None and parsed.tool_id not in {
        int(t["id"]) for t in tools.permitted_tools(session)
    }:
        errors["tool_id"] = FieldError("enum")
    # The uploader's own reference row: the bytes' first uploader may be someone else, here or in
    # another school, and must neither block this person nor be revealed by the answer.
    if material is not None and not storage.uploaded_by(session, material, actor.id):
        errors["material"] = FieldError("file")
    return errors


def check_filter(flt: ConsultationFilter) -> None:
    if flt.status and flt.status not in rules.STATUSES:
        raise ValidationFailed({"status": FieldError("enum")})


def list_consultations(rt: Runtime, actor: Actor, flt: ConsultationFilter) -> JournalPage:
    check_filter(flt)
    full = access.sees_all(actor)
    with rt.db.session() as session:
        rows, total = consultation_queries.list_consultations(
            session, flt, staff_member=None if full else actor.username
        )
        return JournalPage(
            rows,
            total,
            full,
            consultation_queries.full_names(session, [r.staff_member for r in rows]),
            consultation_queries.tool_names(session, [r.tool_id for r in rows]),
        )


def get_consultation(rt: Runtime, actor: Actor, consultation_id: int) -> ConsultationView:
    with rt.db.session() as session:
        row = access.readable(session, actor, consultation_id)
        names = consultation_queries.full_names(session, [row.staff_member])
        tool = consultation_queries.tool_names(session, [row.tool_id]).get(row.tool_id or 0)
        return ConsultationView(
            row, names.get(row.staff_member, row.staff_member), tool, actor.has(access.KEEPER)
        )


def keeper_choices(rt: Runtime, actor: Actor) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Staff to choose from for a walk-in, and the permitted tools to link: for the responsible person."""
    access.require_keeper(actor)
    with rt.db.session() as session:
        return consultation_queries.active_staff(session), tools.permitted_tools(session)
