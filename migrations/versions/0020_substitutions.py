"""Out-of-office substitutions: a deputy works on an absent person's tasks for a date range.

Revision ID: 0020_substitutions
Revises: 0019_school_settings
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_substitutions"
down_revision = "0019_school_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "substitution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absent_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["absent_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["deputy_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_substitution_absent_id", "substitution", ["absent_id"])
    op.create_index("ix_substitution_deputy_id", "substitution", ["deputy_id"])


def downgrade() -> None:
    op.drop_index("ix_substitution_deputy_id", "substitution")
    op.drop_index("ix_substitution_absent_id", "substitution")
    op.drop_table("substitution")
