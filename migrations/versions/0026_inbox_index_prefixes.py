"""Drop the inbox tables' indexes that another index of the same table begins with.

Every new task wrote eight `human_task` index entries and six per candidate role in `human_task_role`
(issue 16: each start and completion creates one or two tasks). Four of those indexes only repeat the
leading column of another, which serves the same lookups and the foreign keys' checks:

- `ix_human_task_instance_id` — `UNIQUE (instance_id, engine_task_id)` begins with it;
- `ix_human_task_school_id` — `ix_human_task_status_created (school_id, status, created_at)` does;
- `ix_human_task_role_school_id` and `ix_human_task_role_role` — `ix_human_task_role_school_role
  (school_id, role)` serves both (every query names the school).

Revision ID: 0026_inbox_index_prefixes
Revises: 0025_role_unclaimed_copy
"""

from alembic import op

revision = "0026_inbox_index_prefixes"
down_revision = "0025_role_unclaimed_copy"
branch_labels = None
depends_on = None

_DROPPED = (
    ("ix_human_task_instance_id", "human_task", ["instance_id"]),
    ("ix_human_task_school_id", "human_task", ["school_id"]),
    ("ix_human_task_role_school_id", "human_task_role", ["school_id"]),
    ("ix_human_task_role_role", "human_task_role", ["role"]),
)


def upgrade() -> None:
    for name, table, _ in _DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in _DROPPED:
        op.create_index(name, table, columns)
