"""Incident journal and follow-up actions; e-mail retries for the notification outbox.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reporter", sa.String(length=80), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("incident_type", sa.String(length=40), nullable=False),
        sa.Column("tool", sa.String(length=300), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("affected", sa.Text(), nullable=False),
        sa.Column("evidence", sa.String(length=71), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=True),
        sa.Column("triaged_by", sa.String(length=80), nullable=True),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("vote_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("vote_json", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=40), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("tool_action", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance_id"),
        sa.UniqueConstraint("year", "number"),
    )
    op.create_index("ix_incident_reported_at", "incident", ["reported_at"])
    op.create_index("ix_incident_reporter", "incident", ["reporter"])
    op.create_index("ix_incident_incident_type", "incident", ["incident_type"])
    op.create_index("ix_incident_status", "incident", ["status"])
    op.create_table(
        "incident_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.String(length=80), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_follow_up_incident_id", "incident_follow_up", ["incident_id"])
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("email_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("email_next_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("email_next_at")
        batch.drop_column("email_attempts")
    op.drop_index("ix_incident_follow_up_incident_id", table_name="incident_follow_up")
    op.drop_table("incident_follow_up")
    op.drop_index("ix_incident_status", table_name="incident")
    op.drop_index("ix_incident_incident_type", table_name="incident")
    op.drop_index("ix_incident_reporter", table_name="incident")
    op.drop_index("ix_incident_reported_at", table_name="incident")
    op.drop_table("incident")
