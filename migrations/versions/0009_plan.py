"""The school's yearly plan: stages, items with their completion mark, and the history of marks.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("approval", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_year"),
    )
    op.create_table(
        "plan_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["school_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_index("ix_plan_stage_plan_id", "plan_stage", ["plan_id"])
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("deadline", sa.String(length=100), nullable=False),
        sa.Column("deadline_kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_comment", sa.Text(), nullable=False),
        sa.Column("evidence_kind", sa.String(length=20), nullable=True),
        sa.Column("evidence_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["school_plan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["done_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_index("ix_plan_item_plan_id", "plan_item", ["plan_id"])
    op.create_table(
        "plan_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("evidence_kind", sa.String(length=20), nullable=True),
        sa.Column("evidence_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["plan_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_mark_item_id", "plan_mark", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_mark_item_id", table_name="plan_mark")
    op.drop_table("plan_mark")
    op.drop_index("ix_plan_item_plan_id", table_name="plan_item")
    op.drop_table("plan_item")
    op.drop_index("ix_plan_stage_plan_id", table_name="plan_stage")
    op.drop_table("plan_stage")
    op.drop_table("school_plan")
