"""Daily digests: which person's school day has been considered, so several workers send one each.

Revision ID: 0013_notify
Revises: 0012_file_refs
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_notify"
down_revision = "0012_file_refs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_digest",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tasks", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("notification_digest")
