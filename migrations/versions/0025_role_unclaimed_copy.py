"""A role's open unclaimed tasks are one range of one index: the role rows carry the task's state.

Counting "open tasks my roles may claim" (exact up to the inbox's bound of 1,000) walked every
unclaimed task of the school newest first and probed `human_task_role` for the role per task: which
tasks are open and unclaimed lives in `human_task`, their roles in `human_task_role`, and no index
spans two tables (scope=roles 2.18× from 10,000 to 1,000,000 instances, bench/RESULTS.md). Each role
row now carries `unclaimed_created_at` — the task's `created_at` while it is open and unassigned, NULL
otherwise — kept in the same transaction as every change of the task (`inbox/unclaimed.py`), and a
partial index per (school, role) reads a role's waiting tasks newest or oldest first and stops.

The backfill copies the state of the open unclaimed tasks only (every other row stays NULL), in one
statement on either database.

Revision ID: 0025_role_unclaimed_copy
Revises: 0024_inbox_mine_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_role_unclaimed_copy"
down_revision = "0024_inbox_mine_index"
branch_labels = None
depends_on = None

_WAITING = "unclaimed_created_at IS NOT NULL"


def upgrade() -> None:
    op.add_column(
        "human_task_role", sa.Column("unclaimed_created_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE human_task_role SET unclaimed_created_at = ("
        " SELECT t.created_at FROM human_task t WHERE t.id = human_task_role.task_id"
        " AND t.school_id = human_task_role.school_id)"
        " WHERE task_id IN (SELECT id FROM human_task WHERE status = 'open' AND assignee_id IS NULL)"
    )
    op.create_index(
        "ix_human_task_role_unclaimed",
        "human_task_role",
        ["school_id", "role", sa.text("unclaimed_created_at DESC"), sa.text("task_id DESC")],
        postgresql_where=sa.text(_WAITING),
        sqlite_where=sa.text(_WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_human_task_role_unclaimed", table_name="human_task_role")
    with op.batch_alter_table("human_task_role") as batch:
        batch.drop_column("unclaimed_created_at")
