"""The daily digest: one message a day to each person with waiting or overdue work, sent by the worker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.platform.clock import utcnow
from service.platform.inbox.queries import claimable_clause
from service.platform.notify.outbox import notify
from service.platform.persistence.models import HumanTask, NotificationDigest, ProcessInstance, User, UserRole
from service.platform.runtime import Runtime

DEFAULT_TIME = "08:00"
LISTED = 20  # the message lists this many tasks (overdue first, then the oldest); counts cover all


def digest_time(value: object) -> time:
    """`DIGEST_TIME` as HH:MM in the school's zone; a bad value stops the start, not the worker."""
    text = str(value or DEFAULT_TIME).strip()
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"DIGEST_TIME must be HH:MM, not {text!r}") from None


@dataclass(frozen=True)
class Work:
    mine: int  # open tasks assigned to the person
    waiting: int  # open tasks their roles may claim
    overdue: int  # of both, those past their due time
    tasks: list[dict[str, Any]]  # the listed ones, as stored in the notification


def work_of(session: Session, user_id: int, roles: list[str], now: datetime) -> Work:
    """What waits for one person: assigned to them or claimable by one of their roles."""
    rows = session.execute(
        select(HumanTask, ProcessInstance.title, ProcessInstance.process_id)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(
            HumanTask.status == "open",
            (HumanTask.assignee_id == user_id) | claimable_clause(roles),
        )
        .order_by(HumanTask.created_at, HumanTask.id)
    ).all()

    def late(task: HumanTask) -> bool:
        return task.due_at is not None and task.due_at < now

    overdue = [t for t, *_ in rows if late(t)]
    listed = sorted(rows, key=lambda r: (not late(r[0]), r[0].created_at))
    return Work(
        mine=sum(1 for t, *_ in rows if t.assignee_id == user_id),
        waiting=sum(1 for t, *_ in rows if t.assignee_id is None),
        overdue=len(overdue),
        tasks=[
            {
                "id": t.id,
                "task": t.name,
                "titles": json.loads(t.title_i18n or "{}"),
                "instance": title,
                "process": process_id,  # the title reads in the reader's language when it is the process's
                "mine": t.assignee_id == user_id,
                "due": t.due_at.isoformat() if t.due_at else None,
                "overdue": late(t),
                "since": t.created_at.isoformat(),
            }
            for t, title, process_id in listed[:LISTED]
        ],
    )


def _claim_day(rt: Runtime, session: Session, user_id: int, day: date) -> bool:
    """Insert the person's row for the day unless another worker did: only the inserter goes on.

    On PostgreSQL a second worker's insert waits for the first one's commit and then does nothing;
    on SQLite the transactions are serialized (BEGIN IMMEDIATE), so it sees the row and does nothing.
    """
    values = {"user_id": user_id, "day": day, "tasks": 0, "created_at": utcnow()}
    dialect = postgresql if rt.db.is_postgres else sqlite
    statement = (
        dialect.insert(NotificationDigest)
        .values(**values)
        .on_conflict_do_nothing()
        # A returned row, not rowcount: the ORM's insert path does not report rowcount reliably.
        .returning(NotificationDigest.user_id)
    )
    return session.execute(statement).first() is not None


def send_daily_digests(rt: Runtime, now: datetime | None = None) -> int:
    """Write today's digest for everyone not yet considered today, once the digest time has come.

    Returns how many digests were written. Safe with any number of workers: each person's day is
    claimed by one insert in the same transaction as the message.
    """
    now = now or utcnow()
    local = now.astimezone(rt.tz)
    if local.time() < digest_time(rt.settings.get("DIGEST_TIME")):
        return 0
    day = local.date()
    with rt.db.read() as session:
        done = exists().where(NotificationDigest.user_id == User.id, NotificationDigest.day == day)
        query = select(User.id).where(User.is_active.is_(True), ~done).order_by(User.id)
        people = list(session.execute(query).scalars())
    written = 0
    for user_id in people:
        # One transaction per person: a failure for one does not hold back the others' digests.
        with rt.db.session() as session:
            if not _claim_day(rt, session, user_id, day):
                continue
            roles = list(session.execute(select(UserRole.role).where(UserRole.user_id == user_id)).scalars())
            work = work_of(session, user_id, roles, now)
            if not work.mine and not work.waiting:
                continue  # the row stays: nothing to say today, and nobody asks again before tomorrow
            session.execute(
                update(NotificationDigest)
                .where(NotificationDigest.user_id == user_id, NotificationDigest.day == day)
                .values(tasks=work.mine + work.waiting)
            )
            user = session.get(User, user_id)
            assert user is not None
            notify(
                session,
                [user],
                "digest",
                {
                    "subject": "digest",
                    "day": day.isoformat(),
                    "mine": work.mine,
                    "waiting": work.waiting,
                    "overdue": work.overdue,
                    "tasks": work.tasks,
                },
                mail_enabled=rt.smtp_host is not None,
            )
            written += 1
    return written
