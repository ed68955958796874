"""Schools as tenants: which school is acting, and the criteria that keep every query inside it.

Every table mapped on `models.Base` carries `school_id` (tables shared by all schools are mapped on
`models.SharedTable` instead). A unit of work runs for one school — the signed-in user's, the instance
a timer wakes, the school a command names — and the session adds `school_id = <acting>` to every ORM
SELECT, UPDATE and DELETE of such a table (joins, relationship loads and `Session.get` included) and
writes it into every new row. A feature therefore cannot forget the filter: it never writes one.

The few reads that must cross schools (sign-in by user name or token, a worker finding due timers,
the region's counts) say so with `all_schools()`; nothing else can see another school's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

DEFAULT_SCHOOL: Final = 1  # the single school of a deployment that runs one (`make run`)
ALL: Final = -1  # the acting scope of a read that crosses schools on purpose

CROSSING: Final = "all_schools"  # the execution option of a single statement that crosses schools

_acting: ContextVar[int | None] = ContextVar("acting_school", default=None)


class NoSchool(RuntimeError):
    """A unit of work touched a school's table with no school acting: a bug, never a user's error."""


def acting_school() -> int | None:
    """The school whose rows this unit of work sees (None: none chosen yet; `ALL`: every school)."""
    return _acting.get()


def school_for_new_rows() -> int:
    """The `school_id` a new row gets (a column default, so ORM and Core inserts alike get it)."""
    school = _acting.get()
    if school is None or school == ALL:
        raise NoSchool("a row was written with no school acting")
    return school


def enter(school: int | None) -> Any:
    """Make `school` the acting one until `leave(token)`; for a request's or a job's whole length."""
    return _acting.set(school)


def leave(token: Any) -> None:
    _acting.reset(token)


@contextmanager
def acting_as(school: int | None) -> Iterator[None]:
    """`with acting_as(3):` — everything inside reads and writes school 3's rows only."""
    token = _acting.set(school)
    try:
        yield
    finally:
        _acting.reset(token)


@contextmanager
def all_schools() -> Iterator[None]:
    """A read that crosses schools on purpose (sign-in, due timers, the region's counts)."""
    with acting_as(ALL):
        yield


def install(owned: type, session_class: Any) -> None:
    """Add the acting school's criteria to every ORM statement `session_class` runs on `owned` tables."""

    @event.listens_for(session_class, "do_orm_execute")
    def _scope(state: ORMExecuteState) -> None:
        if not (state.is_select or state.is_update or state.is_delete):
            return
        if state.is_column_load or state.is_relationship_load:
            return  # the criteria of the statement that loaded the parent travel with it
        if state.execution_options.get(CROSSING):
            return  # one statement that looks across schools on purpose (a user name's uniqueness)
        school = state.session.info.get("school", _acting.get())
        if school == ALL:
            return
        if school is None:
            raise NoSchool("a query ran with no school acting")
        state.statement = state.statement.options(
            with_loader_criteria(owned, lambda table: table.school_id == school, include_aliases=True)
        )


def school_of(session: Session) -> int:
    """The one school `session` acts for, for a Core statement that names it itself."""
    school = session.info.get("school", _acting.get())
    if school is None or school == ALL:
        raise NoSchool("a statement naming its school ran with no school acting")
    return int(school)


def bind(session: Session, school: int | None) -> None:
    """Pin `session` to `school` for its whole life, whatever acts later in the same thread."""
    if school is not None:
        session.info["school"] = school
