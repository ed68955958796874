"""process_instance.version is an optimistic check behind the row lock: a write from a stale read is a 409.

Every use case that changes an instance locks its row first (persistence/locks.py), so it always
reads the latest version and never trips the check; the check catches a writer that did not lock.
On SQLite two writing transactions never overlap (BEGIN IMMEDIATE), so there the stale copy is one
read in an earlier unit of work; on PostgreSQL the two transactions also overlap for real.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from service.platform.errors import ConcurrentChange, Conflict
from service.platform.persistence.locks import lock_instance
from service.platform.persistence.models import ProcessDefinition, ProcessInstance
from service.platform.persistence.session import Database


def _database(url: str) -> Iterator[Database]:
    db = Database(url)
    yield db
    db.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    yield from _database(db_url)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    yield from _database(pg_url)


def _instance(db: Database) -> int:
    """A running instance of a stand-in definition: only the rows the check is about."""
    with db.session() as session:
        definition = ProcessDefinition(
            process_id="p", version=1, name="P", filename="p.bpmn", bpmn_xml="", sha256="0",
            spec_json="{}", forms_json="{}",
        )
        session.add(definition)
        session.flush()
        instance = ProcessInstance(
            definition_id=definition.id, process_id="p", title="first", status="running", state_json="{}"
        )
        session.add(instance)
        session.flush()
        return instance.id


def _stored(db: Database, instance_id: int) -> tuple[str, str, int]:
    with db.session() as session:
        row = session.execute(
            select(ProcessInstance.title, ProcessInstance.state_json, ProcessInstance.version).where(
                ProcessInstance.id == instance_id
            )
        ).one()
        return row.title, row.state_json, row.version


def test_every_save_moves_the_version_and_locked_writers_never_conflict(db: Database) -> None:
    iid = _instance(db)
    assert _stored(db, iid) == ("first", "{}", 1)
    for n in range(3):
        with db.session() as session:
            row = lock_instance(session, iid)
            assert row is not None
            row.title = f"save {n}"
    assert _stored(db, iid) == ("save 2", "{}", 4)


def test_a_save_from_a_stale_read_is_a_conflict_and_changes_nothing(db: Database) -> None:
    iid = _instance(db)
    with db.session() as first:
        mine = first.get(ProcessInstance, iid)  # read without a lock …
        assert mine is not None and mine.version == 1
    with db.session() as other:  # … someone else saves the instance first …
        theirs = lock_instance(other, iid)
        assert theirs is not None
        theirs.title = "theirs"
    with pytest.raises(ConcurrentChange) as caught, db.session() as later:
        later.add(mine)  # … and the stale copy, written back, would undo their save
        mine.title = "mine"
    assert isinstance(caught.value, Conflict) and caught.value.status == 409
    assert _stored(db, iid) == ("theirs", "{}", 2)


@pytest.mark.postgres
def test_overlapping_transactions_on_postgres_the_second_writer_gets_the_conflict(pg_db: Database) -> None:
    iid = _instance(pg_db)
    with pytest.raises(ConcurrentChange), pg_db.session() as first:
        mine = first.get(ProcessInstance, iid)  # no FOR UPDATE: the mistake the version catches
        assert mine is not None
        with pg_db.session() as other:  # a locked writer saves and commits meanwhile
            theirs = lock_instance(other, iid)
            assert theirs is not None
            theirs.state_json = '{"theirs": true}'
        mine.state_json = '{"mine": true}'  # without the check this UPDATE would overwrite theirs
    assert _stored(pg_db, iid) == ("first", '{"theirs": true}', 2)
