"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.audit.chain import GENESIS_HASH, ChainLink, detail_of, link_hash
from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, AuditHead


def append(
    session: Session,
    actor: str,
    action: str,
    *,
    instance_id: int | None = None,
    task_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction.

    The head row is locked (FOR UPDATE; SQLite already holds the write lock) so that two
    transactions can never chain onto the same predecessor. Callers append last, after their
    other locks, so lock order is always instance → counters → audit head.
    """
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    at = utcnow()
    detail_json = detail_of(detail or {})
    new_hash = link_hash(head.last_hash, at, actor, action, instance_id, task_id, detail_json)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        instance_id=instance_id,
        task_id=task_id,
        detail_json=detail_json,
        prev_hash=head.last_hash,
        hash=new_hash,
    )
    session.add(event)
    head.last_hash = new_hash
    session.flush()
    return event


def iter_links(session: Session, batch: int = 1000) -> Iterator[ChainLink]:
    """Every row in id order, streamed in batches so a long log does not fill memory."""
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield ChainLink(
                row.id,
                row.at,
                row.actor,
                row.action,
                row.instance_id,
                row.task_id,
                row.detail_json,
                row.prev_hash,
                row.hash,
            )
        last_id = rows[-1].id


def instance_events(session: Session, instance_id: int) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
        ).scalars()
    )
