"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, cast

from sqlalchemy import Integer, String, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.platform.audit.chain import GENESIS_HASH, ChainLink, detail_of, link_hash
from service.platform.clock import utcnow
from service.platform.persistence import direct, tenancy
from service.platform.persistence.models import AuditEvent, AuditStream

# The epoch lock's key (PostgreSQL advisory locks are a pair of numbers): "AUDI" in ASCII, and the school,
# so each school's chains have their own epoch and schools never wait for each other.
EPOCH_LOCK = 0x41554449


def stream_of(actor: str, instance_id: int | None) -> str:
    """Which stream an event joins. An instance's events are written under its lock anyway, so its
    stream adds no waiting; anything else follows the person who did it, who rarely acts twice at once.
    Writers to different streams never wait for each other."""
    return f"instance:{instance_id}" if instance_id is not None else actor_stream(actor)


def actor_stream(actor: str) -> str:
    """The person's own stream: for events written without the instance's lock that many people write
    at once about one instance (a campaign's responses), which would otherwise all queue on its head."""
    return f"actor:{actor}"[:120]


def hold_epoch(session: Session, alone: bool) -> None:
    """Shared by every append, taken alone by an anchored one (PostgreSQL; SQLite writes one at a time).

    An anchored event waits for the appends in flight to commit and holds new ones back until it
    commits, so "the events up to this one" is the same set whenever it is read back afterwards.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.connection().execute(_epoch_lock(alone), {"key": EPOCH_LOCK, "school": _school()})


def _epoch_lock(alone: bool) -> Any:
    function = func.pg_advisory_xact_lock if alone else func.pg_advisory_xact_lock_shared
    return select(
        function(bindparam("key", type_=Integer), bindparam("school", type_=Integer)).label("epoch")
    )


def _school() -> int:
    """The acting school, whose chains an append joins (audit chains are per school)."""
    return tenancy.school_for_new_rows()


_EVENTS = cast(Table, AuditEvent.__table__)
_STREAMS = cast(Table, AuditStream.__table__)
_COLUMNS = ("at", "actor", "action", "instance_id", "task_id", "detail_json", "prev_hash", "hash", "stream")


@cache
def _statements(dialect: str, anchored: bool) -> tuple[Any, ...]:
    """An append's statements, built once with bound parameters (building and keying a statement per
    call cost more than running it), run on the session's connection: they name their school.

    First: take the epoch (PostgreSQL), then lock the stream's head row and read its last hash, creating
    the row (race-free) on the stream's first event. An upsert whose conflict branch rewrites the row
    unchanged locks it like FOR UPDATE and returns the newest committed hash; on PostgreSQL its one
    source row is the epoch lock's SELECT, so the epoch is always taken first. Then: write the event and
    move the tip, one statement on PostgreSQL (a data-modifying CTE) and on SQLite (the insert's trigger
    `audit_event_moves_stream_tip` moves the tip, migration 0028: SQLite has no such CTE).
    """
    school = bindparam("school", type_=Integer)
    stream = bindparam("stream", type_=String)
    genesis = bindparam("genesis", type_=String)
    upsert: Any
    if dialect == "postgresql":
        source = select(school, stream, genesis).select_from(_epoch_lock(anchored).subquery("epoch"))
        upsert = postgresql_insert(_STREAMS).from_select(["school_id", "name", "last_hash"], source)
    else:  # SQLite: the transaction already holds the database's one write lock
        upsert = sqlite_insert(_STREAMS).values(school_id=school, name=stream, last_hash=genesis)
    upsert = upsert.on_conflict_do_update(
        index_elements=[_STREAMS.c.school_id, _STREAMS.c.name], set_={"last_hash": _STREAMS.c.last_hash}
    ).returning(_STREAMS.c.last_hash)
    values = {name: bindparam(f"e_{name}", type_=_EVENTS.c[name].type) for name in _COLUMNS}
    write = _EVENTS.insert().values(school_id=school, **values).returning(_EVENTS.c.id)
    if dialect != "postgresql":
        return upsert, write
    move_tip = (
        _STREAMS.update()
        .where(_STREAMS.c.school_id == school, _STREAMS.c.name == values["stream"])
        .values(last_hash=values["hash"])
    )
    written = write.cte("written")
    return upsert, move_tip.add_cte(written).returning(select(written.c.id).scalar_subquery())


def append(
    session: Session,
    actor: str,
    action: str,
    *,
    instance_id: int | None = None,
    task_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    anchored: bool = False,
    stream: str | None = None,
) -> AuditEvent:
    """Add one event to its stream's chain inside the caller's transaction.

    The stream's head row is locked (SQLite already holds the write lock) so that two transactions can
    never chain onto the same predecessor; other streams are not touched. Callers append last, after
    their other locks, so lock order is always instance → counters → audit. `stream` overrides the
    stream `stream_of` picks (see `actor_stream`). `anchored`: a document will print the log's state at
    this event (see anchor.py). Returns the written event as a plain (unattached) object carrying its id.
    Two statements (lock and read the tip; write the event and move the tip).
    """
    session.flush()  # the caller's pending rows go first (what the ORM's autoflush did before)
    connection = session.connection()
    stream = stream or stream_of(actor, instance_id)
    school = _school()
    upsert, write = _statements(connection.dialect.name, anchored)
    params = {"key": EPOCH_LOCK, "school": school, "stream": stream, "genesis": GENESIS_HASH}
    prev_hash = str(direct.execute(connection, upsert, params).scalar_one())
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
    }
    params = {"school": school, **{f"e_{name}": value for name, value in values.items()}}
    event_id = direct.execute(connection, write, params).scalar_one()
    event = AuditEvent(id=event_id, school_id=school, **values)
    _written(session).append(event)
    return event


_WRITTEN_KEY = "audit.written"  # session.info: (transaction, the events appended in it)


def _written(session: Session) -> list[AuditEvent]:
    transaction = session.get_transaction()
    held = session.info.get(_WRITTEN_KEY)
    if held is None or held[0] is not transaction:
        held = (transaction, [])
        session.info[_WRITTEN_KEY] = held
    return cast(list[AuditEvent], held[1])


def events_written(session: Session, instance_id: int) -> list[AuditEvent]:
    """The events of `instance_id` this session's transaction appended, in order (unattached objects).

    For an instance created in this transaction these are all its events (only `append` writes them), so
    a start answers its timeline without reading back what it has just written."""
    return [e for e in _written(session) if e.instance_id == instance_id]


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
