"""Process versions published by the region: the region's administrator deploys a version in the region's
tenant and publishes it; every school gets it as its next version, a school that had adapted its own keeps
that as an older version and is told, a school that cannot take it keeps what it had; audited in each."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from service.platform import schools
from service.platform.audit.verify import verify_audit
from service.platform.auth.demo import DEMO_PASSWORD
from service.platform.auth.secrets import hash_password
from service.platform.persistence import tenancy
from service.platform.persistence.models import AuditEvent, Notification, ProcessDefinition, User, UserRole
from service.platform.processes import deploy
from service.platform.runtime import Actor, Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.migration_steps import order_v2, order_without_review_reminder
from tests.integration.school_steps import add_school, token_in
from tests.integration.test_deploy import CALLEE_XML, CALLER_XML

XML = {"Content-Type": "application/xml"}


def _region(rt: Runtime) -> int:
    """The region's tenant with its administrator and a commission member, the shipped processes in it."""
    info, _ = schools.ensure_school(rt, schools.REGION, kind="region")
    with tenancy.acting_as(info.id), rt.db.session() as session:
        for username, roles in (
            ("region_admin", ("region_admin", "admin", "staff")),
            ("region_commission1", ("commission", "staff")),
        ):
            session.add(
                User(
                    username=username,
                    full_name=username,
                    password_hash=hash_password(DEMO_PASSWORD),
                    roles=[UserRole(role=r) for r in roles],
                )
            )
    with tenancy.acting_as(info.id):
        deploy.deploy_directory(rt, Actor.system())
    return info.id


class Caller:
    """Calls the API as a user of a given school."""

    def __init__(self, api: Api, school: int, username: str) -> None:
        self.api, self.headers = api, {"Authorization": f"Bearer {token_in(api, school, username)}"}

    def post(self, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.api.client.post(f"/api/v1{path}", headers=headers, **kwargs)


def _active(rt: Runtime, school: int, process_id: str) -> ProcessDefinition:
    with tenancy.acting_as(school), rt.db.read() as session:
        return session.execute(
            select(ProcessDefinition).where(
                ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
            )
        ).scalar_one()


def _events(rt: Runtime, school: int, action: str) -> list[tuple[str, dict[str, Any]]]:
    with tenancy.acting_as(school), rt.db.read() as session:
        rows = session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [(e.actor, json.loads(e.detail_json or "{}")) for e in rows.scalars()]


def test_the_region_publishes_a_version_every_school_gets_as_its_next(api: Api) -> None:
    rt = api.rt
    first, second, region = tenancy.DEFAULT_SCHOOL, add_school(rt), _region(rt)
    region_admin = Caller(api, region, "region_admin")
    # school2 adapted the order process itself; the first school runs the shipped one.
    adapted = Caller(api, second, "school2.admin").post(
        "/processes?replace=true", data=order_without_review_reminder(), headers=XML
    )
    assert adapted.status_code == 201, adapted.get_json()
    # The region edits its own copy, then publishes it.
    edited = region_admin.post("/processes?replace=true", data=order_v2(), headers=XML)
    assert edited.status_code == 201 and edited.get_json()["version"] == 2, edited.get_json()
    published = region_admin.post("/processes/order_drafting/publish")
    assert published.status_code == 200, published.get_json()
    body = published.get_json()
    assert body["process_id"] == "order_drafting" and body["version"] == 2
    by_school = {row["school"]: row for row in body["schools"]}
    first_code = next(code for code in by_school if code != "school2")
    assert by_school[first_code] == {
        "school": first_code,
        "version": 2,
        "changed": True,
        "replaced_own": None,
        "problems": [],
        "warnings": [],
    }
    assert by_school["school2"] == {
        "school": "school2",
        "version": 3,
        "changed": True,
        "replaced_own": 2,
        "problems": [],
        "warnings": [],
    }
    region_sha = _active(rt, region, "order_drafting").sha256
    assert _active(rt, first, "order_drafting").sha256 == region_sha
    assert _active(rt, second, "order_drafting").sha256 == region_sha

    # Audited in each school (the deploy and the publication, by the region's administrator), and the region.
    for school, version, own in ((first, 2, None), (second, 3, 2)):
        assert (
            "region_admin",
            {"process": "order_drafting", "version": version, "region_version": 2, "replaced_own": own},
        ) in _events(rt, school, "process.publish")
        assert any(
            actor == "region_admin" and d["version"] == version
            for actor, d in _events(rt, school, "process.deploy")
        )
        with tenancy.acting_as(school):
            assert verify_audit(rt)[1] is None
    (region_event,) = _events(rt, region, "process.publish")
    assert region_event[1]["schools"] == {first_code: 2, "school2": 3} and region_event[1]["refused"] == []

    # school2's admins are told their own version is no longer the active one.
    with tenancy.acting_as(second), rt.db.read() as session:
        notes = (
            session.execute(select(Notification).where(Notification.kind == "process_published"))
            .scalars()
            .all()
        )
        assert notes and {json.loads(n.body)["own"] for n in notes} == {2}
    # Publishing the same version again changes nothing anywhere.
    again = region_admin.post("/processes/order_drafting/publish", json={"version": 2}).get_json()
    assert [row["changed"] for row in again["schools"]] == [False, False]
    # The school may adapt its copy again, as before.
    readapted = Caller(api, second, "school2.admin").post(
        "/processes?replace=true", data=order_without_review_reminder(), headers=XML
    )
    assert readapted.status_code == 201 and readapted.get_json()["version"] == 4


def test_a_school_that_cannot_take_the_version_keeps_its_own_and_is_reported(api: Api) -> None:
    rt = api.rt
    second, region = add_school(rt), _region(rt)
    region_admin = Caller(api, region, "region_admin")
    for xml in (CALLEE_XML, CALLER_XML):
        assert region_admin.post("/processes", data=xml, headers=XML).status_code == 201
    assert (
        api.post("/processes", "admin", data=CALLEE_XML, headers=XML).status_code == 201
    )  # first school only
    body = region_admin.post("/processes/a_caller/publish").get_json()
    by_school = {row["school"]: row for row in body["schools"]}
    assert by_school["school2"]["version"] is None and not by_school["school2"]["changed"]
    assert by_school["school2"]["problems"] and by_school["school2"]["problems"][0]["text"]
    assert [row["version"] for code, row in by_school.items() if code != "school2"] == [1]
    with tenancy.acting_as(second), rt.db.read() as session:
        found = session.execute(select(ProcessDefinition).where(ProcessDefinition.process_id == "a_caller"))
        assert found.first() is None
    assert _events(rt, second, "process.deploy_refused")
    (event,) = _events(rt, region, "process.publish")
    assert event[1]["refused"] == ["school2"]


def test_a_school_where_nobody_holds_a_role_the_version_sends_work_to_is_warned_of(
    app: Flask, api: Api
) -> None:
    """The version deploys there all the same (as a deploy would), but the region's administrator sees
    which school, role and steps, in their language, and that school's admins are told to give the role."""
    rt = api.rt
    second, region = add_school(rt), _region(rt)
    with tenancy.acting_as(second), rt.db.session() as session:
        lawyers = session.execute(select(User).join(UserRole).where(UserRole.role == "lawyer")).scalars()
        for user in lawyers:
            user.is_active = False
    region_admin = Caller(api, region, "region_admin")
    assert region_admin.post("/processes?replace=true", data=order_v2(), headers=XML).status_code == 201
    body = region_admin.post("/processes/order_drafting/publish").get_json()
    by_school = {row["school"]: row for row in body["schools"]}
    assert by_school["school2"]["changed"] and by_school["school2"]["version"] == 2
    (warning,) = by_school["school2"]["warnings"]
    assert warning["code"] == "role_unheld" and warning["role"] == "lawyer" and warning["tasks"]
    assert warning["text"].startswith("school2 мектебінде «Заңгер / құжаттанушы» рөлі")
    assert [row["warnings"] for code, row in by_school.items() if code != "school2"] == [[]]

    # school2's admins are told which role to give, in Kazakh, by the role's name.
    school_page = app.test_client()
    assert login(school_page, "school2.admin").status_code == 302
    notices = school_page.get("/notifications").get_data(as_text=True)
    told = notices[notices.index("Оның қадамдары") :][:300]
    assert "Заңгер / құжаттанушы" in told and "lawyer" not in told
    school_page.post("/language", data={"lang": "ru", "csrf_token": csrf_from(notices), "next": "/inbox"})
    notices = school_page.get("/notifications").get_data(as_text=True)
    told = notices[notices.index("Его шаги направляются ролям") :][:300]
    assert "Юрист / делопроизводитель" in told and "lawyer" not in told

    # The region's versions page says it too, on the school's line, when it publishes again (unchanged).
    region_page = app.test_client()
    assert login(region_page, "region_admin").status_code == 302
    page = region_page.get("/admin/editor/order_drafting/versions").get_data(as_text=True)
    done = region_page.post(
        "/admin/editor/order_drafting/publish", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    ).get_data(as_text=True)
    shown = done[done.index("school2 мектебінде") :][:400]
    assert "«Заңгер / құжаттанушы»" in shown and "пайдаланушылар бетінде" in shown


def test_only_the_regions_administrator_publishes(api: Api) -> None:
    rt = api.rt
    add_school(rt)
    region = _region(rt)
    assert api.post("/processes/order_drafting/publish", "admin").status_code == 403  # a school's admin
    assert (
        Caller(api, region, "region_commission1").post("/processes/order_drafting/publish").status_code == 403
    )
    region_admin = Caller(api, region, "region_admin")
    assert region_admin.post("/processes/no_such_process/publish").status_code == 404
    assert region_admin.post("/processes/order_drafting/publish", json={"version": 99}).status_code == 404
    bad = region_admin.post("/processes/order_drafting/publish", json={"version": "two"})
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"version"}


def test_the_regions_versions_page_publishes_and_the_schools_page_shows_it(app: Flask, api: Api) -> None:
    rt = api.rt
    second, region = add_school(rt), _region(rt)
    region_page = app.test_client()
    assert login(region_page, "region_admin").status_code == 302
    page = region_page.get("/admin/editor/order_drafting/versions").get_data(as_text=True)
    assert 'data-testid="publish"' in page
    done = region_page.post(
        "/admin/editor/order_drafting/publish", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert done.status_code == 200
    shown = done.get_data(as_text=True)
    assert 'data-testid="publish"' in shown and 'class="flash flash-success"' in shown
    # The shipped version was already every school's: nothing new, nothing from the region.
    Caller(api, region, "region_admin").post("/processes?replace=true", data=order_v2(), headers=XML)
    region_page.post("/admin/editor/order_drafting/publish", data={"csrf_token": csrf_from(page)})
    school_page = app.test_client()
    assert login(school_page, "school2.admin").status_code == 302
    versions = school_page.get("/admin/editor/order_drafting/versions").get_data(as_text=True)
    assert 'data-testid="from-region"' in versions and 'data-testid="publish"' not in versions
    token = csrf_from(versions)
    assert (
        school_page.post("/admin/editor/order_drafting/publish", data={"csrf_token": token}).status_code
        == 403
    )
    with tenancy.acting_as(second):
        assert _active(rt, second, "order_drafting").version == 2
