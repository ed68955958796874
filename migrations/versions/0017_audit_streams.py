"""Audit streams: the chain is split into streams (one per instance, one per actor) with a head each,
so writers to different streams no longer queue on the one audit_head row.

Existing rows form the stream "main", whose head is copied from audit_head; audit_head's row stays as
the epoch row that anchored events lock exclusively (see service/platform/audit/log.py).

Revision ID: 0017_audit_streams
Revises: 0016_meetings
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_audit_streams"
down_revision = "0016_meetings"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_stream",
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("stream", sa.String(120), nullable=False, server_default="main"))
        batch.create_index("ix_audit_event_stream_id", ["stream", "id"])
    op.execute(
        "INSERT INTO audit_stream (name, last_hash) SELECT 'main', last_hash FROM audit_head WHERE id = 1"
    )
    op.execute(
        f"INSERT INTO audit_head (id, last_hash) SELECT 1, '{GENESIS}' "
        "WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)"
    )


def downgrade() -> None:
    # Only a log that never left the stream "main" can go back to one head.
    op.execute(
        "UPDATE audit_head SET last_hash = "
        f"COALESCE((SELECT last_hash FROM audit_stream WHERE name = 'main'), '{GENESIS}')"
    )
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_index("ix_audit_event_stream_id")
        batch.drop_column("stream")
    op.drop_table("audit_stream")
