"""An object made from a Core row (`adopt`) behaves as one a query loaded: persistent, clean, its other
attributes and relationships loading on access, its changes flushed, the session's own copy reused."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from service.platform.persistence.adopt import adopt
from service.platform.persistence.models import School, User, UserRole
from service.platform.persistence.session import Database


def _user(db: Database) -> tuple[int, int]:
    with db.session() as session:
        school = session.execute(select(School.id).order_by(School.id)).scalars().first()
        user = User(username="adopted", full_name="Adopted One", password_hash="x", school_id=school)
        user.roles.append(UserRole(role="teacher", school_id=school))
        session.add(user)
        session.flush()
        return user.id, user.school_id


def test_an_adopted_row_is_a_clean_persistent_object_that_loads_the_rest(db: Database) -> None:
    user_id, school = _user(db)
    with db.session() as session:
        user = adopt(session, User, {"id": user_id, "username": "adopted", "school_id": school})
        state = inspect(user)
        assert state.persistent and not session.dirty and not session.new
        assert session.get(User, user_id) is user  # in the identity map: no second object, no query
        assert user.full_name == "Adopted One"  # not given: loaded on first access
        assert [r.role for r in user.roles] == ["teacher"]  # relationships load as for a queried object
        user.full_name = "Renamed"
        assert list(session.dirty) == [user]
    with db.session() as session:
        assert session.get(User, user_id).full_name == "Renamed"  # type: ignore[union-attr]


def test_the_sessions_own_object_takes_the_rows_values(db: Database) -> None:
    user_id, school = _user(db)
    with db.session() as session:
        loaded = session.get(User, user_id)
        again = adopt(
            session, User, {"id": user_id, "username": "adopted", "full_name": "Fresh", "school_id": school}
        )
        assert again is loaded and again.full_name == "Fresh" and not session.dirty


def test_a_rolled_back_transaction_leaves_nothing_of_it(db: Database) -> None:
    user_id, school = _user(db)
    with pytest.raises(RuntimeError), db.session() as session:
        user = adopt(session, User, {"id": user_id, "username": "adopted", "school_id": school})
        user.full_name = "Lost"
        session.flush()
        raise RuntimeError("the use case fails")
    with db.session() as session:
        assert session.get(User, user_id).full_name == "Adopted One"  # type: ignore[union-attr]
