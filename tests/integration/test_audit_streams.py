"""The audit log in streams: writers to different streams do not queue on one row, and every property
of the single chain holds — edited, moved, deleted (newest included) and rewritten rows are reported."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import delete, event, func, select

from service.platform.audit import anchor
from service.platform.audit import log as audit
from service.platform.audit.verify import verify_audit
from service.platform.persistence.models import AuditEvent, AuditStream
from service.platform.runtime import Runtime
from tests.conftest import make_app
from tests.integration.audit_probe import printed_anchor
from tests.integration.test_concurrency import _run_together


def _write(rt: Runtime, actor: str, n: int, instance_id: int | None = None, anchored: bool = False) -> int:
    last = 0
    for i in range(n):
        with rt.db.session() as session:
            event = audit.append(
                session, actor, "test.event", instance_id=instance_id, detail={"i": i}, anchored=anchored
            )
            session.flush()
            last = event.id
    return last


def test_events_join_the_stream_of_their_instance_or_their_actor(rt: Runtime) -> None:
    _write(rt, "alice", 2)
    _write(rt, "bob", 1, instance_id=7)
    _write(rt, "carol", 1, instance_id=7)
    with rt.db.session() as session:
        streams = dict(
            session.execute(
                select(AuditEvent.stream, func.count()).where(AuditEvent.action == "test.event").group_by(
                    AuditEvent.stream
                )
            ).all()
        )
    assert streams == {"actor:alice": 2, "instance:7": 2}
    checked, broken = verify_audit(rt)
    assert broken is None and checked >= 4


def test_an_append_writes_the_event_and_moves_its_streams_tip_in_two_statements(rt: Runtime) -> None:
    """Lock-and-read the tip, then write the event: the tip moves with the insert (PostgreSQL: a CTE;
    SQLite: the insert's trigger, migration 0028), so no third statement and the tip is the event's hash."""
    _write(rt, "alice", 1)
    statements: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql.split()[0])

    event.listen(rt.db.engine, "before_cursor_execute", note)
    try:
        with rt.db.session() as session:
            written = audit.append(session, "alice", "test.event", detail={"i": 1})
            statements_of_append = [s for s in statements if s not in ("BEGIN", "SELECT")]
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", note)
    assert len(statements_of_append) == 2, statements_of_append
    with rt.db.session() as session:
        tip = session.execute(
            select(AuditStream.last_hash).where(AuditStream.name == "actor:alice")
        ).scalar_one()
    assert tip == written.hash
    assert verify_audit(rt)[1] is None


def test_the_newest_row_of_any_stream_cut_off_is_reported(rt: Runtime) -> None:
    cut = _write(rt, "alice", 3)  # alice's newest row is not the log's newest
    _write(rt, "bob", 2)
    with rt.db.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == cut))
    _checked, broken = verify_audit(rt)
    assert broken is not None and "missing" in broken[1]


def test_a_stream_whose_head_row_was_removed_is_reported(rt: Runtime) -> None:
    _write(rt, "alice", 2)
    with rt.db.session() as session:
        session.execute(delete(AuditStream).where(AuditStream.name == "actor:alice"))
    _checked, broken = verify_audit(rt)
    assert broken is not None and "head of stream actor:alice" in broken[1]


def test_an_anchor_reads_back_what_was_printed_at_its_event(rt: Runtime) -> None:
    _write(rt, "alice", 2)
    _write(rt, "bob", 1, instance_id=3)
    with rt.db.session() as session:
        printed = anchor.current(session)
        event = audit.append(session, "carol", "test.anchored", anchored=True)
        session.flush()
        event_id = event.id
    _write(rt, "dave", 2)  # later events change nothing about it
    with rt.db.session() as session:
        event = session.get(AuditEvent, event_id)
        assert event is not None
        assert anchor.before(session, event) == printed
        assert printed_anchor(session, event_id - 1) == printed.kazakh_line()
        assert printed_anchor(session, event_id) == anchor.at(session, event).kazakh_line()


def test_simultaneous_writers_on_postgres_keep_every_stream_whole(pg_url: str, tmp_path: Path) -> None:
    """30 writers at once: 20 people each on their own stream, 9 on one instance's stream, and one
    anchored event in the middle; nothing is lost, no stream forks, the log verifies."""
    app: Flask = make_app(pg_url, tmp_path)
    rt: Runtime = app.extensions["runtime"]
    jobs = [lambda i=i: _write(rt, f"person{i}", 5) for i in range(20)]
    jobs += [lambda i=i: _write(rt, f"clerk{i}", 5, instance_id=42) for i in range(9)]
    jobs += [lambda: _write(rt, "chair", 1, anchored=True)]
    results = _run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    with rt.db.session() as session:
        assert session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 146
        on_instance = select(func.count()).where(AuditEvent.stream == "instance:42")
        assert session.execute(on_instance).scalar_one() == 45
    checked, broken = verify_audit(rt)
    assert broken is None and checked == 146
    rt.db.dispose()
