"""The region register of AI tools: a tool the region's commission permits reaches every school's register;
a school adopts it or restricts it further for itself; a school's own evaluation stays the school's until
the region adopts it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from service.features.tools import usecases as tool_cases
from service.platform import schools
from service.platform.persistence import tenancy
from service.platform.persistence.models import AuditEvent
from tests.conftest import Api, csrf_from, login
from tests.integration.school_steps import add_school, token_in
from tests.integration.test_tool_evaluation_api import ASSESSMENT, PROPOSAL, vote_data
from tests.integration.test_tool_register import registered, tool_id_of

REGION_RESTRICTIONS = ["No pupils' personal data", "Only for lesson drafts"]
REGION_PEOPLE = [
    "region_admin",
    "region_commission1",
    "region_commission2",
    "region_commission3",
    "region_ict",
    "region_chair",
    "region_responsible",
]


def add_region(api: Api) -> int:
    """The demo region (`flask region demo`'s, without the demo schools' data) with tokens for its people."""
    schools.region_demo(api.rt, lambda rt: [])
    region = schools.school_by_code(api.rt, schools.REGION_CODE)
    assert region is not None and region.kind == "region"
    for username in REGION_PEOPLE:
        token_in(api, region.id, username)
    return region.id


def region_permits(api: Api, name: str, restrictions: str = "No pupils' personal data") -> int:
    """The region's commission evaluates `name` and its chair confirms: permitted with restrictions."""
    started = api.post("/processes/tool_evaluation/instances", "region_admin")
    assert started.status_code == 201, started.get_json()
    iid = int(started.get_json()["id"])
    task = api.open_task("region_admin", iid, "Task_proposal")
    reply = api.post(f"/tasks/{task['id']}/complete", "region_admin", {"data": {**PROPOSAL, "name": name}})
    assert reply.status_code == 200, reply.get_json()
    ict = api.open_task("region_ict", iid, "Task_ict_assessment", scope="roles")
    assert api.post(f"/tasks/{ict['id']}/complete", "region_ict", {"data": ASSESSMENT}).status_code == 200
    # Two of three agreeing settle it (quorum and majority reached whatever the third would say).
    verdicts = {"region_commission1": vote_data("approve_with_restrictions", restrictions)}
    verdicts["region_commission2"] = vote_data("approve_with_restrictions", "Only for lesson drafts")
    for member, data in verdicts.items():
        vote = api.open_task(member, iid, "Task_member_vote")
        reply = api.post(f"/tasks/{vote['id']}/complete", member, {"data": data})
        assert reply.status_code == 200, (member, reply.get_json())
    chair = api.open_task("region_chair", iid, "Task_chair_confirmation", scope="roles")
    reply = api.post(
        f"/tasks/{chair['id']}/complete",
        "region_chair",
        {"data": {"decision": "approve", "conclusion": "Permitted for the region's schools."}},
    )
    assert reply.status_code == 200, reply.get_json()
    return tool_id_of_region(api, iid)


def tool_id_of_region(api: Api, iid: int) -> int:
    region = schools.school_by_code(api.rt, schools.REGION_CODE)
    assert region is not None
    with tenancy.acting_as(region.id):
        return tool_id_of(api, iid)


def tools_of(api: Api, user: str) -> dict[int, dict[str, Any]]:
    reply = api.get("/tools", user)
    assert reply.status_code == 200, reply.get_json()
    return {t["id"]: t for t in reply.get_json()["tools"]}


def audited(api: Api, school: int, action: str) -> list[dict[str, Any]]:
    with tenancy.acting_as(school), api.rt.db.session() as session:
        rows = session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [{"actor": e.actor, **json.loads(e.detail_json)} for e in rows.scalars()]


@pytest.fixture
def region_api(api: Api) -> Api:
    """The default school (demo users), school2 (`school2.…`) and the region (`region_…`)."""
    api.second = add_school(api.rt)  # type: ignore[attr-defined]
    for username in ("school2.staff1", "school2.director", "school2.responsible", "school2.commission1"):
        token_in(api, api.second, username)  # type: ignore[attr-defined]
    api.region = add_region(api)  # type: ignore[attr-defined]
    return api


def test_a_region_tool_reaches_both_schools_and_a_school_restricts_it_for_itself(region_api: Api) -> None:
    api = region_api
    school_a, school_b = tenancy.DEFAULT_SCHOOL, api.second  # type: ignore[attr-defined]
    tid = region_permits(api, "RegionGPT")

    # Both schools' registers show it as the region's, with the region's restrictions, teachers included.
    for reader in ("staff4", "director", "school2.staff1", "school2.director"):
        entry = tools_of(api, reader)[tid]
        assert entry["source"] == "region" and entry["name"] == "RegionGPT", reader
        assert entry["status"] == "permitted_with_restrictions"
        assert entry["restrictions"] == REGION_RESTRICTIONS
        assert entry["instance_id"] == 0 and "adoption" not in entry and entry["school_restrictions"] == []
    detail = api.get(f"/tools/{tid}", "school2.staff1").get_json()
    assert detail["source"] == "region" and "votes" not in detail  # the evaluation stays the region's

    # A teacher cannot adopt; the region itself adopts nothing (it publishes).
    assert api.post(f"/tools/{tid}/adopt", "staff4").status_code == 403
    assert api.post(f"/tools/{tid}/adopt", "region_responsible").status_code == 403

    # School A's responsible person adopts it and restricts it further.
    adopted = api.post(f"/tools/{tid}/adopt", "responsible")
    assert adopted.status_code == 200, adopted.get_json()
    assert adopted.get_json()["adoption"]["adopted_by"] == "responsible"
    assert api.post(f"/tools/{tid}/adopt", "director").status_code == 200  # already adopted: no change
    restricted = api.post(
        f"/tools/{tid}/restrict", "director", {"restrictions": "Only in grades 10-11\n\nOnly with a teacher"}
    )
    assert restricted.status_code == 200, restricted.get_json()
    assert restricted.get_json()["school_restrictions"] == ["Only in grades 10-11", "Only with a teacher"]
    too_long = api.post(f"/tools/{tid}/restrict", "director", {"restrictions": "x" * 2001})
    assert too_long.status_code == 422 and "restrictions" in too_long.get_json()["fields"]

    mine = tools_of(api, "staff4")[tid]
    assert mine["school_restrictions"] == ["Only in grades 10-11", "Only with a teacher"]
    assert mine["restrictions"] == REGION_RESTRICTIONS  # the region's, beside the school's
    theirs = tools_of(api, "school2.staff1")[tid]
    assert theirs["school_restrictions"] == [] and "adoption" not in theirs  # B sees nothing of A's
    # School B cannot restrict what it has not adopted.
    assert api.post(f"/tools/{tid}/restrict", "school2.director", {"restrictions": "x"}).status_code == 409

    # Audited in school A's chain only, with who did what.
    assert [(e["actor"], e["tool"]) for e in audited(api, school_a, "tool.adopt")] == [("responsible", tid)]
    restricts = audited(api, school_a, "tool.restrict")
    assert [(e["actor"], e["to"]) for e in restricts] == [
        ("director", "Only in grades 10-11\nOnly with a teacher")
    ]
    assert audited(api, school_b, "tool.adopt") == [] and audited(api, school_b, "tool.restrict") == []

    # Un-adopting drops the school's restrictions with it (kept in the audit log).
    assert api.post(f"/tools/{tid}/unadopt", "wg_chair").status_code == 200
    again = tools_of(api, "staff4")[tid]
    assert "adoption" not in again and again["school_restrictions"] == []
    gone = audited(api, school_a, "tool.unadopt")
    assert gone[0]["actor"] == "wg_chair" and "Only with a teacher" in gone[0]["restrictions"]

    # Suggestions (an incident's tool, a consultation's link) name region tools with their source.
    with tenancy.acting_as(school_b), api.rt.db.session() as session:
        listed = {t["id"]: t for t in tool_cases.permitted_tools(session)}
        assert listed[tid]["source"] == "region" and listed[tid]["name"] == "RegionGPT"
        assert tool_cases.tool_names(session, [tid]) == {tid: "RegionGPT"}


def test_a_school_evaluation_stays_local_until_the_region_adopts_it(region_api: Api) -> None:
    api = region_api
    own = tool_id_of(api, registered(api, ["approve", "approve", "approve"], {"memo": "Use with care."}))

    # Invisible to school B (its list, its page: 404) and to the region's register.
    assert own not in tools_of(api, "school2.director")
    assert api.get(f"/tools/{own}", "school2.staff1").status_code == 404
    assert api.post(f"/tools/{own}/adopt", "school2.director").status_code == 404
    assert own not in tools_of(api, "region_commission1") and own not in tools_of(api, "region_admin")
    # Only the region's administrator lists schools' permitted evaluations to adopt one.
    assert api.get("/tools/school-evaluations", "school2.director").status_code == 403
    assert api.get("/tools/school-evaluations", "region_commission1").status_code == 403
    assert api.post(f"/tools/{own}/adopt-for-region", "director").status_code == 403
    listed = api.get("/tools/school-evaluations", "region_admin").get_json()["evaluations"]
    assert [(e["id"], e["in_region_register"]) for e in listed] == [(own, False)]

    reply = api.post(f"/tools/{own}/adopt-for-region", "region_admin")
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["evaluations"][0]["in_region_register"] is True
    entry = tools_of(api, "school2.staff1")[own]
    assert entry["source"] == "region" and entry["name"] == "ChatHelper"
    assert entry["source_school"]  # the school whose evaluation it was, by name (else its code)
    assert api.get(f"/tools/{own}", "school2.staff1").get_json()["memo"] == "Use with care."
    assert tools_of(api, "region_commission1")[own]["source"] == "region"
    # The school that evaluated it keeps it once, as its own.
    assert tools_of(api, "staff4")[own]["source"] == "school"
    assert [e["tool"] for e in audited(api, api.region, "tool.region.adopt")] == [own]  # type: ignore[attr-defined]

    # School B may now adopt it; the region may take it out again.
    assert api.post(f"/tools/{own}/adopt", "school2.responsible").status_code == 200
    assert api.post(f"/tools/{own}/remove-from-region", "region_admin").status_code == 200
    assert own not in tools_of(api, "school2.staff1")


def _page(client: FlaskClient, path: str, lang: str) -> str:
    token = csrf_from(client.get("/inbox").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "csrf_token": token, "next": "/inbox"})
    reply = client.get(path)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_register_pages_in_kk_and_ru_and_adoption_through_the_page(
    region_api: Api, client: FlaskClient
) -> None:
    api = region_api
    tid = region_permits(api, "RegionGPT")
    login(client, "responsible")
    kk = _page(client, "/tools", "kk")
    assert 'data-testid="region-tool-row"' in kk and "RegionGPT" in kk
    assert "Облыс рұқсат еткен" in kk
    page = _page(client, f"/tools/{tid}", "kk")
    assert 'data-testid="adopt"' in page
    client.post(f"/tools/{tid}/adopt", data={"csrf_token": csrf_from(page)})
    page = client.get(f"/tools/{tid}").get_data(as_text=True)
    reply = client.post(
        f"/tools/{tid}/restrict", data={"csrf_token": csrf_from(page), "restrictions": "Тек 10-11 сыныптарда"}
    )
    assert reply.status_code == 302
    ru = _page(client, "/tools", "ru")
    assert "Разрешено регионом" in ru and "Тек 10-11 сыныптарда" in ru
    assert "Дополнительные ограничения школы" in ru
    csv = client.get("/tools/export.csv")
    assert csv.status_code == 200
    text = csv.get_data().decode("utf-8-sig")
    assert "RegionGPT" in text and "Тек 10-11 сыныптарда" in text and "разрешено регионом" in text
    assert client.get("/tools/export.xlsx").status_code == 200

    teacher = api.client.application.test_client()
    login(teacher, "staff4")
    page = _page(teacher, f"/tools/{tid}", "kk")
    assert 'data-testid="adopt"' not in page and "Тек 10-11 сыныптарда" in page
    refused = teacher.post(f"/tools/{tid}/unadopt", data={"csrf_token": csrf_from(page)})
    assert refused.status_code == 403


def test_the_region_admin_adopts_a_school_evaluation_by_the_page(
    region_api: Api, client: FlaskClient
) -> None:
    api = region_api
    own = tool_id_of(api, registered(api, ["approve", "approve", "approve"]))
    login(client, "region_admin")
    page = _page(client, "/tools/school-evaluations", "ru")
    assert "Оценки школ" in page and "ChatHelper" in page and 'data-testid="adopt-for-region"' in page
    reply = client.post(f"/tools/{own}/adopt-for-region", data={"csrf_token": csrf_from(page)})
    assert reply.status_code == 302
    assert 'data-testid="in-region"' in client.get("/tools/school-evaluations").get_data(as_text=True)
    register = _page(client, "/tools", "kk")
    assert "ChatHelper" in register and 'data-testid="school-evaluations"' in register

    other = api.client.application.test_client()
    login(other, "school2.director")
    assert other.get("/tools/school-evaluations").status_code == 403
    assert "ChatHelper" in _page(other, "/tools", "kk")
