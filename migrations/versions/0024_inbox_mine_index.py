"""The inbox's indexes carry the school, so its counts and role checks read indexes alone.

Every inbox query is scoped to the acting school (`tenancy`), and `school_id` was not in
`ix_human_task_assignee_status_created`: counting "my open tasks" (up to the inbox's bound of 1,000)
had to visit each row in the table to check its school — 10.5 ms at 1,000,000 instances against
0.3 ms as an index-only scan once the school is in the index (bench/RESULTS.md, issue 16 item 2).
The school sits after the two equality columns and before the keyset order, so the page
(`ORDER BY created_at DESC, id DESC`) still comes straight off the index, forwards or backwards.

"May one of my roles claim this task?" is a probe of `human_task_role` per unclaimed task, and the
school's criterion made each probe read the row: `(task_id, role, school_id)` answers it from the
index (the role list at 1,000,000 instances: 25 ms → 1 ms).

Revision ID: 0024_inbox_mine_index
Revises: 0023_region_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_inbox_mine_index"
down_revision = "0023_region_indexes"
branch_labels = None
depends_on = None

_DESC = [sa.text("created_at DESC"), sa.text("id DESC")]


def upgrade() -> None:
    op.create_index(
        "ix_human_task_assignee_status_school_created",
        "human_task",
        ["assignee_id", "status", "school_id", *_DESC],
    )
    op.drop_index("ix_human_task_assignee_status_created", table_name="human_task")
    op.create_index(
        "ix_human_task_role_task_role_school", "human_task_role", ["task_id", "role", "school_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_human_task_role_task_role_school", table_name="human_task_role")
    op.create_index("ix_human_task_assignee_status_created", "human_task", ["assignee_id", "status", *_DESC])
    op.drop_index("ix_human_task_assignee_status_school_created", table_name="human_task")
