"""Issue 15 item 13: the council chair's decision form preselects the vote's option, takes another one
only with a reason (422 with a message on the field, the form keeping what was typed), and takes
recommendations as rows (a person from a list, a date picker, a text) — while the API keeps its text
shape and accepts the rows as well."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update

from service.features.incidents.models import Incident
from service.platform.persistence.models import HumanTask, User
from tests.conftest import Api, csrf_from
from tests.integration.test_incident_api import escalate, incident_of, vote
from tests.web.test_incident_pages import signed_in

DUE = (date.today() + timedelta(days=30)).isoformat()


def _decided_by_vote(api: Api, choice: str = "training") -> tuple[int, int]:
    iid = escalate(api)
    for user in ("council1", "council2", "council3", "council4"):
        assert vote(api, iid, user, choice).status_code == 200
    task = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    return iid, int(task["id"])


def _detail(api: Api, iid: int) -> dict[str, Any]:
    row = incident_of(api, iid)
    body: dict[str, Any] = api.get(f"/incidents/{row['id']}", "responsible").get_json()
    return body


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"\s*checked', html)


def test_the_page_preselects_the_vote_and_needs_a_reason_to_change_it(app: Flask, api: Api) -> None:
    iid, task_id = _decided_by_vote(api)
    chair = signed_in(app, "wg_chair")
    page = chair.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert _checked(page, "decision") == ["training"]
    # Rows: a person chosen from a list of people (by full name), a date picker, a text; no JS needed.
    assert re.search(r'<select name="follow_ups\.0\.assignee"', page)
    assert 'type="date" name="follow_ups.0.due"' in page and 'name="follow_ups.1.action"' in page
    assert '<option value="ict">' in page
    assert 'name="recommendations"' not in page  # the text shape is the API's, not the page's

    typed = {
        "csrf_token": csrf_from(page),
        "decision": "warning",
        "follow_ups.0.assignee": "ict",
        "follow_ups.0.due": DUE,
        "follow_ups.0.action": "Баптауларды тексеру",
        "follow_ups.1.assignee": "",
        "follow_ups.1.due": "",
        "follow_ups.1.action": "",
    }
    refused = chair.post(f"/tasks/{task_id}", data=typed)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="f-decision_change_reason-error"' in html
    assert _checked(html, "decision") == ["warning"]  # what was typed stays
    assert 'value="Баптауларды тексеру"' in html and f'value="{DUE}"' in html
    assert re.search(r'<option value="ict" selected>', html)

    done = chair.post(
        f"/tasks/{task_id}", data={**typed, "decision_change_reason": "Бірінші рет, ескерту жеткілікті"}
    )
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    incident = _detail(api, iid)
    assert incident["decision"] == "warning"
    assert incident["decision_change_reason"] == "Бірінші рет, ескерту жеткілікті"
    assert [(f["assignee"], f["due"], f["action"]) for f in incident["follow_ups"]] == [
        ("ict", DUE, "Баптауларды тексеру")
    ]
    assert incident["recommendations"] == f"ict; {DUE}; Баптауларды тексеру"


def test_a_bad_row_is_named_and_the_vote_needs_no_reason(app: Flask, api: Api) -> None:
    _, task_id = _decided_by_vote(api)
    chair = signed_in(app, "wg_chair")
    page = chair.get(f"/tasks/{task_id}").get_data(as_text=True)
    past = (date.today() - timedelta(days=1)).isoformat()
    bad = chair.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf_from(page),
            "decision": "training",
            "follow_ups.0.assignee": "ict",
            "follow_ups.0.due": DUE,
            "follow_ups.0.action": "Бірінші",
            "follow_ups.1.assignee": "responsible",
            "follow_ups.1.due": past,
            "follow_ups.1.action": "Екінші",
        },
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    error = re.search(r'id="f-follow_ups-error">([^<]+)<', html)
    assert error is not None and "2" in error.group(1)  # the second row
    assert 'value="Екінші"' in html and f'value="{past}"' in html


def test_the_api_takes_the_text_lines_and_the_rows(api: Api) -> None:
    iid, task_id = _decided_by_vote(api)
    other = api.post(f"/tasks/{task_id}/complete", "wg_chair", json={"data": {"decision": "warning"}})
    assert other.status_code == 422 and "decision_change_reason" in other.get_json()["fields"]
    bad_row = api.post(
        f"/tasks/{task_id}/complete",
        "wg_chair",
        json={
            "data": {
                "decision": "training",
                "follow_ups": [{"assignee": "nobody", "due": DUE, "action": "x"}],
            }
        },
    )
    assert bad_row.status_code == 422 and "follow_ups" in bad_row.get_json()["fields"]
    done = api.post(
        f"/tasks/{task_id}/complete",
        "wg_chair",
        json={
            "data": {
                "decision": "training",
                "recommendations": f"responsible; {DUE}; Курс өткізу",
                "follow_ups": [{"assignee": "ict", "due": DUE, "action": "Баптау"}],
            }
        },
    )
    assert done.status_code == 200, done.get_json()
    incident = _detail(api, iid)
    assert sorted(f["assignee"] for f in incident["follow_ups"]) == ["ict", "responsible"]
    assert incident["decision_change_reason"] is None
    doc = api.client.get("/api/v1/openapi.json").get_json()
    shape = doc["components"]["schemas"]["ChairDecisionData"]["properties"]
    assert {"recommendations", "follow_ups", "decision_change_reason", "tool_restriction"} <= set(shape)


def _speaks(api: Api, username: str, lang: str) -> None:
    with api.rt.db.session() as session:
        session.execute(update(User).where(User.username == username).values(language=lang))


def _summary(html: str) -> str:
    found = re.search(r'<textarea[^>]*name="vote_summary"[^>]*>([^<]*)</textarea>', html)
    assert found, html[:2000]
    return html_text.unescape(found.group(1)).strip()


def test_a_russian_chair_reads_the_vote_summary_in_russian(app: Flask, api: Api) -> None:
    _iid, task_id = _decided_by_vote(api)
    _speaks(api, "wg_chair", "ru")
    chair = signed_in(app, "wg_chair")
    summary = _summary(chair.get(f"/tasks/{task_id}").get_data(as_text=True))
    assert summary.splitlines() == [
        "Присутствовали: 4 / 6 (кворум: 4)",
        "Обучение: 4",
        "Воздержались: 0",
        "Решение: Обучение",
    ]
    # A refused submit shows the read-only summary as it stands for this reader, still in Russian.
    refused = chair.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf_from(chair.get(f"/tasks/{task_id}").get_data(as_text=True)),
            "decision": "warning",
        },
    )
    assert refused.status_code == 422
    assert _summary(refused.get_data(as_text=True)).startswith("Присутствовали: 4 / 6")
    # The API answers in the token holder's language too.
    body = api.get(f"/tasks/{task_id}", "wg_chair").get_json()
    assert body["data"]["vote_summary"].startswith("Присутствовали: 4 / 6")
    # A Kazakh reader sees the text as the process keeps it (the language of the council's minutes).
    _speaks(api, "wg_chair", "kk")
    kazakh = _summary(signed_in(app, "wg_chair").get(f"/tasks/{task_id}").get_data(as_text=True))
    assert kazakh.splitlines()[0] == "Қатысқандар: 4 / 6 (кворум: 4)" and "Шешім: Оқыту" in kazakh
    _speaks(api, "wg_chair", "ru")
    done = api.post(f"/tasks/{task_id}/complete", "wg_chair", json={"data": {"decision": "training"}})
    assert done.status_code == 200, done.get_json()
    with api.rt.db.session() as session:  # the shown translation never becomes the step's answer
        answered = session.execute(select(HumanTask.data_json).where(HumanTask.id == task_id)).scalar_one()
    assert "Присутствовали" not in (answered or "")


def test_a_summary_stored_before_the_names_were_kept_still_shows(app: Flask, api: Api) -> None:
    iid, task_id = _decided_by_vote(api)
    with api.rt.db.session() as session:  # a running instance tallied by the previous release
        incident = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        counted = json.loads(incident.vote_json or "{}")
        counted.pop("labels")
        incident.vote_json = json.dumps(counted, ensure_ascii=False)
    _speaks(api, "wg_chair", "ru")
    summary = _summary(signed_in(app, "wg_chair").get(f"/tasks/{task_id}").get_data(as_text=True))
    assert summary.splitlines()[0] == "Қатысқандар: 4 / 6 (кворум: 4)" and "Шешім: Оқыту" in summary
