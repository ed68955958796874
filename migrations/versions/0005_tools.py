"""AI tool register and the commission's signed votes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ai_tool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("processes_json", sa.String(length=500), nullable=False),
        sa.Column("data_processed", sa.Text(), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("personal_data_allowed", sa.Boolean(), nullable=False),
        sa.Column("age_limit", sa.String(length=200), nullable=False),
        sa.Column("cost", sa.String(length=200), nullable=False),
        sa.Column("proposer", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("vote_round", sa.Integer(), nullable=False),
        sa.Column("vote_members", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("assessment_json", sa.Text(), nullable=False),
        sa.Column("restrictions_json", sa.Text(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("memo_attachment", sa.String(length=71), nullable=True),
        sa.Column("conclusion_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance_id"),
    )
    op.create_index("ix_ai_tool_status", "ai_tool", ["status"])
    op.create_table(
        "ai_tool_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("vote_round", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=80), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=30), nullable=False),
        sa.Column("security", sa.Integer(), nullable=False),
        sa.Column("data_protection", sa.Integer(), nullable=False),
        sa.Column("functionality", sa.Integer(), nullable=False),
        sa.Column("limitations", sa.Integer(), nullable=False),
        sa.Column("restrictions", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("signature_method", sa.String(length=20), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tool_id"], ["ai_tool.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tool_id", "vote_round", "member"),
        sa.UniqueConstraint("task_id"),
    )
    op.create_index("ix_ai_tool_vote_tool_id", "ai_tool_vote", ["tool_id"])


def downgrade() -> None:
    op.drop_index("ix_ai_tool_vote_tool_id", table_name="ai_tool_vote")
    op.drop_table("ai_tool_vote")
    op.drop_index("ix_ai_tool_status", table_name="ai_tool")
    op.drop_table("ai_tool")
