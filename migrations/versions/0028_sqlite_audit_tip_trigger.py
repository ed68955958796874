"""On SQLite, an audit event moves its stream's tip itself (a trigger), so an append is two statements.

Every audited write appended its event in three statements on SQLite: lock and read the stream's tip,
insert the event, move the tip to the event's hash. PostgreSQL does the last two in one statement (a
data-modifying CTE), which SQLite does not have; an AFTER INSERT trigger does the same there, inside the
insert's statement (issue 16: each statement of a completion costs ~30 µs of Python around it). The
chain keeps every property: the tip is still the newest event's hash, written in the same transaction,
and a deleted newest event still leaves the tip pointing at it. PostgreSQL is left as it is.

Revision ID: 0028_sqlite_audit_tip_trigger
Revises: 0027_order_index_prefixes
"""

from alembic import op

revision = "0028_sqlite_audit_tip_trigger"
down_revision = "0027_order_index_prefixes"
branch_labels = None
depends_on = None

_CREATE = """
CREATE TRIGGER audit_event_moves_stream_tip AFTER INSERT ON audit_event
BEGIN
    UPDATE audit_stream SET last_hash = NEW.hash
    WHERE audit_stream.school_id = NEW.school_id AND audit_stream.name = NEW.stream;
END
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_moves_stream_tip")
