"""The embedded SQLite's write-ahead log is checkpointed by its own thread, never by a request's commit."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from service.platform.persistence.session import Database, SqliteDurability
from service.platform.persistence.wal import WalCheckpointer


def _write(db: Database, rows: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)"))
    for i in range(rows):
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": f"{i}" * 2000})


def _until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)


def test_a_requests_connection_never_checkpoints(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 0
    finally:
        db.dispose()


def test_the_log_is_copied_into_the_file_soon_after_commits(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    db = Database(f"sqlite:///{path}")
    try:
        checkpointer = db.checkpointer
        assert checkpointer is not None
        # 1,200 pages and more: past SQLite's own threshold, which the requests no longer act on.
        _write(db, 1300)
        _until(lambda: checkpointer.last is not None and checkpointer.last.copied_pages >= 1200)
        assert checkpointer.last is not None and not checkpointer.last.busy
        assert checkpointer.last.copied_pages == checkpointer.last.log_pages >= 1200
        # The rows are in the database file itself: a reader that ignores the log sees them.
        snapshot = tmp_path / "copy.db"
        snapshot.write_bytes(path.read_bytes())
        with sqlite3.connect(snapshot) as plain:
            assert plain.execute("SELECT count(*) FROM t").fetchone()[0] == 1300
    finally:
        db.dispose()


def test_a_burst_of_commits_shares_one_checkpoint(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        checkpointer = db.checkpointer
        assert checkpointer is not None
        _write(db, 30)  # well within the second the thread waits
        _until(lambda: checkpointer.checkpoints >= 1)
        time.sleep(1.5)
        assert checkpointer.checkpoints == 1
    finally:
        db.dispose()


def test_no_thread_without_a_write_ahead_log(tmp_path: Path) -> None:
    rollback_journal = Database(f"sqlite:///{tmp_path / 'd.db'}", sqlite=SqliteDurability("DELETE", "FULL"))
    try:
        assert rollback_journal.checkpointer is None
        _write(rollback_journal, 2)
        with rollback_journal.engine.connect() as conn:  # SQLite's own default stands
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 1000
    finally:
        rollback_journal.dispose()


def test_disposing_of_the_database_ends_the_thread(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'e.db'}")
    _write(db, 2)
    checkpointer = db.checkpointer
    assert checkpointer is not None
    thread = checkpointer._thread
    assert thread is not None and thread.is_alive()
    db.dispose()
    assert not thread.is_alive()


def test_a_forked_worker_starts_its_own_thread(tmp_path: Path) -> None:
    """gunicorn forks its workers: a thread started in the parent does not run in the child."""
    checkpointer = WalCheckpointer(str(tmp_path / "f.db"), every_s=0.05)
    sqlite3.connect(tmp_path / "f.db").execute("PRAGMA journal_mode=WAL").close()
    try:
        checkpointer.committed()
        parent_thread = checkpointer._thread
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a commit there must start a thread of its own
            os.close(read)
            checkpointer.committed()
            child_thread = checkpointer._thread
            ok = child_thread is not None and child_thread is not parent_thread and child_thread.is_alive()
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
        os.close(write)
        answer = os.read(read, 1)
        os.waitpid(pid, 0)
        assert answer == b"1"
    finally:
        checkpointer.stop()
