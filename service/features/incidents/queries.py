"""Queries of the incident journal (list with filters, one incident, its votes and follow-ups)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, func, or_, select, true
from sqlalchemy.orm import Session

from service.features.incidents.models import Incident, IncidentFollowUp
from service.platform.persistence.models import HumanTask, User


@dataclass(frozen=True)
class IncidentFilter:
    year: int | None = None
    incident_type: str | None = None
    status: str | None = None
    severity: str | None = None
    # A journal number ("2026/3", or just 3) or words of the tool's name: what every reader of a row sees.
    search: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class CastVote:
    member: str
    name: str
    decision: str
    comment: str
    at: datetime | None


def list_incidents(
    session: Session, flt: IncidentFilter, *, reporter: str | None
) -> tuple[list[Incident], int]:
    """`reporter` set: only that person's own reports (everyone else sees all)."""
    query: Select[Any] = select(Incident)
    if reporter is not None:
        query = query.where(Incident.reporter == reporter)
    if flt.year is not None:
        query = query.where(extract("year", Incident.reported_at) == flt.year)
    if flt.incident_type:
        query = query.where(Incident.incident_type == flt.incident_type)
    if flt.status:
        query = query.where(Incident.status == flt.status)
    if flt.severity:
        query = query.where(Incident.severity == flt.severity)
    if flt.search:
        query = query.where(_matches(flt.search))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(Incident.reported_at.desc(), Incident.id.desc()).limit(flt.limit).offset(flt.offset)
    ).scalars()
    return list(rows), int(total)


_JOURNAL_NUMBER = re.compile(r"^(?:№\s*)?(?:(\d{4})\s*/\s*)?(\d{1,6})$")


def _matches(search: str) -> ColumnElement[bool]:
    """A journal number, else every word in the tool's name (case-insensitive for Latin letters on
    SQLite, whose lower() folds only ASCII; for every letter on PostgreSQL)."""
    number = _JOURNAL_NUMBER.match(search.strip())
    if number:
        year, value = number.groups()
        exact = Incident.number == int(value)
        return and_(exact, Incident.year == int(year)) if year else exact
    words = [
        or_(
            Incident.tool.contains(word, autoescape=True),
            func.lower(Incident.tool).contains(word.lower(), autoescape=True),
        )
        for word in search.split()
    ]
    return and_(true(), *words)


def votes_of(session: Session, incident: Incident) -> list[CastVote]:
    """The completed votes of the incident's latest council round, in the order they were cast."""
    query = select(HumanTask).where(
        HumanTask.instance_id == incident.instance_id,
        HumanTask.bpmn_id == "Task_vote",
        HumanTask.status == "completed",
    )
    if incident.vote_opened_at is not None:
        query = query.where(HumanTask.created_at >= incident.vote_opened_at)
    votes = []
    for task in session.execute(query.order_by(HumanTask.completed_at, HumanTask.id)).scalars():
        data = json.loads(task.data_json or "{}")
        who = task.completed_by
        votes.append(
            CastVote(
                member=who.username if who else "",
                name=who.full_name if who else "",
                decision=str(data.get("decision") or ""),
                comment=str(data.get("comment") or ""),
                at=task.completed_at,
            )
        )
    return votes


def follow_ups_of(session: Session, incident: Incident) -> list[tuple[IncidentFollowUp, bool]]:
    """Each follow-up with whether its owner has completed their follow-up task."""
    done_by = set(
        session.execute(
            select(HumanTask.completed_by_id).where(
                HumanTask.instance_id == incident.instance_id,
                HumanTask.bpmn_id == "Task_follow_up",
                HumanTask.status == "completed",
            )
        ).scalars()
    )
    names = (
        dict(session.execute(select(User.username, User.id).where(User.id.in_(done_by))).all())
        if done_by
        else {}
    )
    rows = session.execute(
        select(IncidentFollowUp)
        .where(IncidentFollowUp.incident_id == incident.id)
        .order_by(IncidentFollowUp.id)
    ).scalars()
    return [(row, row.status == "done" or row.assignee in names) for row in rows]


def decided_by(session: Session, incident: Incident) -> User | None:
    """Who recorded the council's decision: the person who completed the chair's step."""
    task = (
        session.execute(
            select(HumanTask)
            .where(
                HumanTask.instance_id == incident.instance_id,
                HumanTask.bpmn_id == "Task_chair_decision",
                HumanTask.status == "completed",
            )
            .order_by(HumanTask.completed_at.desc())
        )
        .scalars()
        .first()
    )
    return task.completed_by if task is not None else None
