"""Surveys: the survey and its answers, kept apart from who took part (plan items 1, 9, 26).

Revision ID: 0015_surveys
Revises: 0014_campaigns
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_surveys"
down_revision = "0014_campaigns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_json", sa.Text(), nullable=False),
        sa.Column("intro_json", sa.Text(), nullable=False),
        sa.Column("questions_json", sa.Text(), nullable=False),
        sa.Column("privacy", sa.String(20), nullable=False),
        sa.Column("audience_roles", sa.Text(), nullable=False),
        sa.Column("audience_people", sa.Text(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("plan_item", sa.Integer(), nullable=True),
        sa.Column("template_key", sa.String(60), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_status", "survey", ["status"])
    op.create_index("ix_survey_template_key", "survey", ["template_key"])
    op.create_index("ix_survey_campaign_id", "survey", ["campaign_id"])
    # No person, no time, a random key; on SQLite WITHOUT ROWID (no hidden sequential row number).
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("answers_json", sa.Text(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["respondent_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_survey_answer_survey_id", "survey_answer", ["survey_id"])


def downgrade() -> None:
    op.drop_table("survey_answer")
    op.drop_table("survey")
