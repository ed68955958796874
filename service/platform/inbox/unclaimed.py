"""Each candidate-role row's copy of its task's open-and-unclaimed state, kept with every change of it.

Which tasks are open and unclaimed is `human_task`'s status and assignee; their roles are
`human_task_role` rows, and no index spans two tables: counting a role's unclaimed tasks walked every
unclaimed task of the school and probed its roles (bench/RESULTS.md, "Inbox at a million instances").
So each role row carries `unclaimed_created_at`, the task's `created_at` while the task is open and
unassigned and NULL otherwise, and a partial index per (school, role) makes a role's waiting work one
index range (migration 0025).

Every statement that changes a task's status or assignee is followed, in its transaction, by one of
these: `close` when the task can no longer be claimable (claimed, reassigned, completed, withdrawn,
cancelled), `refresh` when it may have become claimable again (released, roles replaced). New rows
are written with the copy (`projection._insert`). The task row is written first, then its role rows,
everywhere: concurrent writers of one task then queue on the task row and the last one's copy stands,
and `refresh` reads the task as it stands after its own write. `drifted` lists the tasks whose copy
disagrees with the task (checked after every test that used a database).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, or_, select
from sqlalchemy.orm import Session

from service.platform.persistence.models import HumanTask, HumanTaskRole

_TASKS = cast(Table, HumanTask.__table__)
_ROLES = cast(Table, HumanTaskRole.__table__)


def _connection(session: Session) -> Connection:
    session.flush()  # the task row's pending ORM change first: the task row is always written first
    return session.connection()


def close(session: Session, school: int, task_ids: Collection[int]) -> None:
    """The tasks are claimed or closed now: their role rows leave every role's waiting list."""
    if not task_ids:
        return
    _connection(session).execute(
        _ROLES.update()
        .where(
            _ROLES.c.school_id == school,
            _ROLES.c.task_id.in_(list(task_ids)),
            _ROLES.c.unclaimed_created_at.is_not(None),
        )
        .values(unclaimed_created_at=None)
    )


def close_instance(session: Session, school: int, instance_id: int) -> None:
    """Every task of a cancelled instance leaves the waiting lists."""
    of_instance = select(_TASKS.c.id).where(_TASKS.c.school_id == school, _TASKS.c.instance_id == instance_id)
    _connection(session).execute(
        _ROLES.update()
        .where(
            _ROLES.c.school_id == school,
            _ROLES.c.task_id.in_(of_instance),
            _ROLES.c.unclaimed_created_at.is_not(None),
        )
        .values(unclaimed_created_at=None)
    )


def _claimable_since() -> Any:
    """The task's `created_at` if it is open and unassigned, else NULL (correlated to the role row)."""
    return (
        select(_TASKS.c.created_at)
        .where(
            _TASKS.c.id == _ROLES.c.task_id,
            _TASKS.c.school_id == _ROLES.c.school_id,
            _TASKS.c.status == "open",
            _TASKS.c.assignee_id.is_(None),
        )
        .scalar_subquery()
    )


def refresh(session: Session, school: int, task_ids: Collection[int]) -> None:
    """Copy the tasks' state as it stands (after this transaction's own writes) onto their role rows."""
    if not task_ids:
        return
    _connection(session).execute(
        _ROLES.update()
        .where(_ROLES.c.school_id == school, _ROLES.c.task_id.in_(list(task_ids)))
        .values(unclaimed_created_at=_claimable_since())
    )


def drifted(conn: Connection, school: int | None) -> list[int]:
    """Tasks (of `school`, or of every school) whose role rows' copy disagrees with the task: empty when
    all is well (the tests check it after every test that used a database)."""
    wanted = _claimable_since()
    copy = _ROLES.c.unclaimed_created_at
    query = select(_ROLES.c.task_id).where(
        or_(
            and_(copy.is_(None), wanted.is_not(None)),
            and_(copy.is_not(None), or_(wanted.is_(None), wanted != copy)),
        )
    )
    if school is not None:
        query = query.where(_ROLES.c.school_id == school)
    return [int(task_id) for task_id in conn.execute(query.distinct().order_by(_ROLES.c.task_id)).scalars()]
