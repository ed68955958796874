"""Forms edited in the browser: revisions of a form's JSON Schema, snapshotted into a version at deploy.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_key", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("schema_json", sa.Text(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["saved_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_key", "revision"),
    )
    op.create_index("ix_form_revision_form_key", "form_revision", ["form_key"])


def downgrade() -> None:
    op.drop_index("ix_form_revision_form_key", table_name="form_revision")
    op.drop_table("form_revision")
