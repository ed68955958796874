"""The audit chain's state printed on a finalized document, so the chain is anchored on paper too.

A finalized annual report or a set of council minutes carries the chain's length and head hash at the
moment it was decided. Whoever rewrites the chain afterwards (even all of it, recomputing every hash)
cannot make the printed pair match again; `audit verify` and the daily checkpoints catch the rest.
Both are read back from the chain itself, so every later download of a document is byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.platform.audit.chain import GENESIS_HASH
from service.platform.persistence.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class Anchor:
    """The number of events in the chain and the hash of the newest of them."""

    events: int
    head: str

    def kazakh_line(self) -> str:
        """As documents print it (they are the school's record, in Kazakh)."""
        return f"Аудит журналы: {self.events} оқиға, соңғы хэш {self.head}"


def current(session: Session) -> Anchor:
    """The chain as it stands in this transaction."""
    head = session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one_or_none()
    count = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return Anchor(int(count), head or GENESIS_HASH)


def at(session: Session, event: AuditEvent) -> Anchor:
    """The chain up to and including `event`."""
    count = session.execute(select(func.count()).where(AuditEvent.id <= event.id)).scalar_one()
    return Anchor(int(count), event.hash)


def before(session: Session, event: AuditEvent) -> Anchor:
    """The chain just before `event` (a document rendered in the transaction that then recorded it)."""
    count = session.execute(select(func.count()).where(AuditEvent.id < event.id)).scalar_one()
    return Anchor(int(count), event.prev_hash)


def latest(
    session: Session, action: str, *, instance_id: int | None = None, detail: dict[str, object] | None = None
) -> AuditEvent | None:
    """The newest event of `action` (on this instance, with these detail values), if any."""
    query = select(AuditEvent).where(AuditEvent.action == action)
    if instance_id is not None:
        query = query.where(AuditEvent.instance_id == instance_id)
    for event in session.execute(query.order_by(AuditEvent.id.desc())).scalars():
        recorded = json.loads(event.detail_json or "{}")
        if all(recorded.get(k) == v for k, v in (detail or {}).items()):
            return event
    return None
