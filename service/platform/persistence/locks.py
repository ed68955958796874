"""Row locks for changing an instance and for counters, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, undefer

from service.platform.persistence.models import Counter, HumanTask, ProcessInstance


def _locked_instance(session: Session, which: Any) -> ProcessInstance | None:
    """The instance row matching `which`, with its state, locked until the transaction ends.

    PostgreSQL: SELECT … FOR UPDATE; SQLite: BEGIN IMMEDIATE already holds the database's write lock.
    """
    return session.execute(
        select(ProcessInstance)
        .where(which)
        .options(undefer(ProcessInstance.state_json))
        .with_for_update(of=ProcessInstance)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_instance(session: Session, instance_id: int) -> ProcessInstance | None:
    return _locked_instance(session, ProcessInstance.id == instance_id)


def lock_instance_of_task(session: Session, task_id: int) -> ProcessInstance | None:
    """The instance a task belongs to, locked, in one statement."""
    owner = select(HumanTask.instance_id).where(HumanTask.id == task_id).scalar_subquery()
    return _locked_instance(session, ProcessInstance.id == owner)


def next_value(session: Session, name: str) -> int:
    """Increment a named counter atomically and return the new value."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Counters are per school (the acting one: the column's default and the session's criteria).
    session.execute(
        insert(Counter)
        .values(name=name, value=0)
        .on_conflict_do_nothing(index_elements=["school_id", "name"])
    )
    # UPDATE … RETURNING takes the row lock, so concurrent callers get distinct values.
    value = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()
    return int(value)
