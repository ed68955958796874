"""Queries of the consultations journal: the filtered list and the people and tools it names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from service.features.consultations.models import Consultation
from service.features.tools import usecases as tools
from service.platform.persistence.models import User


@dataclass(frozen=True)
class ConsultationFilter:
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    search: str | None = None
    limit: int = 50
    offset: int = 0


def _day() -> ColumnElement[date]:
    # The journal's date: the day it was held, else the day it is planned, else the wished day.
    return func.coalesce(Consultation.held_on, Consultation.scheduled_on, Consultation.preferred_on)


def list_consultations(
    session: Session, flt: ConsultationFilter, *, staff_member: str | None
) -> tuple[list[Consultation], int]:
    """`staff_member` set: only that person's own consultations (the journal's readers see all)."""
    query: Select[Any] = select(Consultation)
    if staff_member is not None:
        query = query.where(Consultation.staff_member == staff_member)
    if flt.date_from is not None:
        query = query.where(_day() >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(_day() <= flt.date_to)
    if flt.status:
        query = query.where(Consultation.status == flt.status)
    if flt.search:
        for word in flt.search.casefold().split():
            query = query.where(Consultation.search_folded.contains(word, autoescape=True))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(_day().desc().nulls_last(), Consultation.id.desc()).limit(flt.limit).offset(flt.offset)
    ).scalars()
    return list(rows), int(total)


def full_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = set(usernames)
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.full_name).where(User.username.in_(wanted))).all()
    return {r.username: r.full_name or r.username for r in rows}


def tool_names(session: Session, tool_ids: Iterable[int | None]) -> dict[int, str]:
    """The linked tools' names: the school's own entries and the region's (the tools feature reads both)."""
    return tools.tool_names(session, tool_ids)


def active_staff(session: Session) -> list[tuple[str, str]]:
    """(username, full name) of every active account, for choosing whom a walk-in consultation was for."""
    rows = session.execute(
        select(User.username, User.full_name).where(User.is_active.is_(True)).order_by(User.full_name)
    ).all()
    return [(r.username, r.full_name or r.username) for r in rows]
