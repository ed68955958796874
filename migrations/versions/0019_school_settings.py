"""School settings: the admin's values of the deadlines and voting rules the features declare.

Revision ID: 0019_school_settings
Revises: 0018_register_restrictions
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_school_settings"
down_revision = "0018_register_restrictions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_setting",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("school_setting")
