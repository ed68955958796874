"""Row locks for changing an instance and for counters, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, undefer

from service.db.models import Counter, ProcessInstance


def lock_instance(session: Session, instance_id: int) -> ProcessInstance | None:
    """The instance row, locked until the transaction ends (SQLite: BEGIN IMMEDIATE already holds it)."""
    return session.execute(
        select(ProcessInstance)
        .where(ProcessInstance.id == instance_id)
        .options(undefer(ProcessInstance.state_json))
        .with_for_update(of=ProcessInstance)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_instance_of_task(session: Session, task_id: int) -> ProcessInstance | None:
    """The instance a task belongs to, locked, in one statement."""
    from service.db.models import HumanTask

    owner = select(HumanTask.instance_id).where(HumanTask.id == task_id).scalar_subquery()
    return session.execute(
        select(ProcessInstance)
        .where(ProcessInstance.id == owner)
        .options(undefer(ProcessInstance.state_json))
        .with_for_update(of=ProcessInstance)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def next_value(session: Session, name: str) -> int:
    """Increment a named counter atomically and return the new value."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Counter).values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"])
    )
    # UPDATE … RETURNING takes the row lock, so concurrent callers get distinct values.
    value = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()
    return int(value)
