"""Row locks for changing an instance and for counters, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Integer, Select, String, Table, and_, bindparam, func, literal_column, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, undefer
from sqlalchemy.orm.attributes import set_committed_value

from service.platform.persistence import direct, tenancy
from service.platform.persistence.adopt import adopt, columns_of
from service.platform.persistence.models import (
    Counter,
    HumanTask,
    HumanTaskRole,
    ProcessInstance,
    SchoolSetting,
    User,
)

_INSTANCES = cast(Table, ProcessInstance.__table__)
_TASKS = cast(Table, HumanTask.__table__)
_TASK_ROLES = cast(Table, HumanTaskRole.__table__)
_USERS = cast(Table, User.__table__)
_SETTINGS = cast(Table, SchoolSetting.__table__)


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


@dataclass(frozen=True)
class LockedTask:
    """A task with its instance locked, as loaded ORM objects (its candidate roles and assignee too).

    `holder` is who holds the task once the actor the lock was taken for completes it: its assignee,
    else that actor (None when neither is a person of the school)."""

    instance: ProcessInstance
    task: HumanTask
    holder: User | None
    # The school's stored settings ({name: value}), read by the same statement: the engine run that
    # follows a lock reads them (a timer's duration, a deadline), and a statement of its own cost more.
    stored_settings: dict[str, str]


def _task_columns(dialect: str) -> list[Any]:
    """The task's columns, its holder's (`u_…`) and its candidate roles joined by commas (`roles`)."""
    role = _TASK_ROLES.c.role
    joined = (
        func.string_agg(role, literal_column("','")) if dialect == "postgresql" else func.group_concat(role)
    )
    roles = (
        select(joined)
        .where(_TASK_ROLES.c.task_id == _TASKS.c.id, _TASK_ROLES.c.school_id == _TASKS.c.school_id)
        .scalar_subquery()
        .label("roles")
    )
    return [
        *(c.label(f"t_{key}") for key, c in columns_of(HumanTask)),
        *(c.label(f"u_{key}") for key, c in columns_of(User)),
        roles,
        _stored_settings(dialect),
    ]


def _stored_settings(dialect: str) -> Any:
    """The school's stored settings as one JSON object (text): `{}` when it has none."""
    pairs = (
        func.json_object_agg(_SETTINGS.c.name, _SETTINGS.c.value)
        if dialect == "postgresql"
        else func.json_group_object(_SETTINGS.c.name, _SETTINGS.c.value)
    )
    return (
        select(func.coalesce(sql_cast(pairs, String), "{}"))
        .where(_SETTINGS.c.school_id == bindparam("school"))
        .scalar_subquery()
        .label("stored_settings")
    )


def _task_and_holder() -> Any:
    holder = and_(
        _USERS.c.id == func.coalesce(_TASKS.c.assignee_id, bindparam("actor", type_=Integer)),
        _USERS.c.school_id == _TASKS.c.school_id,
    )
    return _TASKS.outerjoin(_USERS, holder)


_WHERE_TASK = (_TASKS.c.id == bindparam("task"), _TASKS.c.school_id == bindparam("school"))
_INSTANCE_COLUMNS = [c.label(f"i_{key}") for key, c in columns_of(ProcessInstance)]


@cache
def _lock_statements(dialect: str) -> tuple[Select[Any], ...]:
    """Built once per dialect (composing them per call cost more than running them).

    PostgreSQL: the instance row FOR UPDATE, then the task read after the lock, so that a completion
    committed while this one waited is seen (one statement would read the task from its snapshot taken
    before the wait). SQLite: BEGIN IMMEDIATE already holds the database's write lock, so one statement."""
    if dialect == "postgresql":
        owner = select(_TASKS.c.instance_id).where(*_WHERE_TASK).scalar_subquery()
        lock = (
            select(*_INSTANCE_COLUMNS)
            .where(_INSTANCES.c.id == owner, _INSTANCES.c.school_id == bindparam("school"))
            .with_for_update(of=_INSTANCES)
        )
        task = select(*_task_columns(dialect)).select_from(_task_and_holder()).where(*_WHERE_TASK)
        return lock, task
    both = (
        select(*_INSTANCE_COLUMNS, *_task_columns(dialect))
        .select_from(_task_and_holder().join(_INSTANCES, _INSTANCES.c.id == _TASKS.c.instance_id))
        .where(*_WHERE_TASK, _INSTANCES.c.school_id == bindparam("school"))
    )
    return (both,)


@cache
def _labels(cls: type, prefix: str) -> tuple[tuple[str, str], ...]:
    """(attribute, the lock statement's label of its column) for a class's columns, made once."""
    return tuple((key, f"{prefix}{key}") for key, _ in columns_of(cls))


def lock_task(session: Session, task_id: int, actor_id: int | None) -> LockedTask | None:
    """Lock the instance of a task and read the task after the lock, in Core, handing out the loaded
    ORM objects (`adopt`): the ORM's loading of the same rows cost five times the reads (issue 16)."""
    school = tenancy.school_of(session)
    conn = session.connection()
    params = {"task": task_id, "school": school, "actor": actor_id}
    rows = [
        direct.execute(conn, stmt, params).mappings().one_or_none()
        for stmt in _lock_statements(conn.dialect.name)
    ]
    if any(row is None for row in rows):
        return None
    row = {k: v for r in rows if r is not None for k, v in r.items()}
    instance = adopt(session, ProcessInstance, {k: row[label] for k, label in _labels(ProcessInstance, "i_")})
    task = adopt(session, HumanTask, {k: row[label] for k, label in _labels(HumanTask, "t_")})
    holder = None
    if row["u_id"] is not None:
        holder = adopt(session, User, {k: row[label] for k, label in _labels(User, "u_")})
    roles = sorted(set(str(row["roles"]).split(","))) if row["roles"] else []
    set_committed_value(
        task,
        "candidate_roles",
        [adopt(session, HumanTaskRole, {"task_id": task.id, "role": r, "school_id": school}) for r in roles],
    )
    set_committed_value(task, "assignee", holder if task.assignee_id is not None else None)
    if task.completed_by_id is None:
        set_committed_value(task, "completed_by", None)
    return LockedTask(instance, task, holder, json.loads(row["stored_settings"]))


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
