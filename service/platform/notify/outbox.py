"""In-app notifications, written in the same transaction as the change that causes them (an outbox)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.persistence.models import Notification, User


def notify(
    session: Session,
    users: Iterable[User],
    kind: str,
    params: dict[str, Any],
    *,
    instance_id: int | None = None,
    task_id: int | None = None,
    mail_enabled: bool = False,
) -> int:
    """Queue one notification per user; `kind` and `params` are rendered in each reader's language."""
    count = 0
    for user in users:
        session.add(
            Notification(
                user_id=user.id,
                kind=kind,
                subject=str(params.get("subject", kind)),
                body=json.dumps(params, ensure_ascii=False, default=str),
                instance_id=instance_id,
                task_id=task_id,
                email_state="pending" if (mail_enabled and user.email) else "none",
            )
        )
        count += 1
    return count


def recent(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        session.execute(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def unread_count(session: Session, user_id: int, cap: int | None = None) -> int:
    """My unread notifications; with `cap`, counting stops there (a badge shows "99+")."""
    from sqlalchemy import func

    unread = select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if cap is not None:
        unread = unread.limit(cap)
    return int(session.execute(select(func.count()).select_from(unread.subquery())).scalar_one())


def mark_all_read(session: Session, user_id: int) -> None:
    from sqlalchemy import update

    from service.platform.clock import utcnow

    session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
