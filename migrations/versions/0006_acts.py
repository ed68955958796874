"""Local acts: acts, numbered editions with sections and clauses, and amendments in flight.

Revision ID: 0006
Revises: 0005
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTS = (
    ("ai_regulation", "Мектепте жасанды интеллектті жауапты пайдалану туралы ереже"),
    ("council_regulation", "Үйлестіру-этикалық кеңес туралы ереже"),
    ("responsible_regulation", "Жауапты тұлға туралы ереже"),
    ("evaluation_rules", "АЖ/ЖИ құралдарын бағалау және пайдалану қағидалары"),
)


def upgrade() -> None:
    op.create_table(
        "local_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "act_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=True),
        sa.Column("order_number", sa.String(length=40), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["local_act.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_id"], ["school_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("act_id", "number"),
    )
    op.create_index("ix_act_edition_act_id", "act_edition", ["act_id"])
    op.create_table(
        "act_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["act_edition.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id", "number"),
    )
    op.create_index("ix_act_section_edition_id", "act_section", ["edition_id"])
    op.create_table(
        "act_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["section_id"], ["act_section.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("section_id", "number"),
    )
    op.create_index("ix_act_clause_section_id", "act_clause", ["section_id"])
    op.create_table(
        "act_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=20), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("current_text", sa.Text(), nullable=False),
        sa.Column("proposed_text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("base_edition", sa.Integer(), nullable=False),
        sa.Column("current_edition", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_edition", sa.Integer(), nullable=True),
        sa.Column("proposer", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["local_act.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance_id"),
    )
    op.create_index("ix_act_amendment_act_id", "act_amendment", ["act_id"])
    op.create_index("ix_act_amendment_status", "act_amendment", ["status"])
    # The school's four acts exist from the start (their texts are loaded as editions later).
    acts = sa.table(
        "local_act",
        sa.column("code", sa.String),
        sa.column("title", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(acts, [{"code": code, "title": title, "created_at": now} for code, title in ACTS])


def downgrade() -> None:
    op.drop_index("ix_act_amendment_status", table_name="act_amendment")
    op.drop_index("ix_act_amendment_act_id", table_name="act_amendment")
    op.drop_table("act_amendment")
    op.drop_index("ix_act_clause_section_id", table_name="act_clause")
    op.drop_table("act_clause")
    op.drop_index("ix_act_section_edition_id", table_name="act_section")
    op.drop_table("act_section")
    op.drop_index("ix_act_edition_act_id", table_name="act_edition")
    op.drop_table("act_edition")
    op.drop_table("local_act")
