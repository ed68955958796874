"""Schools as tenants: every school-owned table is scoped by the platform, numbers and audit chains
are per school, and one school's people never reach another school's objects."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Mapper

import service.features  # noqa: F401 - every feature's tables join the metadata
from service.platform.audit.verify import verify_audit
from service.platform.persistence import tenancy
from service.platform.persistence.locks import next_value
from service.platform.persistence.models import Base, SharedTable
from service.platform.runtime import Runtime
from tests.conftest import Api
from tests.integration.school_steps import add_school, token_in

# Tables no school owns, each for a reason: the schools themselves, sign-in throttling (keyed by name
# and address before anyone is known), file bytes addressed by their hash (access is by reference rows).
SHARED = {"school", "login_throttle", "stored_file"}


def _mappers() -> list[Mapper[Any]]:
    return sorted(Base.registry.mappers, key=lambda m: m.local_table.name)  # type: ignore[union-attr]


def test_every_table_is_school_owned_or_shared_on_purpose() -> None:
    shared = {m.local_table.name for m in _mappers() if issubclass(m.class_, SharedTable)}  # type: ignore[union-attr]
    assert shared == SHARED
    for mapper in _mappers():
        if issubclass(mapper.class_, Base):
            assert "school_id" in mapper.local_table.c, mapper.class_.__name__  # type: ignore[union-attr]


def test_every_query_of_every_table_is_scoped_to_the_acting_school(rt: Runtime) -> None:
    """A feature's query never names the school: the platform adds it. A table mapped without the
    school (or a session that skipped the criteria) fails here."""
    seen: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(rt.db.engine, "before_cursor_execute", capture)
    try:
        for mapper in _mappers():
            if not issubclass(mapper.class_, Base):
                continue
            seen.clear()
            with tenancy.acting_as(7), rt.db.read() as session:
                session.execute(select(mapper.class_).limit(1)).all()
            where = seen[-1].split("WHERE", 1)[-1] if "WHERE" in seen[-1] else ""
            assert "school_id" in where, f"{mapper.class_.__name__}: {seen[-1]}"
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", capture)


def test_a_query_with_no_school_acting_is_refused(app: Any) -> None:
    from service.platform.persistence.models import User
    from service.platform.persistence.session import Database

    db = Database(app.config["DATABASE_URL"], default_school=None)
    try:
        with pytest.raises(tenancy.NoSchool), db.read() as session:
            session.execute(select(User)).all()
    finally:
        db.dispose()


def test_counters_are_per_school(seeded: Runtime) -> None:
    second = add_school(seeded)
    values = []
    for school in (tenancy.DEFAULT_SCHOOL, second, tenancy.DEFAULT_SCHOOL, second):
        with tenancy.acting_as(school), seeded.db.session() as session:
            values.append(next_value(session, "order:2026"))
    assert values == [1, 1, 2, 2]


def test_schools_never_see_each_others_instances_and_tasks(api: Api) -> None:
    second = add_school(api.rt)
    mine = api.post("/processes/order_drafting/instances", "wg_deputy", json={})
    assert mine.status_code == 201, mine.get_json()
    theirs_token = token_in(api, second, "school2.wg_deputy")
    headers = {"Authorization": f"Bearer {theirs_token}"}
    theirs = api.client.post("/api/v1/processes/order_drafting/instances", headers=headers, json={})
    assert theirs.status_code == 201, theirs.get_json()
    mine_id, theirs_id = mine.get_json()["id"], theirs.get_json()["id"]

    # Each sees its own, and the other's is "not found" (never "forbidden": that would confirm it exists).
    assert api.get(f"/instances/{mine_id}", "wg_deputy").status_code == 200
    assert api.get(f"/instances/{theirs_id}", "wg_deputy").status_code == 404
    assert api.get(f"/instances/{theirs_id}", "admin").status_code == 404
    assert api.client.get(f"/api/v1/instances/{mine_id}", headers=headers).status_code == 404
    own_tasks = api.client.get("/api/v1/tasks?scope=mine", headers=headers).get_json()["tasks"]
    assert {t["instance_id"] for t in own_tasks} == {theirs_id}
    for row in api.get("/tasks?scope=mine", "wg_deputy").get_json()["tasks"]:
        assert row["instance_id"] != theirs_id
    # The other school's task cannot be completed either.
    task = own_tasks[0]
    refused = api.post(f"/tasks/{task['id']}/complete", "wg_deputy", json={"data": {}})
    assert refused.status_code == 404


def test_audit_chains_are_per_school_and_each_verifies(api: Api) -> None:
    second = add_school(api.rt)
    api.post("/processes/order_drafting/instances", "wg_deputy", json={})
    headers = {"Authorization": f"Bearer {token_in(api, second, 'school2.wg_deputy')}"}
    api.client.post("/api/v1/processes/order_drafting/instances", headers=headers, json={})
    counts = {}
    for school in (tenancy.DEFAULT_SCHOOL, second):
        with tenancy.acting_as(school):
            count, broken = verify_audit(api.rt)
        assert broken is None
        counts[school] = count
    assert counts[tenancy.DEFAULT_SCHOOL] > 0 and counts[second] > 0


def test_a_school_names_itself_and_sets_its_time_zone(app: Any, seeded: Runtime) -> None:
    from tests.conftest import csrf_from, login

    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    bad = {
        "name_kk": "№7 мектеп",
        "name_ru": "Школа №7",
        "timezone": "Asia/Nowhere",
        "csrf_token": csrf_from(page),
    }
    refused = client.post("/admin/settings/school", data=bad)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'value="№7 мектеп"' in body and 'value="Asia/Nowhere"' in body  # nothing typed is lost
    assert seeded.school_name == (seeded.default_school_name or "Мектеп")
    good = {**bad, "timezone": "Asia/Aqtobe"}
    assert client.post("/admin/settings/school", data=good).status_code == 302
    assert seeded.school_name == "№7 мектеп" and seeded.timezone == "Asia/Aqtobe"
    # The other school keeps the deployment's.
    second = add_school(seeded)
    with tenancy.acting_as(second):
        assert seeded.school_name == "№2 мектеп" and seeded.timezone == seeded.default_timezone
    teacher = app.test_client()
    login(teacher, "staff1")
    own_token = csrf_from(teacher.get("/profile").get_data(as_text=True))
    assert teacher.post("/admin/settings/school", data={**good, "csrf_token": own_token}).status_code == 403


def test_a_schools_admin_cannot_make_anyone_a_region_officer(seeded: Runtime) -> None:
    from service.platform.auth import accounts
    from service.platform.errors import ValidationFailed
    from tests.conftest import actor_named

    admin = actor_named(seeded, "admin")
    with pytest.raises(ValidationFailed):
        accounts.set_roles(seeded, admin, "admin", ["admin", "region_admin"])
    with pytest.raises(ValidationFailed):
        accounts.create_user(seeded, admin, "boss", "Бас", "a-long-password-1", roles=["region_admin"])
    assert "region_admin" not in {role.code for role in accounts.assignable_roles(seeded)}


def test_region_deploy_brings_every_school_the_shipped_processes(app: Any, seeded: Runtime) -> None:
    from service.platform import schools

    info, _ = schools.ensure_school(seeded, schools.NewSchool("school3", "№3 мектеп"))  # nothing deployed yet
    result = app.test_cli_runner().invoke(args=["region", "deploy"])
    assert result.exit_code == 0, result.output
    blocks = result.output.split("[")
    school3 = next(block for block in blocks if block.startswith("school3]"))
    assert "order_drafting v1 deployed" in school3
    default = next(block for block in blocks if block.startswith("school]"))
    assert "deployed" not in default.replace("unchanged", "")  # what a school had stays as it was
    with tenancy.acting_as(info.id), seeded.db.read() as session:
        from service.platform.persistence.models import ProcessDefinition

        assert session.execute(select(ProcessDefinition.process_id)).scalars().all()
