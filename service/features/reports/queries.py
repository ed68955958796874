"""Aggregate queries for the annual report: counts per school year, never a workflow or an incident's text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.acts.models import ActAmendment, ActEdition, LocalAct
from service.features.incidents.models import Incident
from service.features.orders.models import Order
from service.features.reports.models import AnnualReport
from service.features.reports.rules import (
    AckRate,
    AmendmentFigures,
    IncidentFigures,
    OrderFigures,
    OrderLine,
    SchoolYear,
    ToolFigures,
    median_days,
)
from service.features.tools.models import Tool
from service.platform.persistence.models import AuditEvent, Campaign, CampaignTask, HumanTask

# BPMN ids of the staff acknowledgement steps: of an order (order_drafting) and of a new act edition.
ORDER_ACKNOWLEDGEMENT = "Task_acknowledge"
EDITION_ACKNOWLEDGEMENT = "Task_acknowledge_edition"
TOOL_OUTCOMES = ("permitted", "permitted_with_restrictions", "rejected")


def orders(session: Session, year: SchoolYear) -> OrderFigures:
    """Orders registered in the year (by their registration date, a local date)."""
    in_year = (
        Order.status == "registered",
        Order.registered_on >= year.first_day,
        Order.registered_on <= year.last_day,
    )
    by_type = dict(
        session.execute(
            select(Order.order_type, func.count()).where(*in_year).group_by(Order.order_type)
        ).all()
    )
    rows = session.execute(
        select(Order.number, Order.registered_on, Order.title, Order.order_type)
        .where(*in_year)
        .order_by(Order.registered_on, Order.id)
    ).all()
    lines = [
        OrderLine(number or "", on.isoformat() if on else "", title, kind) for number, on, title, kind in rows
    ]
    return OrderFigures({str(k): int(v) for k, v in by_type.items()}, lines)


def tools(session: Session, year: SchoolYear, tz: tzinfo) -> ToolFigures:
    """Outcomes registered in the year (one per `tool.register` event: a review counts again) and the
    register's current counts by status."""
    begin, end = year.bounds(tz)
    evaluated = dict.fromkeys(TOOL_OUTCOMES, 0)
    details = session.execute(
        select(AuditEvent.detail_json).where(
            AuditEvent.action == "tool.register", AuditEvent.at >= begin, AuditEvent.at < end
        )
    ).scalars()
    for detail in details:
        status = str(json.loads(detail or "{}").get("status", ""))
        if status in evaluated:
            evaluated[status] += 1
    register = session.execute(select(Tool.status, func.count()).group_by(Tool.status)).all()
    return ToolFigures(evaluated, {str(k): int(v) for k, v in register})


def _counts(session: Session, column: object, *where: object) -> dict[str, int]:
    rows = session.execute(
        select(column, func.count()).where(*where).group_by(column)  # type: ignore[call-overload]
    ).all()
    return {str(key) if key is not None else "": int(n) for key, n in rows}


def incidents(session: Session, year: SchoolYear, tz: tzinfo) -> IncidentFigures:
    """Incidents reported in the year, by type, outcome and decision; how long deciding took."""
    begin, end = year.bounds(tz)
    in_year = (Incident.reported_at >= begin, Incident.reported_at < end)
    by_outcome = _counts(session, Incident.outcome, *in_year, Incident.outcome.is_not(None))
    by_decision = _counts(session, Incident.decision, *in_year, Incident.decision.is_not(None))
    by_type = _counts(session, Incident.incident_type, *in_year)
    # A minor incident is decided at triage (closed then); an escalated one when the chair records it.
    decided = func.coalesce(Incident.decided_at, Incident.closed_at)
    spans = [
        (reported, _aware(done))
        for reported, done in session.execute(
            select(Incident.reported_at, decided).where(*in_year, decided.is_not(None))
        ).all()
    ]
    open_count = session.execute(
        select(func.count()).where(*in_year, Incident.status != "closed")
    ).scalar_one()
    return IncidentFigures(
        total=sum(by_type.values()),
        by_type=by_type,
        by_outcome=by_outcome,
        by_decision=by_decision,
        median_days_to_decision=median_days(spans),
        open=int(open_count),
    )


def _aware(value: datetime | str) -> datetime:
    """coalesce() loses the column type, so SQLite hands back a naive UTC datetime (or a string)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def amendments(session: Session, year: SchoolYear, tz: tzinfo) -> AmendmentFigures:
    """Editions published by amendments in the year, per act; amendments started and dropped."""
    begin, end = year.bounds(tz)
    per_act = dict(
        session.execute(
            select(LocalAct.code, func.count())
            .join(ActEdition, ActEdition.act_id == LocalAct.id)
            .where(
                ActEdition.amendment_id.is_not(None),
                ActEdition.created_at >= begin,
                ActEdition.created_at < end,
            )
            .group_by(LocalAct.code)
        ).all()
    )
    started = _counts(
        session, ActAmendment.status, ActAmendment.created_at >= begin, ActAmendment.created_at < end
    )
    return AmendmentFigures(
        editions_published=sum(per_act.values()),
        acts={str(k): int(v) for k, v in per_act.items()},
        proposed=sum(started.values()),
        dropped=started.get("dropped", 0),
    )


def acknowledgements(
    session: Session, year: SchoolYear, tz: tzinfo, step: str, campaign_kind: str | None = None
) -> AckRate:
    """Acknowledgements asked in the year and how many were given: the tasks of `step` (instances on the
    old multi-instance diagrams; withdrawn ones not counted) plus the rows of `campaign_kind`'s campaigns."""
    begin, end = year.bounds(tz)
    counts = _counts(
        session,
        HumanTask.status,
        HumanTask.bpmn_id == step,
        HumanTask.created_at >= begin,
        HumanTask.created_at < end,
        HumanTask.status != "cancelled",
    )
    asked, done = sum(counts.values()), counts.get("completed", 0)
    if campaign_kind is not None:
        rows = _counts(
            session,
            CampaignTask.status,
            CampaignTask.campaign_id.in_(select(Campaign.id).where(Campaign.kind == campaign_kind)),
            CampaignTask.created_at >= begin,
            CampaignTask.created_at < end,
        )
        asked, done = asked + sum(rows.values()), done + rows.get("done", 0)
    return AckRate(asked, done)


def report_row(session: Session, year: int, *, lock: bool = False) -> AnnualReport | None:
    query = select(AnnualReport).where(AnnualReport.year == year)
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()
