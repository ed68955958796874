"""The consultations journal (plan item 22).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_member", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("duty", sa.String(length=300), nullable=False),
        sa.Column("preferred_on", sa.Date(), nullable=True),
        sa.Column("request_note", sa.Text(), nullable=False),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("advice", sa.Text(), nullable=True),
        sa.Column("material", sa.String(length=71), nullable=True),
        sa.Column("tool_id", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=True),
        sa.Column("search_folded", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tool_id"], ["ai_tool.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consultation_staff_member", "consultation", ["staff_member"])
    op.create_index("ix_consultation_status", "consultation", ["status"])
    op.create_index("ix_consultation_held_on", "consultation", ["held_on"])
    op.create_index("ix_consultation_created_at", "consultation", ["created_at"])


def downgrade() -> None:
    for column in ("created_at", "held_on", "status", "staff_member"):
        op.drop_index(f"ix_consultation_{column}", table_name="consultation")
    op.drop_table("consultation")
