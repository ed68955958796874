"""The statements every engine run executes find their rows through the instance's own index (or the list's
rows' own), however many open tasks or people the school has (SQLite chooses without statistics; a wrong
choice read them all)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from service.platform.inbox import projection
from service.platform.persistence.migrate import upgrade


def _plan(tmp_path: Path, statement: object, keys: list[str]) -> list[str]:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    upgrade(url)
    engine = create_engine(url)
    compiled = statement.compile(dialect=engine.dialect, column_keys=keys)  # type: ignore[attr-defined]
    engine.dispose()
    with sqlite3.connect(tmp_path / "plans.db") as conn:
        arguments = [None] * len(compiled.positiontup or ())
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + compiled.string, arguments)]


@pytest.mark.parametrize(
    ("statement", "keys", "table", "index"),
    [
        (projection._people("sqlite"), ["school", "names"], "app_user", "(username=?)"),
        (projection._withdraw("sqlite"), ["school", "rows"], "human_task", "(rowid=?)"),
    ],
    ids=["people by name", "withdrawn rows"],
)
def test_a_list_parameter_finds_its_rows_through_their_own_index(
    tmp_path: Path, statement: object, keys: list[str], table: str, index: str
) -> None:
    """`one_of` on SQLite is one SQL text (json_each), and the school's index is not taken instead."""
    plan = _plan(tmp_path, statement, keys)
    steps = [step for step in plan if table in step]
    assert steps and all(index in step for step in steps), plan


def test_the_open_rows_of_an_instance_are_read_through_its_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    upgrade(url)
    engine = create_engine(url)
    statement = projection._write_instance_and_read_open_rows("sqlite")
    compiled = statement.compile(dialect=engine.dialect, column_keys=["state_json", "row", "school"])
    engine.dispose()
    with sqlite3.connect(tmp_path / "plans.db") as conn:
        arguments = [None] * len(compiled.positiontup or ())
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + compiled.string, arguments)]
    task_steps = [step for step in plan if "human_task" in step]
    assert task_steps and all("(instance_id=?)" in step for step in task_steps), plan
