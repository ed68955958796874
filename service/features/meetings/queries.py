"""Queries of the meetings register: the filtered list, a meeting's parts, follow-ups and yearly counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from service.features.meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    FollowUp,
    Meeting,
    MeetingInvitee,
)
from service.platform.persistence.models import User


@dataclass(frozen=True)
class MeetingFilter:
    kind: str | None = None
    year: int | None = None
    search: str | None = None
    since: datetime | None = None  # starts at or after (UTC)
    until: datetime | None = None  # starts before (UTC)
    limit: int = 50
    offset: int = 0


def _visible(query: Select[Any], reader: str | None) -> Select[Any]:
    """`reader` set: only meetings they chair, keep minutes of, called or are invited to."""
    if reader is None:
        return query
    invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.username == reader)
    return query.where(
        or_(
            Meeting.chair == reader,
            Meeting.secretary == reader,
            Meeting.created_by == reader,
            Meeting.id.in_(invited),
        )
    )


def list_meetings(session: Session, flt: MeetingFilter, *, reader: str | None) -> tuple[list[Meeting], int]:
    query: Select[Any] = _visible(select(Meeting), reader)
    if flt.kind:
        query = query.where(Meeting.kind == flt.kind)
    if flt.since is not None:
        query = query.where(Meeting.starts_at >= flt.since)
    if flt.until is not None:
        query = query.where(Meeting.starts_at < flt.until)
    if flt.search:
        for word in flt.search.casefold().split():
            query = query.where(Meeting.search_folded.contains(word, autoescape=True))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(flt.limit).offset(flt.offset)
    ).scalars()
    return list(rows), int(total)


def full_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.full_name).where(User.username.in_(wanted))).all()
    return {r.username: r.full_name or r.username for r in rows}


def active_users(session: Session, usernames: Iterable[str]) -> dict[str, User]:
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    rows = session.execute(select(User).where(User.username.in_(wanted), User.is_active.is_(True))).scalars()
    return {u.username: u for u in rows}


def people(session: Session) -> list[tuple[str, str]]:
    """(username, full name) of every active account, to choose chair, secretary and invitees from."""
    rows = session.execute(
        select(User.username, User.full_name).where(User.is_active.is_(True)).order_by(User.full_name)
    ).all()
    return [(r.username, r.full_name or r.username) for r in rows]


def invitees(session: Session, meeting_id: int) -> list[str]:
    return list(
        session.execute(
            select(MeetingInvitee.username)
            .where(MeetingInvitee.meeting_id == meeting_id)
            .order_by(MeetingInvitee.id)
        ).scalars()
    )


def agenda(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.execute(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
        ).scalars()
    )


def attendance(session: Session, meeting_id: int) -> list[Attendance]:
    return list(
        session.execute(
            select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.id)
        ).scalars()
    )


def decisions(session: Session, meeting_id: int) -> list[Decision]:
    return list(
        session.execute(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .order_by(Decision.item_id, Decision.position)
        ).scalars()
    )


def followups(session: Session, meeting_id: int) -> list[FollowUp]:
    return list(
        session.execute(
            select(FollowUp).where(FollowUp.meeting_id == meeting_id).order_by(FollowUp.id)
        ).scalars()
    )


def addenda(session: Session, meeting_id: int) -> list[Addendum]:
    return list(
        session.execute(
            select(Addendum).where(Addendum.meeting_id == meeting_id).order_by(Addendum.number)
        ).scalars()
    )


def followups_of(session: Session, assignee: str | None, limit: int = 500) -> list[tuple[FollowUp, Meeting]]:
    """Follow-ups (of one person, or all), open ones first by due date."""
    query = select(FollowUp, Meeting).join(Meeting, Meeting.id == FollowUp.meeting_id)
    if assignee is not None:
        query = query.where(FollowUp.assignee == assignee)
    query = query.order_by((FollowUp.status != "open"), FollowUp.due_on, FollowUp.id).limit(limit)
    return [(f, m) for f, m in session.execute(query).all()]


def followup_by_campaign(session: Session, campaign_id: int) -> FollowUp | None:
    return session.execute(select(FollowUp).where(FollowUp.campaign_id == campaign_id)).scalar_one_or_none()


def counts_by_kind(session: Session, since: datetime, until: datetime) -> dict[str, int]:
    """Meetings held with approved minutes in a period, by kind."""
    rows = session.execute(
        select(Meeting.kind, func.count())
        .where(Meeting.status == "approved", Meeting.starts_at >= since, Meeting.starts_at < until)
        .group_by(Meeting.kind)
    ).all()
    return {str(k): int(n) for k, n in rows}


def followup_rows(session: Session, since: date, until: date) -> list[FollowUp]:
    """Follow-ups due in a period (not cancelled), for counting those done on time."""
    return list(
        session.execute(
            select(FollowUp).where(
                FollowUp.due_on >= since, FollowUp.due_on < until, FollowUp.status != "cancelled"
            )
        ).scalars()
    )
