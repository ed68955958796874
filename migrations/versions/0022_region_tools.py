"""The region register of AI tools: the school evaluations the region adopted, and schools' adoptions.

- `region_tool` (rows of the region): a school's permitted entry the region's administrator adopted
  into the region register, as it stood then (name, uses, restrictions, memo, review date), with the
  school and entry it came from.
- `tool_adoption` (rows of a school): the school adopts a region tool without its own evaluation
  (who, when) and may add restrictions of its own (who, when), shown beside the region's.

Revision ID: 0022_region_tools
Revises: 0021_schools
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_region_tools"
down_revision = "0021_schools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region_tool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("source_school_id", sa.Integer(), nullable=False),
        sa.Column("source_tool_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("vendor", sa.String(200), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("processes_json", sa.String(500), nullable=False),
        sa.Column("restrictions_json", sa.Text(), nullable=False),
        sa.Column("personal_data_allowed", sa.Boolean(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("adopted_by", sa.String(80), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.ForeignKeyConstraint(["source_school_id"], ["school.id"]),
        sa.ForeignKeyConstraint(["source_tool_id"], ["ai_tool.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "source_tool_id", name="uq_region_tool_source"),
    )
    op.create_index("ix_region_tool_school_id", "region_tool", ["school_id"])
    op.create_index("ix_region_tool_source_tool_id", "region_tool", ["source_tool_id"])
    op.create_table(
        "tool_adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("adopted_by", sa.String(80), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restrictions", sa.Text(), nullable=False),
        sa.Column("restricted_by", sa.String(80), nullable=True),
        sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"]),
        sa.ForeignKeyConstraint(["tool_id"], ["ai_tool.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "tool_id", name="uq_tool_adoption_tool"),
    )
    op.create_index("ix_tool_adoption_school_id", "tool_adoption", ["school_id"])
    op.create_index("ix_tool_adoption_tool_id", "tool_adoption", ["tool_id"])


def downgrade() -> None:
    op.drop_index("ix_tool_adoption_tool_id", "tool_adoption")
    op.drop_index("ix_tool_adoption_school_id", "tool_adoption")
    op.drop_table("tool_adoption")
    op.drop_index("ix_region_tool_source_tool_id", "region_tool")
    op.drop_index("ix_region_tool_school_id", "region_tool")
    op.drop_table("region_tool")
