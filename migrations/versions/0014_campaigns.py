"""Campaigns: per-person tasks (acknowledgements, surveys) kept outside the engine's instance state.

Revision ID: 0014_campaigns
Revises: 0013_notify
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_campaigns"
down_revision = "0013_notify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("subject_ref", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("doc_version", sa.String(100), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("wait_step", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(80), nullable=True),
        sa.Column("audience", sa.Integer(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaign_kind", "campaign", ["kind"])
    op.create_index("ix_campaign_instance_id", "campaign", ["instance_id"])
    op.create_index("ix_campaign_open_deadline", "campaign", ["status", "deadline_at"])
    op.create_table(
        "campaign_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_version", sa.String(100), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "user_id"),
    )
    op.create_index("ix_campaign_task_user_status", "campaign_task", ["user_id", "status", "campaign_id"])
    op.create_index("ix_campaign_task_campaign_status", "campaign_task", ["campaign_id", "status"])


def downgrade() -> None:
    op.drop_table("campaign_task")
    op.drop_table("campaign")
