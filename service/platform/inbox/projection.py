"""Keeps the inbox table in step with the engine after every run of an instance."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Integer,
    String,
    Table,
    bindparam,
    func,
    inspect,
    literal_column,
    or_,
    select,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.platform.clock import utcnow
from service.platform.durations import add_duration
from service.platform.engine import EngineTask, RunResult
from service.platform.inbox import notices, unclaimed
from service.platform.persistence import direct
from service.platform.persistence.lists import not_for_index, one_of
from service.platform.persistence.models import (
    HumanTask,
    HumanTaskRole,
    ProcessInstance,
    User,
)
from service.platform.runtime import Runtime


def _titles(forms: dict[str, Any], form_key: str | None, fallback: str) -> str:
    form = forms.get(form_key or "", {})
    titles = dict(form.get("x-title") or {})
    titles.setdefault("kk", fallback)
    return json.dumps(titles, ensure_ascii=False)


@dataclass(frozen=True)
class CreatedTask:
    """An inbox row a run created, as written (the API's reply to a start is built from these)."""

    id: int
    instance_id: int
    process_id: str
    engine_task_id: str
    bpmn_id: str
    name: str
    role: str | None
    assignee_id: int | None
    assignee: str | None  # the username
    status: str
    title_i18n: str
    created_at: datetime
    due_at: datetime | None
    candidate_roles: tuple[str, ...]


_TASKS = cast(Table, HumanTask.__table__)
_TASK_ROLES = cast(Table, HumanTaskRole.__table__)
_INSTANCES = cast(Table, ProcessInstance.__table__)
_USERS = cast(Table, User.__table__)


# The hot path's statements, built once with bound parameters: composing them per call cost more than
# running them. An UPDATE's or INSERT's columns are the keys of the parameters it is executed with.
_WRITE_INSTANCE = (
    _INSTANCES.update()
    .where(_INSTANCES.c.id == bindparam("row"), _INSTANCES.c.school_id == bindparam("school"))
    .values(version=_INSTANCES.c.version + 1)
    .returning(_INSTANCES.c.version)
)


@cache
def _write_instance_and_read_open_rows(dialect: str) -> Any:
    """`_WRITE_INSTANCE` that also returns the instance's open inbox rows as "engine id:row id" joined by
    commas (engine ids are UUIDs): one statement where the read after the write was a second one."""
    pair = _TASKS.c.engine_task_id + literal_column("':'") + cast_(_TASKS.c.id, String)
    joined = (
        func.string_agg(pair, literal_column("','")) if dialect == "postgresql" else func.group_concat(pair)
    )
    # SQLite's planner, without statistics, took the (school, status) index for this and read every open
    # task of the school per engine run (0.5 ms at 2,500 open tasks, growing with them): the instance's own
    # index is the one to use.
    school, status = not_for_index(_TASKS.c.school_id, dialect), not_for_index(_TASKS.c.status, dialect)
    open_rows = (
        select(joined)
        .where(
            # The UPDATE's own parameters, not a correlation: RETURNING renders columns unqualified.
            school == bindparam("school"),
            _TASKS.c.instance_id == bindparam("row"),
            # Two comparisons, not IN: a literal IN list is re-rendered into the SQL at every execution.
            or_(status == "open", status == "waiting"),
        )
        .scalar_subquery()
    )
    return _WRITE_INSTANCE.returning(open_rows.label("open_rows"))


@cache
def _withdraw(dialect: str) -> Any:
    return (
        _TASKS.update()
        .where(
            not_for_index(_TASKS.c.school_id, dialect) == bindparam("school"),
            one_of(_TASKS.c.id, "rows", dialect),
        )
        .values(status="cancelled")
    )


@cache
def _people(dialect: str) -> Any:
    return select(_USERS.c.id, _USERS.c.username, _USERS.c.email).where(
        not_for_index(_USERS.c.school_id, dialect) == bindparam("school"),
        one_of(_USERS.c.username, "names", dialect),
        _USERS.c.is_active.is_(True),  # a closed account gets no new task: it falls back to the roles
    )


_INSERT_TASK = _TASKS.insert().returning(_TASKS.c.id)
_INSERT_TASK_ROLE = _TASK_ROLES.insert()
_NEW_TASK_COLUMNS = (
    "school_id",
    "instance_id",
    "process_id",
    "engine_task_id",
    "bpmn_id",
    "name",
    "role",
    "form_key",
    "assignee_id",
    "assigned_directly",
    "status",
    "title_i18n",
    "created_at",
    "due_at",
)


def _insert_task_with_roles() -> Any:
    """PostgreSQL: the task row and its role rows in one statement (data-modifying CTEs), one round trip
    where there were two; the roles come as one array parameter (`roles`), their copy's time as `since`."""
    task = (
        _TASKS.insert()
        .values({name: bindparam(name, type_=_TASKS.c[name].type) for name in _NEW_TASK_COLUMNS})
        .returning(_TASKS.c.id)
        .cte("new_task")
    )
    role = func.unnest(bindparam("roles", type_=ARRAY(String)))
    roles = _TASK_ROLES.insert().from_select(
        ["school_id", "task_id", "role", "unclaimed_created_at"],
        select(
            bindparam("school_id", type_=Integer),
            task.c.id,
            role,
            bindparam("since", type_=_TASK_ROLES.c.unclaimed_created_at.type),
        ).select_from(task),
    )
    return select(task.c.id).add_cte(roles.cte("new_roles"))


_INSERT_TASK_WITH_ROLES = _insert_task_with_roles()


def write_instance(
    session: Session, instance: ProcessInstance, values: dict[str, Any], statement: Any = _WRITE_INSTANCE
) -> Any:
    """Write `values` and whatever else of the ORM object changed onto the instance row in one Core
    UPDATE (its version bumped as the ORM would), then mark the object clean so no flush writes it again.
    Returns what `statement` returns after the version (a variant of `_WRITE_INSTANCE`), or None.

    The caller holds the instance's lock. The ORM's flush of the same changes cost several times the SQL."""
    state = inspect(instance)
    changed = {key: getattr(instance, key) for key in state.committed_state if key in _INSTANCES.c}
    changed.update(values)
    params = {**changed, "row": instance.id, "school": instance.school_id}
    row = direct.execute(session.connection(), statement, params).one()
    for key, value in {**changed, "version": row[0]}.items():
        set_committed_value(instance, key, value)
    return row[1] if len(row) > 1 else None


def save_run(
    rt: Runtime,
    session: Session,
    instance: ProcessInstance,
    result: RunResult,
    forms: dict[str, Any],
    *,
    completed_engine_id: str | None = None,
    instance_values: Mapping[str, Any] | None = None,
) -> list[CreatedTask]:
    """Write the engine's result onto the instance row and refresh its inbox rows.

    Core statements throughout, each naming the school (they bypass the session's tenancy hook): the
    instance row is written once, each new inbox row is one INSERT, and the role holders are told of a
    role task by one INSERT … SELECT. Returns the inbox rows created by this run.
    """
    session.flush()  # the operators' pending ORM rows first, as the autoflush of a query would
    conn = session.connection()
    school = instance.school_id
    now = utcnow()
    values: dict[str, Any] = {
        **(instance_values or {}),
        "state_json": result.state_json,
        "next_timer_at": None if result.completed else result.next_timer_at,
        "error": None,
    }
    if result.completed:
        values.update(status="completed", ended_at=now)
    # Only ids are needed here; loading whole rows with their people and roles costs more than the SQL.
    open_rows = write_instance(
        session, instance, values, _write_instance_and_read_open_rows(conn.dialect.name)
    )
    existing: dict[str, int] = {}
    for pair in (open_rows or "").split(","):
        if pair:
            engine_id, _, row_id = pair.rpartition(":")
            existing[engine_id] = int(row_id)
    ready_ids = {t.engine_task_id for t in result.ready_tasks}
    withdrawn = [
        row_id
        for engine_id, row_id in existing.items()
        if engine_id not in ready_ids and engine_id != completed_engine_id
    ]
    if withdrawn:
        # Withdrawn by the engine: an interrupting timer, an early-closed vote, a cancelled branch.
        direct.execute(
            conn, _withdraw(conn.dialect.name), {"school": school, "rows": withdrawn, "completed_at": now}
        )
        unclaimed.close(session, school, withdrawn)
    new_tasks = [t for t in result.ready_tasks if t.engine_task_id not in existing]
    names = {t.assignee for t in new_tasks if t.assignee}
    people: dict[str, tuple[int, str | None]] = (
        {
            username: (user_id, email)
            for user_id, username, email in direct.execute(
                conn, _people(conn.dialect.name), {"school": school, "names": sorted(names)}
            ).all()
        }
        if names
        else {}
    )
    created = [_insert(rt, conn, instance, task, forms, now, people) for task in new_tasks]
    notices.tell_of_new_rows(rt, session, instance, list(zip(new_tasks, created, strict=True)), people, now)
    return created


def _due_at(rt: Runtime, task: EngineTask, now: datetime) -> datetime | None:
    """A date the process set (`dueOn`: the end of that day at school) or a duration from now (`dueIn`)."""
    if task.due_on:
        try:
            return datetime.combine(date.fromisoformat(task.due_on[:10]), time(23, 59), tzinfo=rt.tz)
        except ValueError:
            pass  # not a date: fall back to the duration
    return add_duration(now, task.due_in, rt.tz) if task.due_in else None


def _insert(
    rt: Runtime,
    conn: Connection,
    instance: ProcessInstance,
    task: EngineTask,
    forms: dict[str, Any],
    now: datetime,
    people: dict[str, tuple[int, str | None]],
) -> CreatedTask:
    waits = task.waits_for_campaign
    # A step waiting on a campaign: kept out of every inbox and every hand (only the campaign ends it).
    assignee = None if waits or not task.assignee else task.assignee
    assignee_id = people[assignee][0] if assignee in people else None
    if assignee_id is None:
        assignee = None
    status = "waiting" if waits else "open"
    title_i18n = _titles(forms, task.form_key, task.name)
    due_at = _due_at(rt, task, now)
    row: dict[str, Any] = {
        "school_id": instance.school_id,
        "instance_id": instance.id,
        "process_id": instance.process_id,
        "engine_task_id": task.engine_task_id,
        "bpmn_id": task.bpmn_id,
        "name": task.name,
        "role": task.lane,
        "form_key": task.form_key,
        "assignee_id": assignee_id,
        "assigned_directly": assignee_id is not None,
        "status": status,
        "title_i18n": title_i18n,
        "created_at": now,
        "due_at": due_at,
    }
    roles = () if waits else tuple(task.roles)
    # Each role row carries the task's open-and-unclaimed state (`unclaimed.py`).
    since = now if status == "open" and assignee_id is None else None
    if roles and conn.dialect.name == "postgresql":
        row_id = int(
            direct.execute(
                conn, _INSERT_TASK_WITH_ROLES, {**row, "roles": list(roles), "since": since}
            ).scalar_one()
        )
    else:
        row_id = int(direct.execute(conn, _INSERT_TASK, row).scalar_one())
    if roles and conn.dialect.name != "postgresql":
        direct.execute(
            conn,
            _INSERT_TASK_ROLE,
            [
                {"school_id": instance.school_id, "task_id": row_id, "role": r, "unclaimed_created_at": since}
                for r in roles
            ],
        )
    return CreatedTask(
        id=row_id,
        instance_id=instance.id,
        process_id=instance.process_id,
        engine_task_id=task.engine_task_id,
        bpmn_id=task.bpmn_id,
        name=task.name,
        role=task.lane,
        assignee_id=assignee_id,
        assignee=assignee,
        status=status,
        title_i18n=title_i18n,
        created_at=now,
        due_at=due_at,
        candidate_roles=roles,
    )


def refresh_moved_rows(
    rt: Runtime, session: Session, instance: ProcessInstance, result: RunResult, forms: dict[str, Any]
) -> int:
    """After a move to another version: the open rows of tasks that kept their engine ids take the new
    version's label, BPMN id, form and roles (who holds a claimed task keeps it). Returns how many."""
    ready = {t.engine_task_id: t for t in result.ready_tasks}
    rows = session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id,
            HumanTask.status.in_(("open", "waiting")),
            HumanTask.engine_task_id.in_(list(ready)),
        )
    ).scalars()
    refreshed, new_roles = 0, []
    for row in rows:
        task = ready[row.engine_task_id]
        row.name = task.name
        row.bpmn_id = task.bpmn_id
        row.form_key = task.form_key
        row.title_i18n = _titles(forms, task.form_key, task.name)
        if row.role != task.lane and row.status == "open":
            row.role = task.lane
            row.candidate_roles = [HumanTaskRole(role=r) for r in task.roles]
            new_roles.append(row.id)
        refreshed += 1
    # Read back from the task as written, not from the row loaded above: a claim may have come between.
    unclaimed.refresh(session, instance.school_id, new_roles)
    return refreshed
