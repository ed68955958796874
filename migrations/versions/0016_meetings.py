"""Meetings and their minutes: agenda, attendance, decisions, follow-ups, addenda (issue 19).

Revision ID: 0016_meetings
Revises: 0015_surveys
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_meetings"
down_revision = "0015_surveys"
branch_labels = None
depends_on = None

_MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("starts_at", _MOMENT, nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("online_link", sa.String(500), nullable=False),
        sa.Column("chair", sa.String(80), nullable=False),
        sa.Column("secretary", sa.String(80), nullable=False),
        sa.Column("invited_roles", sa.String(300), nullable=False),
        sa.Column("external_count", sa.Integer(), nullable=True),
        sa.Column("external_list", sa.Text(), nullable=False),
        sa.Column("external_present", sa.Integer(), nullable=True),
        sa.Column("plan_item", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("number_year", sa.Integer(), nullable=True),
        sa.Column("approved_at", _MOMENT, nullable=True),
        sa.Column("approved_by", sa.String(80), nullable=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.Column("updated_at", _MOMENT, nullable=False),
        sa.Column("search_folded", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "number_year", "number", name="uq_meeting_number"),
    )
    for column in ("kind", "starts_at", "chair", "secretary", "status", "number_year"):
        op.create_index(f"ix_meeting_{column}", "meeting", [column])
    op.create_table(
        "meeting_invitee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "username"),
    )
    op.create_index("ix_meeting_invitee_meeting_id", "meeting_invitee", ["meeting_id"])
    op.create_index("ix_meeting_invitee_username", "meeting_invitee", ["username"])
    op.create_table(
        "meeting_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("presenter", sa.String(200), nullable=False),
        sa.Column("link_kind", sa.String(40), nullable=True),
        sa.Column("link_ref", sa.String(100), nullable=True),
        sa.Column("heard", sa.Text(), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_agenda_item_meeting_id", "meeting_agenda_item", ["meeting_id"])
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "username"),
    )
    op.create_index("ix_meeting_attendance_meeting_id", "meeting_attendance", ["meeting_id"])
    op.create_table(
        "meeting_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vote", sa.String(10), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("votes_abstain", sa.Integer(), nullable=False),
        sa.Column("named_votes", sa.Text(), nullable=False),
        sa.Column("quorum", sa.Boolean(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["meeting_agenda_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_decision_meeting_id", "meeting_decision", ["meeting_id"])
    op.create_table(
        "meeting_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.String(80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done_at", _MOMENT, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decision_id"], ["meeting_decision.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_followup_meeting_id", "meeting_followup", ["meeting_id"])
    op.create_index("ix_meeting_followup_due_on", "meeting_followup", ["due_on"])
    op.create_index("ix_meeting_followup_campaign_id", "meeting_followup", ["campaign_id"])
    op.create_index("ix_meeting_followup_assignee_status", "meeting_followup", ["assignee", "status"])
    op.create_table(
        "meeting_addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "number"),
    )
    op.create_index("ix_meeting_addendum_meeting_id", "meeting_addendum", ["meeting_id"])


def downgrade() -> None:
    for table in (
        "meeting_addendum",
        "meeting_followup",
        "meeting_decision",
        "meeting_attendance",
        "meeting_agenda_item",
        "meeting_invitee",
        "meeting",
    ):
        op.drop_table(table)
