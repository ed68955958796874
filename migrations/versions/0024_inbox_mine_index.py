"""The "my tasks" index carries the school, so the inbox's count of my tasks reads the index alone.

Every inbox query is scoped to the acting school (`tenancy`), and `school_id` was not in
`ix_human_task_assignee_status_created`: counting "my open tasks" (up to the inbox's bound of 1,000)
had to visit each row in the table to check its school — 10.5 ms at 1,000,000 instances against
0.3 ms as an index-only scan once the school is in the index (bench/RESULTS.md, issue 16 item 2).
The school sits after the two equality columns and before the keyset order, so the page
(`ORDER BY created_at DESC, id DESC`) still comes straight off the index, forwards or backwards.

Revision ID: 0024_inbox_mine_index
Revises: 0022_region_tools
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_inbox_mine_index"
down_revision = "0022_region_tools"
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


def downgrade() -> None:
    op.create_index("ix_human_task_assignee_status_created", "human_task", ["assignee_id", "status", *_DESC])
    op.drop_index("ix_human_task_assignee_status_school_created", table_name="human_task")
