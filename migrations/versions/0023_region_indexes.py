"""Indexes for the region's dashboard: a page of schools and the region's totals read indexes, not tables.

- `ix_plan_item_region` (plan_id, stage, done_at): the plan's completion figure counts each plan's items
  per stage and those done from the index alone (an index-only scan), for a page's 30 plans and for the
  region's total over every school's plan alike; before, every item's row was read from the table.
- `ix_school_order_region` (status, registered_on, school_id): the orders' figure's region total (the
  school year's registered orders of every school) from the index alone, without each order's row.

Revision ID: 0023_region_indexes
Revises: 0022_region_tools
"""

from alembic import op

revision = "0023_region_indexes"
down_revision = "0022_region_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plan_item_region", "plan_item", ["plan_id", "stage", "done_at"])
    op.create_index("ix_school_order_region", "school_order", ["status", "registered_on", "school_id"])


def downgrade() -> None:
    op.drop_index("ix_school_order_region", table_name="school_order")
    op.drop_index("ix_plan_item_region", table_name="plan_item")
