"""A person's notifications: reading the list, counting unread ones, marking them read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.platform.notify import outbox as notify
from service.platform.runtime import Actor, Runtime


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    params: dict[str, Any]
    instance_id: int | None
    task_id: int | None
    created_at: datetime
    unread: bool


def my_notifications(rt: Runtime, actor: Actor, limit: int = 50) -> list[NotificationView]:
    if actor.id is None:
        return []
    with rt.db.session() as session:
        return [
            NotificationView(
                n.id,
                n.kind,
                json.loads(n.body or "{}"),
                n.instance_id,
                n.task_id,
                n.created_at,
                n.read_at is None,
            )
            for n in notify.recent(session, actor.id, limit)
        ]


def unread_count(rt: Runtime, actor: Actor, cap: int | None = None) -> int:
    """Exact, or up to `cap` for a badge: a person who never reads them may have thousands."""
    if actor.id is None:
        return 0
    with rt.db.session() as session:
        return notify.unread_count(session, actor.id, cap)


def mark_all_read(rt: Runtime, actor: Actor) -> None:
    if actor.id is None:
        return
    with rt.db.session() as session:
        notify.mark_all_read(session, actor.id)
