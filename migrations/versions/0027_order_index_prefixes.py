"""Drop the order register's indexes that another index of the same table begins with.

Every draft's first completion writes a `school_order` row and an `order_edition` row, and each rework
another edition (issue 16: the SQLite commit writes every touched index page to the log). Three of
their indexes only repeat the leading column of another, which serves the same lookups and the foreign
key's checks:

- `ix_school_order_school_id` — `uq_school_order_number (school_id, number)` begins with it;
- `ix_school_order_status` — `ix_school_order_region (status, registered_on, school_id)` does;
- `ix_order_edition_order_id` — `UNIQUE (order_id, number)` does.

Revision ID: 0027_order_index_prefixes
Revises: 0026_inbox_index_prefixes
"""

from alembic import op

revision = "0027_order_index_prefixes"
down_revision = "0026_inbox_index_prefixes"
branch_labels = None
depends_on = None

_DROPPED = (
    ("ix_school_order_school_id", "school_order", ["school_id"]),
    ("ix_school_order_status", "school_order", ["status"]),
    ("ix_order_edition_order_id", "order_edition", ["order_id"]),
)


def upgrade() -> None:
    for name, table, _ in _DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in _DROPPED:
        op.create_index(name, table, columns)
