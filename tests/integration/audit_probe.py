"""What a document's audit anchor must read, recomputed from the rows themselves (not by anchor.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.audit.chain import root_of
from service.platform.persistence.models import AuditEvent


def printed_anchor(session: Session, last_id: int) -> str:
    """The line a document prints for the log made of the events with ids up to `last_id`."""
    tips: dict[str, str] = {}
    count = 0
    for stream, hash_ in session.execute(
        select(AuditEvent.stream, AuditEvent.hash).where(AuditEvent.id <= last_id).order_by(AuditEvent.id)
    ):
        tips[stream] = hash_
        count += 1
    return f"Аудит журналы: {count} оқиға, соңғы хэш {root_of(tips)}"
