"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from sqlalchemy import Table, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.platform.audit.chain import GENESIS_HASH, ChainLink, detail_of, link_hash
from service.platform.clock import utcnow
from service.platform.persistence import tenancy
from service.platform.persistence.models import AuditEvent, AuditStream

# The epoch lock's key (PostgreSQL advisory locks are a pair of numbers): "AUDI" in ASCII, and the school,
# so each school's chains have their own epoch and schools never wait for each other.
EPOCH_LOCK = 0x41554449


def stream_of(actor: str, instance_id: int | None) -> str:
    """Which stream an event joins. An instance's events are written under its lock anyway, so its
    stream adds no waiting; anything else follows the person who did it, who rarely acts twice at once.
    Writers to different streams never wait for each other."""
    return f"instance:{instance_id}" if instance_id is not None else f"actor:{actor}"[:120]


def hold_epoch(session: Session, alone: bool) -> None:
    """Shared by every append, taken alone by an anchored one (PostgreSQL; SQLite writes one at a time).

    An anchored event waits for the appends in flight to commit and holds new ones back until it
    commits, so "the events up to this one" is the same set whenever it is read back afterwards.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
    session.connection().execute(
        text(f"SELECT {function}(:key, :school)"), {"key": EPOCH_LOCK, "school": _school()}
    )


def _school() -> int:
    """The acting school, whose chains an append joins (audit chains are per school)."""
    return tenancy.school_for_new_rows()


def _locked_tip(session: Session, stream: str) -> str:
    """The stream's last hash, its head row locked for this transaction; the row is created (race-free)
    on the stream's first event. Read first: nearly every append finds its stream, and one statement
    is cheaper than two. Core statements: the ORM's unit of work cost more than the SQL here."""
    locked = (
        select(AuditStream.last_hash)
        .where(AuditStream.school_id == _school(), AuditStream.name == stream)
        .with_for_update()
    )
    conn = session.connection()
    last_hash = conn.execute(locked).scalar_one_or_none()
    if last_hash is not None:
        return str(last_hash)
    dialect = conn.dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    conn.execute(
        insert(AuditStream)
        .values(school_id=_school(), name=stream, last_hash=GENESIS_HASH)
        .on_conflict_do_nothing()
    )
    return str(conn.execute(locked).scalar_one())


def append(
    session: Session,
    actor: str,
    action: str,
    *,
    instance_id: int | None = None,
    task_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    anchored: bool = False,
) -> AuditEvent:
    """Add one event to its stream's chain inside the caller's transaction.

    The stream's head row is locked (FOR UPDATE; SQLite already holds the write lock) so that two
    transactions can never chain onto the same predecessor; other streams are not touched. Callers
    append last, after their other locks, so lock order is always instance → counters → audit.
    `anchored`: a document will print the log's state at this event (see anchor.py).
    Returns the written event as a plain (unattached) object carrying its id.
    """
    # The caller's pending ORM rows are written first (lock order: instance → counters → audit); the
    # append itself is Core on the session's connection, past the ORM's per-statement work.
    session.flush()
    hold_epoch(session, alone=anchored)
    stream = stream_of(actor, instance_id)
    prev_hash = _locked_tip(session, stream)
    at = utcnow()
    detail_json = detail_of(detail or {})
    values = {
        "at": at,
        "actor": actor,
        "action": action,
        "instance_id": instance_id,
        "task_id": task_id,
        "detail_json": detail_json,
        "prev_hash": prev_hash,
        "hash": link_hash(prev_hash, at, actor, action, instance_id, task_id, detail_json),
        "stream": stream,
        "school_id": _school(),
    }
    events = cast(Table, AuditEvent.__table__)
    conn = session.connection()
    event_id = conn.execute(events.insert().values(**values).returning(events.c.id)).scalar_one()
    streams = cast(Table, AuditStream.__table__)
    conn.execute(
        streams.update()
        .where(streams.c.school_id == values["school_id"], streams.c.name == stream)
        .values(last_hash=values["hash"])
    )
    return AuditEvent(id=event_id, **values)


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
                row.stream,
            )
        last_id = rows[-1].id


def instance_events(session: Session, instance_id: int) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
        ).scalars()
    )
