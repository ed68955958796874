"""PostgreSQL's pooled connections: pinged only after resting, replaced when dead; single reads outside
a transaction, so psycopg keeps its prepared statements."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.platform.persistence import session as sessions
from service.platform.persistence.session import Database


def _backend_pid(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("select pg_backend_pid()")).scalar_one())


def test_a_rested_connection_that_died_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(pg_url)
    try:
        dead = _backend_pid(db)
        # Another client kills it while it rests in the pool (as a server restart would).
        killer = Database(pg_url)
        with killer.engine.connect() as other:
            other.execute(text("select pg_terminate_backend(:pid)"), {"pid": dead})
        killer.dispose()
        monkeypatch.setattr(sessions, "PING_AFTER_IDLE_S", 0.0)  # every rest is long enough
        # Both pooled connections were pinged at checkout; the dead one was replaced, not handed out.
        assert _backend_pid(db) != dead
    finally:
        db.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(pg_url: str) -> None:
    """Within the window the pool trusts the connection: no ping round trip before each request."""
    db = Database(pg_url)
    pings: list[object] = []
    try:
        _backend_pid(db)
        ping = db.engine.dialect.do_ping
        db.engine.dialect.do_ping = lambda conn: pings.append(conn) or ping(conn)  # type: ignore[method-assign]
        for _ in range(3):
            _backend_pid(db)
        assert pings == []
    finally:
        db.dispose()


def test_a_single_read_runs_outside_a_transaction_on_postgres(pg_url: str) -> None:
    """No BEGIN and ROLLBACK around the token read: a ROLLBACK makes psycopg drop every statement it had
    prepared on that connection, so each API call planned its token query again."""
    db = Database(pg_url)
    try:
        with db.read_connection() as conn:
            conn.execute(text("select 1")).scalar_one()
            raw = conn.connection.dbapi_connection
            assert raw is not None
            assert raw.autocommit is True
            assert raw.info.transaction_status == TransactionStatus.IDLE  # no transaction left open
        with db.session() as session:  # the unit of work after it still runs in one transaction
            raw = session.connection().connection.dbapi_connection
            assert raw is not None and raw.autocommit is False
    finally:
        db.dispose()


def test_reads_keep_the_connections_prepared_statements(pg_url: str) -> None:
    """A read-only unit of work ends with COMMIT, not ROLLBACK: psycopg drops every prepared statement
    of the connection at a ROLLBACK, so the next requests on it planned all their statements again."""
    db = Database(pg_url)
    try:
        for _ in range(7):  # psycopg prepares a statement on its fifth run
            with db.read() as session:
                session.execute(text("select count(*) from school where id > :n"), {"n": 0}).scalar_one()
        with db.read() as session:
            prepared = session.execute(text("select count(*) from pg_prepared_statements")).scalar_one()
        assert prepared >= 1
    finally:
        db.dispose()


def test_a_write_in_a_read_is_refused_on_postgres(pg_url: str) -> None:
    """The read's transaction is READ ONLY, so ending it with COMMIT can never keep a write."""
    db = Database(pg_url)
    try:
        with pytest.raises(DBAPIError, match="read-only transaction"), db.read() as session:
            session.execute(text("update school set code = code"))
    finally:
        db.dispose()
