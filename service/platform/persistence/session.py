"""Engine and session factory; a unit of work is one transaction that rolls back unless committed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.platform.errors import ConcurrentChange
from service.platform.persistence import direct, tenancy
from service.platform.persistence.models import Base
from service.platform.persistence.wal import WalCheckpointer

READ_ONLY = "school_read_only"
SINGLE_READ = "school_single_read"  # `read_connection`: statements that need no transaction around them

# The embedded SQLite's durability (settings SQLITE_JOURNAL_MODE, SQLITE_SYNCHRONOUS; docs/architecture.md).
# WAL + NORMAL: a commit survives a crash of the process (the WAL is in the OS's hands) but not a power
# loss or an OS crash, which may undo the last transactions (never corrupt the file); FULL also syncs the
# WAL on every commit (measured: ~3 ms a commit on this disk, more than the engine's whole cycle).
SQLITE_JOURNAL_MODES = ("WAL", "DELETE", "TRUNCATE", "PERSIST")
SQLITE_SYNCHRONOUS = ("NORMAL", "FULL", "EXTRA")


@dataclass(frozen=True)
class SqliteDurability:
    """How the embedded SQLite journals and syncs its commits (ignored on PostgreSQL)."""

    journal_mode: str = "WAL"
    synchronous: str = "NORMAL"

    def __post_init__(self) -> None:
        if self.journal_mode not in SQLITE_JOURNAL_MODES:
            raise ValueError(f"SQLITE_JOURNAL_MODE must be one of {', '.join(SQLITE_JOURNAL_MODES)}")
        if self.synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS)}")


def _configure_sqlite(engine: Engine, durability: SqliteDurability) -> WalCheckpointer | None:
    """Make pysqlite start every transaction with BEGIN IMMEDIATE, in the chosen journal and sync mode;
    in WAL mode on a file, the log is checkpointed by the returned thread, not by the requests' commits.

    pysqlite's own transaction handling begins lazily, which lets two writers both read a row and
    then collide; taking the write lock up front is SQLite's equivalent of SELECT … FOR UPDATE.
    """
    path = engine.url.database
    checkpointer = (
        WalCheckpointer(path)
        if durability.journal_mode == "WAL" and path and path != ":memory:" and not path.startswith("file:")
        else None
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Both values come from the closed lists above, never from a request.
        cur.execute(f"PRAGMA journal_mode={durability.journal_mode}")
        cur.execute(f"PRAGMA synchronous={durability.synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if checkpointer is not None:
            cur.execute("PRAGMA wal_autocheckpoint=0")  # `wal.py`: the checkpointer's thread does it
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(SINGLE_READ):
            return  # one statement: SQLite's implicit transaction around it is enough
        # A read-only unit of work needs no write lock: it reads a WAL snapshot beside the writers.
        begin = "BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE"
        if direct.observed(conn):
            conn.exec_driver_sql(begin)  # a listener counting statements sees it
        else:
            # On the driver's connection: SQLAlchemy's execution of it cost more than SQLite's BEGIN.
            conn.connection.dbapi_connection.execute(begin)

    if checkpointer is not None:

        @event.listens_for(engine, "commit")
        def _on_commit(_conn: Any) -> None:
            checkpointer.committed()

    return checkpointer


def make_engine(
    url: str, *, echo: bool = False, sqlite: SqliteDurability | None = None
) -> tuple[Engine, WalCheckpointer | None]:
    """The engine for `url`, and for a SQLite file in WAL mode the thread that checkpoints its log."""
    if url.startswith("sqlite"):
        # A pool, because opening a connection runs the PRAGMAs and closing one checkpoints the WAL
        # (measured: a quarter of an API completion). A pooled connection serves one thread at a time.
        engine = create_engine(
            url,
            echo=echo,
            pool_size=5,
            max_overflow=10,
            # The connection used last: SQLite drops a connection's page cache when another one has
            # written since its last transaction, so the first-in-first-out default read cold pages.
            pool_use_lifo=True,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        return engine, _configure_sqlite(engine, sqlite or SqliteDurability())
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=20)
    _ping_when_idle(engine)
    return engine, None


# A pooled PostgreSQL connection idle longer than this is pinged before use; one used more recently is
# trusted. SQLAlchemy's `pool_pre_ping` pings at every checkout: two extra round trips per API call
# (the token read and the unit of work), ~5 % of a completion's (issue 16). A connection that died
# within the window (the server restarted) fails that one request, and SQLAlchemy then drops the pool.
PING_AFTER_IDLE_S = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Ping a connection at checkout only when it has rested longer than `PING_AFTER_IDLE_S`."""

    @event.listens_for(engine, "checkin")
    def _rested_since(_dbapi_conn: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        rested_since = record.info.get("checked_in_at")
        if rested_since is None or time.monotonic() - rested_since < PING_AFTER_IDLE_S:
            return  # new, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as err:  # any failure: the pool discards this connection and takes another
            raise exc.DisconnectionError("the database connection was lost while idle") from err


def _end_read_only(session: Session) -> None:
    """End a PostgreSQL read-only transaction with COMMIT on the driver's connection (no flush: pending
    ORM changes are never written), before close() would roll it back: psycopg answers every ROLLBACK by
    dropping the connection's prepared statements (DEALLOCATE ALL, one more round trip), so every later
    request on that connection planned its statements again. Nothing can have been written: the
    transaction is READ ONLY."""
    if not session.in_transaction():
        return
    connection = session.connection().connection.dbapi_connection
    if connection is not None:
        connection.commit()


class Database:
    """Holds the engine and hands out sessions; one per application, safe to share across threads."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        default_school: int | None = tenancy.DEFAULT_SCHOOL,
        sqlite: SqliteDurability | None = None,
    ) -> None:
        self.url = url
        self.engine, self._checkpointer = make_engine(url, echo=echo, sqlite=sqlite)
        # The school a unit of work acts for when nobody chose one: the only school of a single-school
        # deployment; None in region mode, where every request and job names its school.
        self.default_school = default_school
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL: a read-only transaction (BEGIN READ ONLY), so a write in it fails loudly and ending
        # it with COMMIT is as safe as a ROLLBACK — which psycopg follows with DEALLOCATE ALL.
        reader = self.engine.execution_options(
            **{READ_ONLY: True}, **({"postgresql_readonly": True} if self.is_postgres else {})
        )
        # One statement needs no transaction around it: autocommit spares PostgreSQL's BEGIN and ROLLBACK
        # round trips (and psycopg drops its prepared statements at every ROLLBACK), SQLite's BEGIN.
        self._single_reads = reader.execution_options(
            **({"isolation_level": "AUTOCOMMIT"} if self.is_postgres else {SINGLE_READ: True}),
            **{direct.NO_TRANSACTION: True},
        )
        self._reader = reader
        self._read_factory = sessionmaker(reader, expire_on_commit=False)
        for factory in (self._factory, self._read_factory):
            tenancy.install(Base, factory)

    @contextmanager
    def _acting(self, session: Session) -> Iterator[None]:
        """Pin the session to the acting school (or the default one) for the length of the block."""
        school = tenancy.acting_school()
        if school is None:
            school = self.default_school
        tenancy.bind(session, school)
        with tenancy.acting_as(school):
            yield

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends normally, rolled back on any exception.

        A versioned row written from a stale read (see `ProcessInstance.version`) raises
        `ConcurrentChange`, a 409: the caller reloads and tries again, like any other conflict.
        """
        session = self._factory()
        try:
            with self._acting(session):
                yield session
                session.commit()
        except StaleDataError as err:
            session.rollback()
            raise ConcurrentChange("changed by another request at the same time; nothing was saved") from err
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it takes no write lock and waits for no writer.

        Anything written in it is rolled back (on PostgreSQL, refused: the transaction is READ ONLY), so a
        use case that may write must use `session()`.
        """
        session = self._read_factory()
        try:
            with self._acting(session):
                yield session
                if self.is_postgres:
                    _end_read_only(session)
        finally:
            # close() returns the connection, whose reset rolls the transaction back; unlike
            # rollback() it leaves the loaded objects readable after the block.
            session.close()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection for single-statement reads (no ORM, no session, no tenancy hook: every
        statement names its school itself, or crosses schools on purpose). On PostgreSQL each statement
        is its own transaction (autocommit), so two reads here need not see one snapshot."""
        with self._single_reads.connect() as conn:
            yield conn

    @property
    def checkpointer(self) -> WalCheckpointer | None:
        """The thread that checkpoints an embedded SQLite's write-ahead log (None on PostgreSQL)."""
        return self._checkpointer

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()
