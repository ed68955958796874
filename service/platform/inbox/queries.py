"""Read queries for inboxes and lists; they read projection tables only and never load a workflow."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import Session, joinedload

from service.platform.inbox.cursor import Cursor
from service.platform.persistence import direct, tenancy
from service.platform.persistence.adopt import adopt, columns_of
from service.platform.persistence.models import (
    HumanTask,
    HumanTaskRole,
    ProcessDefinition,
    ProcessInstance,
    User,
)

SCOPES = ("mine", "roles", "all")
# Counting every match of a role inbox grew with the whole table (17.7 ms at 10,000 instances, 63 ms
# at 100,000): a total is exact up to this many rows past the page asked for, and a lower bound beyond.
TOTAL_BOUND = 1000


@dataclass(frozen=True)
class TaskFilter:
    scope: str = "mine"
    status: str | None = "open"
    instance_id: int | None = None
    process_id: str | None = None
    limit: int = 50
    offset: int = 0
    oldest_first: bool = False  # the landing page lists what has waited longest first
    # Keyset paging: the page right after (or, backwards, right before) this row; offset is then unused.
    cursor: Cursor | None = None


def claimable_clause(roles: Collection[str]) -> Any:
    """Unassigned tasks with a candidate role among `roles` (a probe per task: for the open ones of a
    school, `_waiting_keys` reads the roles' own index instead)."""
    role_match = exists().where(HumanTaskRole.task_id == HumanTask.id, HumanTaskRole.role.in_(list(roles)))
    return (HumanTask.assignee_id.is_(None)) & role_match


def _claimable(user_id: int, roles: Collection[str]) -> Any:
    return claimable_clause(roles)


def _scoped(
    user_id: int, roles: Collection[str], scope: str, sees_everything: bool, also: Collection[int] = ()
) -> Select[Any]:
    query: Select[Any] = select(HumanTask)
    if scope == "mine":
        return query.where(
            HumanTask.assignee_id.in_([user_id, *also]) if also else HumanTask.assignee_id == user_id
        )
    if scope == "roles":
        return query.where(_claimable(user_id, roles))
    if sees_everything:
        return query
    role_match = exists().where(HumanTaskRole.task_id == HumanTask.id, HumanTaskRole.role.in_(list(roles)))
    return query.where(or_(HumanTask.assignee_id.in_([user_id, *also]), role_match))


class TaskPage(NamedTuple):
    """One page of inbox rows, the bounded count of the whole filter, and cursors of the pages beside it
    (None where there is none)."""

    rows: list[HumanTask]
    total: int
    before: Cursor | None
    after: Cursor | None


def list_tasks(
    session: Session,
    user_id: int,
    roles: Collection[str],
    flt: TaskFilter,
    *,
    sees_everything: bool = False,
    private_processes: Collection[str] = (),
    also_assignees: Collection[int] = (),  # people the reader stands in for as their deputy
) -> TaskPage:
    """One page of inbox rows, newest first, and the count for the same filter: exact up to
    `count_bound(flt)`, and `count_bound(flt) + 1` ("more than that") beyond it.

    Rows of `private_processes` appear in the "all" scope only when they are the reader's own.
    """
    if _reads_waiting_keys(flt):
        return _list_waiting(session, roles, flt)
    query = _scoped(user_id, roles, flt.scope, sees_everything, also_assignees)
    if private_processes and flt.scope == "all":
        query = query.where(
            or_(
                HumanTask.process_id.not_in(list(private_processes)),
                HumanTask.assignee_id == user_id,
                HumanTask.completed_by_id == user_id,
            )
        )
    if flt.status:
        query = query.where(HumanTask.status == flt.status)
    else:
        query = query.where(HumanTask.status != "waiting")  # a campaign's step is nobody's task
    if flt.instance_id is not None:
        query = query.where(HumanTask.instance_id == flt.instance_id)
    if flt.process_id:
        query = query.where(HumanTask.process_id == flt.process_id)
    ascending = flt.oldest_first
    # Counted in the listing's order: the planner then walks the index the page reads and stops at the
    # bound, where unordered it hashed every candidate-role row of the table (80 ms at 1,000,000).
    counted = (
        query.with_only_columns(HumanTask.id)
        .order_by(*_order(ascending))
        .limit(count_bound(flt) + 1)
        .subquery()
    )
    total = session.execute(select(func.count()).select_from(counted)).scalar_one()
    offset = flt.offset
    if flt.cursor is not None:
        # Rows past the cursor in the listing's order; a backwards page reads the other way, then flips.
        key, mark = tuple_(HumanTask.created_at, HumanTask.id), tuple_(flt.cursor.at, flt.cursor.id)
        forward = ascending != flt.cursor.backwards
        query = query.where(key > mark if forward else key < mark)
        ascending, offset = forward, 0
    order = _order(ascending)
    rows = list(
        session.execute(
            query.options(
                joinedload(HumanTask.instance).load_only(
                    ProcessInstance.id, ProcessInstance.title, ProcessInstance.process_id
                )
            )
            .order_by(*order)
            .limit(flt.limit + 1)  # one more than the page: whether the listing goes on that way
            .offset(offset)
        )
        .scalars()
        .all()
    )
    return _paged(rows, int(total), flt)


def _reads_waiting_keys(flt: TaskFilter) -> bool:
    """The open tasks my roles may claim, with no other filter: the role rows' copy answers it alone."""
    return flt.scope == "roles" and flt.status == "open" and flt.instance_id is None and not flt.process_id


def _waiting_keys(
    roles: Collection[str], n: int, *, ascending: bool = False, mark: Cursor | None = None
) -> Select[Any]:
    """(id, created_at) of the first `n` open unclaimed tasks with a candidate role among `roles`, in
    the listing's order (after `mark` when given, in the order `ascending` says).

    Each role reads its own range of `ix_human_task_role_unclaimed` and stops at `n`; a task of several
    of the roles comes once (UNION). So the work is at most `n` index entries per role, whatever the size
    of the history: the first `n` of the union are among the first `n` of each role."""
    since, task = HumanTaskRole.unclaimed_created_at, HumanTaskRole.task_id
    parts: list[Select[Any]] = []
    for role in sorted(set(roles)):
        part = select(task.label("id"), since.label("at")).where(
            HumanTaskRole.role == role, since.is_not(None)
        )
        if mark is not None:
            key, at = tuple_(since, task), tuple_(mark.at, mark.id)
            part = part.where(key > at if ascending else key < at)
        ordered = part.order_by(*_key_order(since, task, ascending)).limit(n).subquery()
        parts.append(select(ordered.c.id, ordered.c.at))
    if len(parts) == 1:
        return parts[0]
    merged = union(*parts).subquery()
    return (
        select(merged.c.id, merged.c.at).order_by(*_key_order(merged.c.at, merged.c.id, ascending)).limit(n)
    )


def _key_order(at: Any, row_id: Any, ascending: bool) -> tuple[Any, Any]:
    return (at, row_id) if ascending else (at.desc(), row_id.desc())


def _list_waiting(session: Session, roles: Collection[str], flt: TaskFilter) -> TaskPage:
    """`list_tasks` for scope "roles" and status "open": the count and the page read the roles' index."""
    if not roles:
        return TaskPage([], 0, None, None)
    bound = count_bound(flt)
    counted = _waiting_keys(roles, bound + 1, ascending=flt.oldest_first).subquery()
    total = int(session.execute(select(func.count()).select_from(counted)).scalar_one())
    ascending, offset, mark = flt.oldest_first, flt.offset, None
    if flt.cursor is not None:
        # Rows past the cursor in the listing's order; a backwards page reads the other way, then flips.
        ascending, offset, mark = flt.oldest_first != flt.cursor.backwards, 0, flt.cursor
    keys = _waiting_keys(roles, offset + flt.limit + 1, ascending=ascending, mark=mark).subquery()
    rows = list(
        session.execute(
            select(HumanTask)
            .join(keys, keys.c.id == HumanTask.id)
            .options(
                joinedload(HumanTask.instance).load_only(
                    ProcessInstance.id, ProcessInstance.title, ProcessInstance.process_id
                )
            )
            .order_by(*_key_order(keys.c.at, keys.c.id, ascending))
            .limit(flt.limit + 1)  # one more than the page: whether the listing goes on that way
            .offset(offset)
        )
        .scalars()
        .all()
    )
    return _paged(rows, total, flt)


def _paged(rows: list[HumanTask], total: int, flt: TaskFilter) -> TaskPage:
    """The page of `flt.limit` rows out of `rows` (read in the listing's direction, one more than the
    page), with the cursors of the pages beside it."""
    more, rows = len(rows) > flt.limit, rows[: flt.limit]
    backwards = flt.cursor is not None and flt.cursor.backwards
    if backwards:
        rows.reverse()
    before = after = None
    if rows:
        first, last = rows[0], rows[-1]
        if more if backwards else (flt.cursor is not None or flt.offset > 0):
            before = Cursor(first.created_at, first.id, backwards=True)
        if backwards or more:
            after = Cursor(last.created_at, last.id)
    return TaskPage(rows, int(total), before, after)


def _order(ascending: bool) -> tuple[Any, Any]:
    if ascending:
        return HumanTask.created_at, HumanTask.id
    return HumanTask.created_at.desc(), HumanTask.id.desc()


def count_bound(flt: TaskFilter) -> int:
    """The largest total `list_tasks` counts exactly for this page (always past the page itself)."""
    return max(TOTAL_BOUND, flt.offset + flt.limit)


def total_is_exact(flt: TaskFilter, total: int) -> bool:
    return total <= count_bound(flt)


BADGE_CAP = 100


def _capped_count(session: Session, query: Select[Any]) -> int:
    """Counting stops at BADGE_CAP: a badge shows "99+" and need not scan a whole backlog."""
    limited = query.limit(BADGE_CAP).subquery()
    return int(session.execute(select(func.count()).select_from(limited)).scalar_one())


def inbox_counts(session: Session, user_id: int, roles: Collection[str]) -> tuple[int, int]:
    """(open tasks assigned to me, open tasks my roles may claim) for the navigation badges, capped."""
    mine = _capped_count(
        session, select(HumanTask.id).where(HumanTask.assignee_id == user_id, HumanTask.status == "open")
    )
    claimable = 0
    if roles:
        keys = _waiting_keys(roles, BADGE_CAP).subquery()
        claimable = int(session.execute(select(func.count()).select_from(keys)).scalar_one())
    return int(mine), claimable


@dataclass(frozen=True)
class RoleWaiting:
    """Open tasks of one role nobody has claimed yet: how many (exact up to `TOTAL_BOUND`, then
    `TOTAL_BOUND + 1` with `exact` false), and since when the oldest waits (always exact)."""

    role: str
    count: int
    oldest: datetime

    @property
    def exact(self) -> bool:
        return self.count <= TOTAL_BOUND


def waiting_by_role(session: Session, roles: Collection[str]) -> list[RoleWaiting]:
    """Unclaimed open tasks per role of `roles`, the longest-waiting role first.

    Each role reads its range of `ix_human_task_role_unclaimed` oldest first and stops past
    `TOTAL_BOUND` (one statement for all roles): counting them all grew with the backlog, and the first
    row is the oldest anyway.
    """
    if not roles:
        return []
    parts = []
    since = HumanTaskRole.unclaimed_created_at
    for role in sorted(set(roles)):
        oldest_first = (
            select(since.label("created_at"))
            .where(HumanTaskRole.role == role, since.is_not(None))
            .order_by(since, HumanTaskRole.task_id)
            .limit(TOTAL_BOUND + 1)
            .subquery()
        )
        parts.append(
            select(
                literal(role).label("role"), func.count().label("n"), func.min(oldest_first.c.created_at)
            ).select_from(oldest_first)
        )
    found = session.execute(union_all(*parts)).all()
    waiting = [RoleWaiting(role, int(n), first) for role, n, first in found if n]
    return sorted(waiting, key=lambda w: (w.oldest, w.role))


def active_definitions(session: Session) -> list[ProcessDefinition]:
    return list(
        session.execute(
            select(ProcessDefinition)
            .where(ProcessDefinition.is_active.is_(True))
            .order_by(ProcessDefinition.process_id)
        ).scalars()
    )


def _active_definition_statement() -> Select[Any]:
    """The active version's columns that the ORM loads (not the deferred diagram, spec and forms),
    built once: every start reads it, and the ORM's loading of the row cost more than the SQL."""
    table = cast(Table, ProcessDefinition.__table__)
    loaded = [c.label(key) for key, c in columns_of(ProcessDefinition) if key not in _DEFERRED]
    return select(*loaded).where(
        table.c.school_id == bindparam("school"),
        table.c.process_id == bindparam("process"),
        table.c.is_active.is_(True),
    )


_DEFERRED = frozenset({"bpmn_xml", "spec_json", "forms_json"})
_ACTIVE_DEFINITION = _active_definition_statement()


def active_definition(session: Session, process_id: str) -> ProcessDefinition | None:
    """The process's active version, as a loaded object (its deferred columns load on access)."""
    params = {"school": tenancy.school_of(session), "process": process_id}
    row = direct.execute(session.connection(), _ACTIVE_DEFINITION, params).mappings().one_or_none()
    return adopt(session, ProcessDefinition, dict(row)) if row is not None else None


class DefinitionCounts(NamedTuple):
    definition: ProcessDefinition
    deployed_by: str | None  # the deployer's full name
    running: int  # instances still running on this version
    total: int  # every instance ever started on it


def definitions_with_counts(session: Session, process_id: str | None = None) -> list[DefinitionCounts]:
    """Every deployed version (of one process, or of all) with its deployer and instance counts,
    by process and newest version first: the admin's process list and the editor's version list."""
    counts = (
        select(
            ProcessInstance.definition_id,
            func.sum(case((ProcessInstance.status == "running", 1), else_=0)).label("running"),
            func.count().label("total"),
        )
        .group_by(ProcessInstance.definition_id)
        .subquery()
    )
    query = (
        select(
            ProcessDefinition,
            User.full_name,
            func.coalesce(counts.c.running, 0),
            func.coalesce(counts.c.total, 0),
        )
        .outerjoin(User, User.id == ProcessDefinition.deployed_by_id)
        .outerjoin(counts, counts.c.definition_id == ProcessDefinition.id)
        .order_by(ProcessDefinition.process_id, ProcessDefinition.version.desc())
    )
    if process_id is not None:
        query = query.where(ProcessDefinition.process_id == process_id)
    return [
        DefinitionCounts(d, name, int(running), int(total))
        for d, name, running, total in session.execute(query).all()
    ]


def open_tasks_of(session: Session, instance_id: int) -> list[HumanTask]:
    return list(
        session.execute(
            select(HumanTask)
            .where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
            .order_by(HumanTask.id)
        ).scalars()
    )


def users_with_role(session: Session, role: str) -> list[User]:
    from service.platform.persistence.models import UserRole

    return list(
        session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.is_active.is_(True))
            .order_by(User.username)
        ).scalars()
    )


def full_names(session: Session, usernames: Collection[str | None]) -> dict[str, str]:
    """username → full name for the people a list or a document names (one query); unknown ones are
    left out, so callers show the login only for an account that no longer exists."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.full_name).where(User.username.in_(wanted))).all()
    return {username: name or username for username, name in rows}


def user_by_username(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


class InstancePage(NamedTuple):
    """One page of instances, the bounded total (`exact` false past the bound) and the pages beside."""

    rows: list[ProcessInstance]
    total: int
    exact: bool
    before: Cursor | None
    after: Cursor | None


def list_instances(
    session: Session,
    *,
    started_by: int | None = None,
    limit: int = 50,
    offset: int = 0,
    hidden_processes: Collection[str] = (),
    cursor: Cursor | None = None,
) -> InstancePage:
    """Newest first; the total is bounded like the inbox's (`TOTAL_BOUND` past the page); a cursor
    (by id, see `cursor.py`) starts the page beside the row it names, whatever the depth."""
    query = select(ProcessInstance)
    if hidden_processes:
        query = query.where(ProcessInstance.process_id.not_in(list(hidden_processes)))
    if started_by is not None:
        query = query.where(ProcessInstance.started_by_id == started_by)
    bound = max(TOTAL_BOUND, offset + limit)
    counted = query.with_only_columns(ProcessInstance.id).limit(bound + 1).subquery()
    total = session.execute(select(func.count()).select_from(counted)).scalar_one()
    backwards = cursor is not None and cursor.backwards
    if cursor is not None:
        query = query.where(ProcessInstance.id > cursor.id if backwards else ProcessInstance.id < cursor.id)
        offset = 0
    order = ProcessInstance.id.asc() if backwards else ProcessInstance.id.desc()
    rows = list(session.execute(query.order_by(order).limit(limit + 1).offset(offset)).scalars().all())
    more, rows = len(rows) > limit, rows[:limit]
    if backwards:
        rows.reverse()
    before = after = None
    if rows:
        if more if backwards else (cursor is not None or offset > 0):
            before = Cursor(None, rows[0].id, backwards=True)
        if backwards or more:
            after = Cursor(None, rows[-1].id)
    return InstancePage(rows, int(total), total <= bound, before, after)
