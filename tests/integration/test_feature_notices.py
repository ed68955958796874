"""The features' own notices: the drafter hears of a returned or approved order, the reporter of the
incident's outcome (and nothing more), the responsible person of a consultation request, the teacher of
the date it was scheduled for; each draws itself on the notifications page in the reader's language."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from service.platform.notify import mailer
from service.platform.persistence.models import Notification, User
from service.platform.runtime import Runtime
from tests.conftest import Api, login
from tests.integration.test_consultations import REQUEST, SOON, ask
from tests.integration.test_incident_api import REPORT, incident_of, report, triage, vote

DRAFT = {"title": "Цифрлық сауаттылық туралы бұйрық", "order_type": "other", "body": "Мәтін"}


def kinds(api: Api, user: str) -> list[dict[str, Any]]:
    return list(api.get("/notifications", user).get_json()["notifications"])


def of_kind(api: Api, user: str, kind: str) -> list[dict[str, Any]]:
    return [n for n in kinds(api, user) if n["kind"] == kind]


def complete(api: Api, user: str, iid: int, bpmn_id: str, data: dict[str, Any], scope: str = "mine") -> None:
    task = api.open_task(user, iid, bpmn_id, scope=scope)
    if scope == "roles":
        assert api.post(f"/tasks/{task['id']}/claim", user).status_code == 200
    done = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
    assert done.status_code == 200, done.get_json()


def page_of(app: Flask, user: str, path: str = "/notifications") -> str:
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client.get(path).get_data(as_text=True)


def test_the_drafter_hears_of_a_return_and_of_the_approval(app: Flask, api: Api) -> None:
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    complete(api, "wg_deputy", iid, "Task_draft", DRAFT)
    assert of_kind(api, "wg_deputy", "order_returned") == []
    complete(api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": "5-тармақ"}, "roles")
    returned = of_kind(api, "wg_deputy", "order_returned")
    assert len(returned) == 1 and returned[0]["params"]["order"] == DRAFT["title"]
    complete(api, "wg_deputy", iid, "Task_rework", DRAFT)
    complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"}, "roles")
    complete(
        api, "director", iid, "Task_director_approval", {"decision": "return", "comment": "Қысқа"}, "roles"
    )
    assert len(of_kind(api, "wg_deputy", "order_returned")) == 2  # the director's return too
    complete(api, "wg_deputy", iid, "Task_rework", DRAFT)
    complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"}, "roles")
    assert of_kind(api, "wg_deputy", "order_approved") == []
    complete(api, "director", iid, "Task_director_approval", {"decision": "approve"}, "roles")
    approved = of_kind(api, "wg_deputy", "order_approved")
    assert len(approved) == 1 and approved[0]["params"]["number"]
    assert of_kind(api, "lawyer", "order_approved") == []  # the drafter's news only
    page = page_of(app, "wg_deputy")
    order_id = approved[0]["params"]["order_id"]
    assert "Бұйрық бекітіліп" in page and f'href="/orders/{order_id}"' in page
    assert "Бұйрық жобасы пысықтауға қайтарылды" in page


def test_the_reporter_hears_the_outcome_and_nothing_more(app: Flask, api: Api) -> None:
    minor = report(api, data={**REPORT, "type": "other"})
    done = triage(api, minor, {"severity": "minor", "decision": "resolve", "corrective_action": "Әңгіме"})
    assert done.status_code == 200
    closed = of_kind(api, "staff1", "incident_outcome")
    assert len(closed) == 1
    params = closed[0]["params"]
    assert params["status"] == "closed" and params["outcome"] == "resolved"
    # Nothing the reporter may not see: no severity, no corrective action, no people.
    assert set(params) <= {"subject", "incident", "number", "status", "outcome", "outcome_names", "path"}
    assert of_kind(api, "responsible", "incident_outcome") == []

    serious = report(api, "staff2")
    assert triage(api, serious, {"severity": "serious", "decision": "escalate"}).status_code == 200
    for member in ("council1", "council2", "council3", "council4", "council5"):
        mine = api.get(f"/tasks?scope=mine&instance_id={serious}", member).get_json()["tasks"]
        if not [t for t in mine if t["bpmn_id"] == "Task_vote"]:
            break  # the vote closed early: settled
        assert vote(api, serious, member, "warning", "жеке пікір").status_code == 200
    complete(api, "wg_chair", serious, "Task_chair_decision", {"decision": "warning"}, "roles")
    told = of_kind(api, "staff2", "incident_outcome")
    assert told, kinds(api, "staff2")
    assert told[-1]["params"]["outcome_names"]["kk"] == "Ескерту"
    assert "жеке пікір" not in str(told) and "council1" not in str(told)  # no votes, no voters
    page = page_of(app, "staff2")
    number = incident_of(api, serious)["number"]
    assert "Ескерту" in page and number in page
    assert f'href="/incidents/{incident_of(api, serious)["id"]}"' in page


def test_consultation_request_and_schedule_are_announced(app: Flask, api: Api) -> None:
    asked = ask(api, "staff3")
    requested = of_kind(api, "responsible", "consultation_requested")
    assert len(requested) == 1 and requested[0]["params"]["topic"] == REQUEST["topic"]
    assert of_kind(api, "staff3", "consultation_requested") == []
    scheduled = api.post(f"/consultations/{asked['id']}/schedule", "responsible", json={"scheduled_on": SOON})
    assert scheduled.status_code == 200, scheduled.get_json()
    told = of_kind(api, "staff3", "consultation_scheduled")
    assert len(told) == 1 and told[0]["params"]["date"] == SOON
    page = page_of(app, "staff3")
    assert "Кеңес" in page and f'href="/consultations/{asked["id"]}"' in page
    assert "-".join(SOON.split("-")[1:]) not in page  # the date through Babel, not ISO
    assert REQUEST["topic"] in page_of(app, "responsible")


def test_a_feature_notice_mails_its_page_in_the_readers_language(seeded: Runtime) -> None:
    rt = seeded
    rt.settings = {**rt.settings, "PUBLIC_URL": "https://ai.school.kz"}
    params = {
        "incident": 7,
        "number": "2026/3",
        "status": "closed",
        "outcome": "warning",
        "outcome_names": {"kk": "Ескерту", "ru": "Предупреждение", "en": "Warning"},
        "path": "/incidents/7",
    }
    note = Notification(kind="incident_outcome", subject="x", body=json.dumps(params))
    reader = User(username="staff1", full_name="Педагог", email="staff1@school.local", language="ru")
    mail = mailer._message(rt, note, reader)
    body = mail.get_content()
    assert mail["Subject"].startswith("Решение по инциденту") and "2026/3: Предупреждение" in body
    assert "https://ai.school.kz/incidents/7" in body
