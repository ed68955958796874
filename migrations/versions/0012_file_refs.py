"""Who uploaded each stored file and which instances' forms refer to it, so access checks read a table
instead of searching every task's data, and a form cannot name a file its submitter never had.

Revision ID: 0012_file_refs
Revises: 0011
"""

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012_file_refs"
down_revision = "0011"
branch_labels = None
depends_on = None

_REF = re.compile(r"sha256:([0-9a-f]{64})")


def upgrade() -> None:
    table = op.create_table(
        "file_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_file_reference_sha256", "file_reference", ["sha256"])
    op.create_index("ix_file_reference_instance", "file_reference", ["instance_id"])
    # What the old rules allowed stays allowed: each file's uploader, and every task that names it.
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = [
        {"sha256": sha, "user_id": user, "instance_id": None, "task_id": None, "created_at": now}
        for sha, user in conn.execute(sa.text("SELECT sha256, uploaded_by_id FROM stored_file")).all()
    ]
    named = sa.text(
        "SELECT id, instance_id, completed_by_id, data_json FROM human_task WHERE data_json LIKE '%sha256:%'"
    )
    for task_id, instance_id, user, data in conn.execute(named).all():
        for sha in set(_REF.findall(data or "")):
            row = {"sha256": sha, "user_id": user, "instance_id": instance_id, "task_id": task_id}
            rows.append({**row, "created_at": now})
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_file_reference_instance", table_name="file_reference")
    op.drop_index("ix_file_reference_sha256", table_name="file_reference")
    op.drop_table("file_reference")
