"""Order lifecycle and editions: status from draft to registered, marking, AI declaration, each round's text.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school_order") as batch:
        batch.add_column(sa.Column("title_folded", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("marking", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("ai_assisted", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("ai_help_json", sa.String(length=300), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("verification_code", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("pdf_sha256", sa.String(length=64), nullable=True))
        batch.create_index("ix_school_order_status", ["status"])
        batch.create_unique_constraint("uq_school_order_verification_code", ["verification_code"])
    op.create_table(
        "order_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("attachment", sa.String(length=71), nullable=True),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["school_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "number"),
    )
    op.create_index("ix_order_edition_order_id", "order_edition", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_order_edition_order_id", table_name="order_edition")
    op.drop_table("order_edition")
    with op.batch_alter_table("school_order") as batch:
        batch.drop_constraint("uq_school_order_verification_code", type_="unique")
        batch.drop_index("ix_school_order_status")
        batch.drop_column("pdf_sha256")
        batch.drop_column("verification_code")
        batch.drop_column("ai_help_json")
        batch.drop_column("ai_assisted")
        batch.drop_column("marking")
        batch.drop_column("title_folded")
