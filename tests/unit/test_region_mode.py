"""Region mode needs PostgreSQL and says so; a single school stays on SQLite by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import load_settings


def test_region_mode_refuses_sqlite_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGION_MODE", "1")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ValueError, match="REGION_MODE=1 needs PostgreSQL"):
        load_settings(tmp_path)


def test_the_default_is_one_school_on_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGION_MODE", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings(tmp_path)
    assert settings["REGION_MODE"] is False and settings["DATABASE_URL"].startswith("sqlite")


def test_region_mode_with_postgresql_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGION_MODE", "1")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/region")
    assert load_settings(tmp_path)["REGION_MODE"] is True
