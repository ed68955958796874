"""The embedded SQLite's journal and sync mode are settings: WAL + NORMAL by default, FULL on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from service.config import load_settings
from service.platform.persistence.session import Database, SqliteDurability

# PRAGMA synchronous reads back as a number.
_SYNC = {"NORMAL": 1, "FULL": 2, "EXTRA": 3}


def _pragmas(db: Database) -> tuple[str, int]:
    with db.engine.connect() as conn:
        mode = conn.execute(text("PRAGMA journal_mode")).scalar_one()
        sync = conn.execute(text("PRAGMA synchronous")).scalar_one()
    db.dispose()
    return str(mode).upper(), int(sync)


def test_the_default_is_wal_and_normal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SQLITE_JOURNAL_MODE", raising=False)
    monkeypatch.delenv("SQLITE_SYNCHRONOUS", raising=False)
    settings = load_settings(tmp_path)
    assert (settings["SQLITE_JOURNAL_MODE"], settings["SQLITE_SYNCHRONOUS"]) == ("WAL", "NORMAL")
    assert _pragmas(Database(f"sqlite:///{tmp_path / 'a.db'}")) == ("WAL", _SYNC["NORMAL"])


def test_full_sync_is_a_setting_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "full")
    settings = load_settings(tmp_path)
    durability = SqliteDurability(settings["SQLITE_JOURNAL_MODE"], settings["SQLITE_SYNCHRONOUS"])
    assert _pragmas(Database(f"sqlite:///{tmp_path / 'b.db'}", sqlite=durability)) == ("WAL", _SYNC["FULL"])


def test_a_rollback_journal_can_be_chosen(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'c.db'}", sqlite=SqliteDurability("DELETE", "FULL"))
    assert _pragmas(db) == ("DELETE", _SYNC["FULL"])


@pytest.mark.parametrize(("mode", "sync", "name"), [("MEMORY", "NORMAL", "JOURNAL"), ("WAL", "OFF", "SYNC")])
def test_an_unsafe_or_unknown_value_stops_the_start(mode: str, sync: str, name: str) -> None:
    with pytest.raises(ValueError, match=f"SQLITE_{name}"):
        SqliteDurability(mode, sync)


def test_the_pool_hands_out_the_connection_used_last(tmp_path: Path) -> None:
    """LIFO: the connection that wrote last keeps a valid page cache; SQLite drops the cache of one that
    another connection's write overtook, so handing out the longest-resting one reads cold pages."""
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        first, second = db.engine.raw_connection(), db.engine.raw_connection()
        first_driver, second_driver = first.driver_connection, second.driver_connection
        first.close()  # back to the pool first
        second.close()  # back last
        again = db.engine.raw_connection()
        assert again.driver_connection is second_driver is not first_driver
        again.close()
    finally:
        db.dispose()
