"""Indexes that keep the inbox flat as instances grow (measured in bench/RESULTS.md).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_UNCLAIMED = "status = 'open' AND assignee_id IS NULL"


def upgrade() -> None:
    op.drop_index("ix_human_task_assignee_status", table_name="human_task")
    op.create_index(
        "ix_human_task_assignee_status_created",
        "human_task",
        ["assignee_id", "status", sa.text("created_at DESC"), sa.text("id DESC")],
    )
    op.create_index(
        "ix_human_task_unclaimed_created",
        "human_task",
        [sa.text("created_at DESC"), sa.text("id DESC")],
        postgresql_where=sa.text(_UNCLAIMED),
        sqlite_where=sa.text(_UNCLAIMED),
    )


def downgrade() -> None:
    op.drop_index("ix_human_task_unclaimed_created", table_name="human_task")
    op.drop_index("ix_human_task_assignee_status_created", table_name="human_task")
    op.create_index("ix_human_task_assignee_status", "human_task", ["assignee_id", "status"])
