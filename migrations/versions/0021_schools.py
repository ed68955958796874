"""Schools as tenants: a `school` table and `school_id` on every row a school owns.

Everything that exists becomes school 1 (the single school of a deployment that runs one). Numbers
that were unique in the deployment become unique per school (orders, incidents, minutes, plans,
reports, acts, process and form versions); counters, settings and audit streams are keyed per school.

Revision ID: 0021_schools
Revises: 0020_substitutions
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_schools"
down_revision = "0020_substitutions"
branch_labels = None
depends_on = None

# Rows no school owns.
SHARED = {"school", "login_throttle", "stored_file", "alembic_version"}
# Tiny tables whose primary key gains the school: rebuilt rather than altered.
REKEYED = {
    "counter": [
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    ],
    "school_setting": [
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ],
    "audit_stream": [
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("last_hash", sa.String(64), nullable=False),
    ],
}
# table → (columns unique in the deployment until now, the new constraint's name).
PER_SCHOOL_UNIQUE = {
    "process_definition": (["process_id", "version"], "uq_process_definition_version"),
    "form_revision": (["form_key", "revision"], "uq_form_revision_revision"),
    "school_order": (["number"], "uq_school_order_number"),
    "local_act": (["code"], "uq_local_act_code"),
    "school_plan": (["school_year"], "uq_school_plan_year"),
    "annual_report": (["year"], "uq_annual_report_year"),
    "incident": (["year", "number"], "uq_incident_number"),
    "meeting": (["kind", "number_year", "number"], "uq_meeting_number"),
}


def _add_school_column(table: str, postgres: bool) -> None:
    if postgres:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN school_id INTEGER NOT NULL DEFAULT 1 REFERENCES school(id)"
        )
        # New rows must name their school (the application always does); a forgotten one fails.
        op.execute(f"ALTER TABLE {table} ALTER COLUMN school_id DROP DEFAULT")
    else:
        # SQLite adds a referencing column with a default only while foreign keys are off (they are
        # during migrations); the single-school database keeps the default, and the application
        # writes the column on every row anyway.
        op.execute(f"ALTER TABLE {table} ADD COLUMN school_id INTEGER NOT NULL DEFAULT 1 REFERENCES school(id)")
    op.create_index(f"ix_{table}_school_id", table, ["school_id"])


def _rekey(table: str, columns: list[sa.Column]) -> None:
    names = [c.name for c in columns]
    op.create_table(
        f"{table}_new",
        sa.Column("school_id", sa.Integer(), sa.ForeignKey("school.id"), primary_key=True),
        *columns,
    )
    listed = ", ".join(names)
    op.execute(f"INSERT INTO {table}_new (school_id, {listed}) SELECT 1, {listed} FROM {table}")
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)


def _unique_per_school(table: str, old: list[str], name: str, bind: sa.engine.Connection) -> None:
    new = ["school_id", *old]
    if bind.dialect.name == "postgresql":
        for constraint in sa.inspect(bind).get_unique_constraints(table):
            if constraint["column_names"] == old:
                op.drop_constraint(constraint["name"], table, type_="unique")
        op.create_unique_constraint(name, table, new)
        return
    # SQLite: rebuild the table from its own reflection with the constraint replaced.
    reflected = sa.Table(table, sa.MetaData(), autoload_with=bind)
    for constraint in list(reflected.constraints):
        if isinstance(constraint, sa.UniqueConstraint) and [c.name for c in constraint.columns] == old:
            reflected.constraints.remove(constraint)
    reflected.append_constraint(sa.UniqueConstraint(*new, name=name))
    with op.batch_alter_table(table, copy_from=reflected, recreate="always"):
        pass


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name_kk", sa.String(300), nullable=False),
        sa.Column("name_ru", sa.String(300), nullable=False),
        sa.Column("timezone", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO school (id, code, kind, name_kk, name_ru, timezone, created_at) "
        "VALUES (1, 'school', 'school', '', '', '', CURRENT_TIMESTAMP)"
    )
    if postgres:
        op.execute("SELECT setval(pg_get_serial_sequence('school', 'id'), 1)")
    tables = sorted(set(sa.inspect(bind).get_table_names()) - SHARED - set(REKEYED))
    for table in tables:
        _add_school_column(table, postgres)
    for table, columns in REKEYED.items():
        _rekey(table, columns)
    for table, (old, name) in PER_SCHOOL_UNIQUE.items():
        _unique_per_school(table, old, name, bind)
    # The inbox's indexes lead with the school (a region's school is a small slice of the open tasks).
    op.drop_index("ix_human_task_status_created", table_name="human_task")
    op.create_index("ix_human_task_status_created", "human_task", ["school_id", "status", "created_at"])
    op.drop_index("ix_human_task_unclaimed_created", table_name="human_task")
    _unclaimed_index(["school_id"])
    op.create_index("ix_user_role_school_role", "user_role", ["school_id", "role"])
    op.create_index("ix_human_task_role_school_role", "human_task_role", ["school_id", "role"])


def _unclaimed_index(leading: list[str]) -> None:
    unclaimed = sa.text("status = 'open' AND assignee_id IS NULL")
    op.create_index(
        "ix_human_task_unclaimed_created",
        "human_task",
        [*leading, sa.text("created_at DESC"), sa.text("id DESC")],
        postgresql_where=unclaimed,
        sqlite_where=unclaimed,
    )


def _unkey(table: str, columns: list[sa.Column]) -> None:
    names = [c.name for c in columns]
    op.create_table(f"{table}_old", *columns)
    listed = ", ".join(names)
    op.execute(f"INSERT INTO {table}_old ({listed}) SELECT {listed} FROM {table}")
    op.drop_table(table)
    op.rename_table(f"{table}_old", table)


def downgrade() -> None:
    """Back to one school: refused when the database holds more than one."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT COUNT(*) FROM school")).scalar_one() > 1:
        raise RuntimeError("this database holds several schools; they cannot be merged into one")
    op.drop_index("ix_human_task_role_school_role", table_name="human_task_role")
    op.drop_index("ix_user_role_school_role", table_name="user_role")
    op.drop_index("ix_human_task_unclaimed_created", table_name="human_task")
    _unclaimed_index([])
    op.drop_index("ix_human_task_status_created", table_name="human_task")
    op.create_index("ix_human_task_status_created", "human_task", ["status", "created_at"])
    for table, (old, name) in PER_SCHOOL_UNIQUE.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="unique")
            batch.create_unique_constraint(f"uq_{table}_{'_'.join(old)}", old)
    for table, columns in REKEYED.items():
        _unkey(table, [c._copy() for c in columns])
    inspector = sa.inspect(bind)
    for table in sorted(set(inspector.get_table_names()) - SHARED - set(REKEYED)):
        references = [
            fk["name"]
            for fk in inspector.get_foreign_keys(table)
            if fk["referred_table"] == "school" and fk["name"]
        ]
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_school_id")
            for reference in references:
                batch.drop_constraint(reference, type_="foreignkey")
            batch.drop_column("school_id")
    op.drop_table("school")
