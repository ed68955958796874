"""The migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from service.platform.persistence.migrate import alembic_config, upgrade
from service.platform.persistence.models import Base

# Alembic cannot compare indexes on expressions (DESC order); these are checked by name only.
EXPRESSION_INDEXES = {"ix_human_task_assignee_status_created", "ix_human_task_unclaimed_created"}


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    return [
        d for d in diffs if not (isinstance(d, tuple) and getattr(d[1], "name", None) in EXPRESSION_INDEXES)
    ]


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    assert _differences(db_url) == []


def test_downgrade_and_upgrade_again(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    upgrade(url)
    command.downgrade(alembic_config(url), "0001")  # the service itself only ever upgrades
    upgrade(url)
    assert _differences(url) == []
