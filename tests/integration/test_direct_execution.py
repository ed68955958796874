"""Statements run on the driver's cursor (`persistence/direct.py`) give what SQLAlchemy's execution gives:
the same rows, types and errors, in the caller's transaction; anything it cannot run the same way, or
that someone is watching, goes through SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError, NoResultFound

from service.platform.persistence import direct
from service.platform.persistence.models import School, SchoolSetting, User
from service.platform.persistence.session import Database

_USERS = cast(Table, User.__table__)
_SETTINGS = cast(Table, SchoolSetting.__table__)

_READ_USER = select(
    _USERS.c.id, _USERS.c.username, _USERS.c.is_active, _USERS.c.created_at, _USERS.c.school_id
).where(_USERS.c.username == bindparam("name"), _USERS.c.school_id == bindparam("school"))
_RENAME = update(_USERS).where(_USERS.c.id == bindparam("row")).values(full_name=bindparam("full_name"))
_INSERT_SETTING = insert(_SETTINGS)
_BY_NAMES = select(_USERS.c.username).where(_USERS.c.username.in_(bindparam("names", expanding=True)))


def _first_user(db: Database) -> tuple[int, str, int]:
    with db.session() as session:
        user = session.execute(select(User).order_by(User.id).limit(1)).scalar_one_or_none()
        if user is None:
            school = session.execute(select(School.id).order_by(School.id)).scalar_one()
            user = User(username="direct", full_name="Direct", password_hash="x", school_id=school)
            session.add(user)
            session.flush()
        return user.id, user.username, user.school_id


def test_rows_and_types_are_those_sqlalchemy_gives(db: Database) -> None:
    _, name, school = _first_user(db)
    params = {"name": name, "school": school}
    with db.session() as session:
        conn = session.connection()
        ours = direct.execute(conn, _READ_USER, params).one()
        theirs = conn.execute(_READ_USER, params).one()
    assert tuple(ours) == tuple(theirs)
    assert isinstance(ours.is_active, bool)  # SQLite's 1 comes back as True, as SQLAlchemy converts it
    assert isinstance(ours.created_at, datetime) and ours.created_at.tzinfo is not None
    assert (
        direct.execute(db.engine.connect(), _READ_USER, {"name": "nobody", "school": school}).first() is None
    )


def test_writes_join_the_callers_transaction_and_roll_back_with_it(db: Database) -> None:
    user_id, _, _ = _first_user(db)
    with pytest.raises(RuntimeError), db.session() as session:
        assert (
            direct.execute(session.connection(), _RENAME, {"row": user_id, "full_name": "Lost"}).rowcount == 1
        )
        raise RuntimeError("the use case fails after the write")
    with db.session() as session:
        assert session.get(User, user_id).full_name != "Lost"  # type: ignore[union-attr]
        direct.execute(session.connection(), _RENAME, {"row": user_id, "full_name": "Kept"})
    with db.session() as session:
        assert session.get(User, user_id).full_name == "Kept"  # type: ignore[union-attr]


def test_a_timestamp_is_stored_as_sqlalchemy_stores_it(db: Database) -> None:
    """Bind conversions apply: rows written here (one executemany) read back the same through the ORM."""
    _, _, school = _first_user(db)
    at = datetime(2026, 12, 6, 9, 30, 15, 123456, tzinfo=UTC)
    rows = [
        {"school_id": school, "name": f"direct_{n}", "value": str(n), "updated_by": "t", "updated_at": at}
        for n in range(3)
    ]
    with db.session() as session:
        direct.execute(session.connection(), _INSERT_SETTING, rows)
    with db.read() as session:
        stored = session.execute(select(SchoolSetting).where(SchoolSetting.name.like("direct_%"))).scalars()
        assert sorted((s.value, s.updated_at) for s in stored) == [("0", at), ("1", at), ("2", at)]


def test_a_python_side_default_is_computed_as_sqlalchemy_computes_it(db: Database) -> None:
    """`updated_at` left out has a Python default of no arguments (the clock): computed here, converted
    as SQLAlchemy converts it; a default that needs SQLAlchemy's execution context is left to it."""
    _, _, school = _first_user(db)
    keys = frozenset({"school_id", "name", "value", "updated_by"})
    assert direct._compiled(_INSERT_SETTING, db.engine.dialect, keys) is not None
    before = datetime.now(UTC)
    with db.session() as session:
        row = {"school_id": school, "name": "direct_default", "value": "1", "updated_by": "t"}
        direct.execute(session.connection(), _INSERT_SETTING, row)
    with db.read() as session:
        stored = session.get(SchoolSetting, (school, "direct_default"))
        assert stored is not None and before <= stored.updated_at <= datetime.now(UTC)
    contextual = Table(
        "direct_contextual",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("copy", Integer, default=lambda context: context.get_current_parameters()["id"]),
        Column("fixed", String(5), default="x"),
    )
    assert direct._compiled(insert(contextual), db.engine.dialect, frozenset({"id"})) is None
    fixed_only = insert(contextual).values(copy=bindparam("copy"))
    compiled = direct._compiled(fixed_only, db.engine.dialect, frozenset({"id", "copy"}))
    assert compiled is not None
    assert compiled.arguments({"id": 1, "copy": 2}) in ((1, 2, "x"), {"id": 1, "copy": 2, "fixed": "x"})


def test_a_constraint_violation_is_sqlalchemys_error(db: Database) -> None:
    _, _, school = _first_user(db)
    row = {
        "school_id": school,
        "name": "direct_once",
        "value": "1",
        "updated_by": "t",
        "updated_at": datetime.now(UTC),
    }
    with db.session() as session:
        direct.execute(session.connection(), _INSERT_SETTING, row)
    with pytest.raises(IntegrityError), db.session() as session:
        direct.execute(session.connection(), _INSERT_SETTING, row)


def test_one_without_a_row_raises_as_sqlalchemy_does(db: Database) -> None:
    with db.read() as session, pytest.raises(NoResultFound):
        direct.execute(session.connection(), _READ_USER, {"name": "nobody", "school": 1}).one()


def test_what_cannot_run_alike_or_is_watched_goes_through_sqlalchemy(db: Database) -> None:
    _, name, school = _first_user(db)
    seen: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    with db.read() as session:
        # An expanding IN is re-rendered per call: SQLAlchemy runs it.
        found = direct.execute(session.connection(), _BY_NAMES, {"names": [name, "nobody"]}).all()
        assert [tuple(r) for r in found] == [(name,)]
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        with db.read() as session:
            direct.execute(session.connection(), _READ_USER, {"name": name, "school": school}).one()
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert any("FROM app_user" in statement for statement in seen)  # a test counting statements sees it


def test_a_single_read_opens_no_transaction(db: Database) -> None:
    """The token check's connection runs each statement as its own transaction: `execute` begins none
    there (nothing to roll back at its return), while a unit of work's connection is begun as before."""
    _, name, school = _first_user(db)
    with db.read_connection() as conn:
        assert direct.execute(conn, _READ_USER, {"name": name, "school": school}).one().username == name
        assert not conn.in_transaction()
    with db.engine.connect() as conn:
        direct.execute(conn, _READ_USER, {"name": name, "school": school}).one()
        assert conn.in_transaction()
        conn.rollback()
