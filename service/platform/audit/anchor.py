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

from service.platform.audit.chain import root_of
from service.platform.persistence.models import AuditEvent, AuditStream


@dataclass(frozen=True)
class Anchor:
    """The number of events in the log and the root of its streams' newest hashes (the newest hash
    itself while the log is one stream)."""

    events: int
    head: str

    def kazakh_line(self) -> str:
        """As documents print it (they are the school's record, in Kazakh)."""
        return f"Аудит журналы: {self.events} оқиға, соңғы хэш {self.head}"


def current(session: Session) -> Anchor:
    """The log as it stands in this transaction: its length and the root of its streams' tips."""
    tips = dict(session.execute(select(AuditStream.name, AuditStream.last_hash)).all())
    count = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return Anchor(int(count), root_of(tips))


def _upto(session: Session, last_id: int) -> Anchor:
    """The log made of the events with ids up to `last_id`: settled once an anchored event is written
    (it waited for every append in flight, see log.append), so it reads back the same ever after."""
    newest = (
        select(func.max(AuditEvent.id).label("id"))
        .where(AuditEvent.id <= last_id)
        .group_by(AuditEvent.stream)
        .subquery()
    )
    tips = dict(
        session.execute(
            select(AuditEvent.stream, AuditEvent.hash).join(newest, AuditEvent.id == newest.c.id)
        ).all()
    )
    count = session.execute(select(func.count()).where(AuditEvent.id <= last_id)).scalar_one()
    return Anchor(int(count), root_of(tips))


def at(session: Session, event: AuditEvent) -> Anchor:
    """The log up to and including `event`."""
    return _upto(session, event.id)


def before(session: Session, event: AuditEvent) -> Anchor:
    """The log just before `event` (a document rendered in the transaction that then recorded it)."""
    return _upto(session, event.id - 1)


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
