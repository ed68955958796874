"""The migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

import re

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.schema import CreateIndex

from service.platform.inbox import unclaimed
from service.platform.persistence.migrate import alembic_config, upgrade
from service.platform.persistence.models import Base
from tests.conftest import Api

# Alembic cannot compare indexes on expressions (DESC order); `_expression_index_columns` checks these.
EXPRESSION_INDEXES = {
    "ix_human_task_assignee_status_school_created",
    "ix_human_task_unclaimed_created",
    "ix_human_task_role_unclaimed",
}


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    return [
        d for d in diffs if not (isinstance(d, tuple) and getattr(d[1], "name", None) in EXPRESSION_INDEXES)
    ]


def _columns_of(create_sql: str) -> str:
    """The column list of a CREATE INDEX statement, as written: "assignee_id, status, id DESC"."""
    match = re.search(r"\bON\s+\S+\s+(?:USING\s+\w+\s+)?\(([^()]*)\)", create_sql, re.IGNORECASE)
    assert match, create_sql
    return ", ".join(part.strip().lower() for part in match.group(1).split(","))


def _expression_index_columns(engine: Engine) -> dict[str, str]:
    """Each expression index's columns as the migrated database holds them."""
    query = (
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        if engine.dialect.name == "postgresql"
        else "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    )
    with engine.connect() as conn:
        rows = conn.execute(text(query)).all()
    return {name: _columns_of(sql) for name, sql in rows if name in EXPRESSION_INDEXES}


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    assert _differences(db_url) == []
    engine = create_engine(db_url)
    modelled = {
        index.name: _columns_of(str(CreateIndex(index).compile(dialect=engine.dialect)))
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if index.name in EXPRESSION_INDEXES
    }
    assert set(modelled) == EXPRESSION_INDEXES
    assert _expression_index_columns(engine) == modelled  # same columns, same order, same direction
    engine.dispose()


def test_downgrade_and_upgrade_again(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    upgrade(url)
    command.downgrade(alembic_config(url), "0001")  # the service itself only ever upgrades
    upgrade(url)
    assert _differences(url) == []


def test_the_role_rows_copy_is_backfilled_from_the_tasks(api: Api) -> None:
    """0025 copies "open and unclaimed" onto the role rows of a database that has tasks already."""
    rt = api.rt
    ids = []
    for _ in range(2):
        iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
        draft = api.open_task("wg_deputy", iid, "Task_draft")["id"]
        data = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
        assert api.post(f"/tasks/{draft}/complete", "wg_deputy", json={"data": data}).status_code == 200
        ids.append(api.open_task("lawyer", iid, "Task_legal_review", scope="roles")["id"])
    assert api.post(f"/tasks/{ids[1]}/claim", "lawyer").status_code == 200
    url = str(rt.db.engine.url.render_as_string(hide_password=False))
    rt.db.dispose()  # no connection of the app's may hold the table while it changes
    command.downgrade(alembic_config(url), "0024_inbox_mine_index")
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert unclaimed.drifted(conn, None) == []
        copied = dict(
            conn.execute(
                text("SELECT task_id, unclaimed_created_at FROM human_task_role WHERE task_id IN (:a, :b)"),
                {"a": ids[0], "b": ids[1]},
            ).all()
        )
    engine.dispose()
    assert copied[ids[0]] is not None and copied[ids[1]] is None
