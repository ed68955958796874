"""The region tenant beside the schools: its `region_admin` and what each school did this year."""

from __future__ import annotations

from service.features.plan.usecases import load_demo_plan
from service.features.tools.models import Tool
from service.platform import schools
from service.platform.auth import accounts
from service.platform.persistence import tenancy
from service.platform.runtime import Actor, Runtime
from tests.conftest import Api
from tests.integration.school_steps import add_school, token_in
from tests.integration.survey_steps import answer_of, open_survey, post_answer

REGION = schools.NewSchool("region", "Облыстық білім басқармасы", "Областное управление образования")
SECRET = "Мұғалім сынып тізімін бағаларымен чат-ботқа жүктеді"
REPORTER = "staff1"


def add_region(rt: Runtime) -> int:
    """The region tenant with its administrator `region_admin` (the demo password)."""
    from service.platform.auth.demo import DEMO_PASSWORD

    info, _ = schools.ensure_school(rt, REGION, kind="region")
    with tenancy.acting_as(info.id):
        accounts.create_user(
            rt,
            Actor.system(),
            "region_admin",
            "Әсел Нұрланқызы",
            DEMO_PASSWORD,
            roles=["region_admin", "staff"],
        )
    return info.id


def region_token(api: Api, region: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_in(api, region, 'region_admin')}"}


def _report(api: Api, user: str, kind: str) -> None:
    started = api.post("/processes/incident_escalation/instances", user)
    assert started.status_code == 201, started.get_json()
    task = api.open_task(user, int(started.get_json()["id"]), "Task_report")
    data = {
        "type": kind,
        "tool": "ChatGPT",
        "occurred_on": "2026-11-30",
        "description": SECRET,
        "affected": "7Б сыныбының оқушылары",
        "anonymous": False,
    }
    done = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
    assert done.status_code == 200, done.get_json()


def _register_order(api: Api) -> None:
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    data = {"title": "ЖИ туралы бұйрық", "order_type": "other", "body": "Мәтін"}
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": data}).status_code == 200
    for user, step in (("lawyer", "Task_legal_review"), ("director", "Task_director_approval")):
        task = api.open_task(user, iid, step, scope="roles")
        api.post(f"/tasks/{task['id']}/claim", user)
        answer = api.post(f"/tasks/{task['id']}/complete", user, json={"data": {"decision": "approve"}})
        assert answer.status_code == 200, answer.get_json()


def a_year_in_two_schools(api: Api) -> tuple[int, int]:
    """School 1: two incidents, a registered order, plan item 7 done, a survey of three with one answer.
    School 2 (`school2.*`): one incident of another type, two permitted tools, its plan untouched.
    Returns (the second school's id, the region's id)."""
    rt = api.rt
    second = add_school(rt)
    region = add_region(rt)
    _report(api, REPORTER, "data_disclosure")
    _report(api, "staff2", "data_disclosure")
    _register_order(api)
    marked = api.post("/plan/items/7/mark", "responsible", json={"data": {"comment": "Дайын"}})
    assert marked.status_code == 200, marked.get_json()
    survey = open_survey(api, rt, ["staff1", "staff2", "staff3"])
    assert post_answer(api, survey, "staff1", answer_of(1)).status_code in (200, 201)
    token_in(api, second, "school2.staff1")
    _report(api, "school2.staff1", "academic_integrity")
    token_in(api, second, "school2.wg_deputy")
    with tenancy.acting_as(second):
        load_demo_plan(rt)
        for name, status in (("Gemini", "permitted"), ("Copilot", "permitted_with_restrictions")):
            started = api.post("/processes/order_drafting/instances", "school2.wg_deputy").get_json()
            with rt.db.session() as session:
                session.add(Tool(instance_id=started["id"], name=name, status=status))
    return second, region
