"""Surveys on a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL): ten staff answer an
anonymous survey at once and each answer counts once; no table and no export links an answer to a
person; a group of two shows no figures; outsiders get 403, a second answer 409 with the first intact;
closing withdraws the open tasks; named interviews are recorded on a person's behalf."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect, select, text

from service.features.surveys.models import SurveyAnswer
from service.platform.persistence.models import AuditEvent, CampaignTask, User
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.survey_steps import STAFF, answer_of, open_survey, survey_body


def _together(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as err:  # collected and asserted below
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _all_rows(rt: Runtime) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as text (what an administrator with SQL could read)."""
    with rt.db.read() as session:
        tables = inspect(session.get_bind()).get_table_names()
        return {
            t: [
                {k: "" if v is None else str(v) for k, v in row._mapping.items()}
                for row in session.execute(text(f'SELECT * FROM "{t}"'))
            ]
            for t in tables
        }


@pytest.mark.timeout(300)
def test_ten_staff_answer_at_once_each_counted_once_and_nothing_links_an_answer_to_them(api: Api) -> None:
    rt = api.rt
    survey_id = open_survey(api, rt, STAFF)
    # Everyone sends twice at the same moment: one answer each is kept, the others are 409.
    jobs = [
        (
            lambda n=n, user=user: api.post(
                f"/surveys/{survey_id}/answers", user, json={"answers": answer_of(n)}
            )
        )
        for n, user in enumerate(STAFF)
        for _ in range(2)
    ]
    codes = sorted(r.status_code for r in _together(jobs))
    assert codes == [201] * 10 + [409] * 10

    results = api.get(f"/surveys/{survey_id}/results", "responsible").get_json()
    assert (results["responded"], results["audience"], results["shown"]) == (10, 10, True)
    q1 = {c["value"]: c["count"] for c in results["questions"][0]["counts"]}
    assert q1 == {"o1": 3, "o2": 3, "o3": 2, "dont_know": 2}
    assert sorted(results["questions"][6]["texts"]) == sorted(f"ұсыныс-{n:02d}-жазба" for n in range(10))
    assert api.get(f"/surveys/{survey_id}", "staff1").get_json()["status"] == "closed"  # everyone answered

    rows = _all_rows(rt)
    # The answers' table: no person, no time, random keys, in an order other than the answers' order.
    answers = rows["survey_answer"]
    assert len(answers) == 10
    assert {(a["respondent_id"], a["recorded_by"], a["recorded_at"]) for a in answers} == {("", "", "")}
    assert all(len(a["id"]) == 32 and int(a["id"], 16) >= 0 for a in answers)
    # Participation rows keep nothing of the answers.
    tasks = rows["campaign_task"]
    assert len(tasks) == 10 and all(t["data_json"] == "" and t["status"] == "done" for t in tasks)
    # No table but the answers' holds any answer's text, and the answers' table holds no person.
    with rt.db.read() as session:
        people = [(str(u.id), u.username, u.full_name) for u in session.execute(select(User)).scalars()]
    for table, table_rows in rows.items():
        blob = json.dumps(table_rows, ensure_ascii=False)
        if table != "survey_answer":
            assert "ұсыныс-" not in blob, table
    answers_blob = json.dumps([a["answers_json"] for a in answers], ensure_ascii=False)
    for _uid, username, full_name in people:
        assert username not in answers_blob and full_name not in answers_blob
    # The audit log records that people took part, never what they answered.
    with rt.db.read() as session:
        details = [e.detail_json or "" for e in session.execute(select(AuditEvent)).scalars()]
    assert not any("ұсыныс-" in d or '"q1"' in d for d in details)

    # Exports: the answers, in their random order, without anyone's name or any time.
    client = api.client
    login(client, "responsible")
    exported = client.get(f"/surveys/{survey_id}/results.csv")
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(table) == 11 and "Жасанды интеллект" in table[0][0]
    workbook = load_workbook(io.BytesIO(client.get(f"/surveys/{survey_id}/results.xlsx").data))
    cells = [str(c.value or "") for row in workbook.active.iter_rows() for c in row]
    for text_ in (exported.get_data(as_text=True), " ".join(cells)):
        for _uid, username, full_name in people:
            assert username not in text_ and full_name not in text_
        assert "2026-" not in text_ and "2027-" not in text_


def test_a_group_of_two_shows_no_figures(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:5])
    for n, user in enumerate(STAFF[:2]):
        assert (
            api.post(f"/surveys/{survey_id}/answers", user, json={"answers": answer_of(n)}).status_code == 201
        )
    body = api.get(f"/surveys/{survey_id}/results", "responsible").get_json()
    assert body["responded"] == 2 and body["shown"] is False
    assert all(q["shown"] is False and q["counts"] == [] and q["texts"] == [] for q in body["questions"])
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{survey_id}/results")
    assert page.status_code == 200 and 'data-testid="too-few"' in page.get_data(as_text=True)
    assert "<svg" not in page.get_data(as_text=True)
    exported = client.get(f"/surveys/{survey_id}/results.csv").get_data(as_text=True)
    assert len(exported.strip().splitlines()) == 1  # the header only
    # A third answer makes the group large enough.
    assert (
        api.post(f"/surveys/{survey_id}/answers", "staff3", json={"answers": answer_of(2)}).status_code == 201
    )
    assert api.get(f"/surveys/{survey_id}/results", "responsible").get_json()["shown"] is True
    assert "<svg" in client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)


def test_outsiders_get_403_and_a_second_answer_409_with_the_first_kept(api: Api) -> None:
    rt = api.rt
    survey_id = open_survey(api, rt, STAFF[:3])
    assert (
        api.post(f"/surveys/{survey_id}/answers", "staff9", json={"answers": answer_of(1)}).status_code == 403
    )
    assert (
        api.post(f"/surveys/{survey_id}/answers", "staff1", json={"answers": answer_of(1)}).status_code == 201
    )
    again = api.post(f"/surveys/{survey_id}/answers", "staff1", json={"answers": answer_of(2)})
    assert again.status_code == 409 and again.get_json()["error"] == "already_responded"
    with rt.db.read() as session:
        stored = [json.loads(a) for a in session.execute(select(SurveyAnswer.answers_json)).scalars()]
    assert stored == [answer_of(1)]
    # Results are for keepers (and the director); a staff member gets 403.
    assert api.get(f"/surveys/{survey_id}/results", "staff1").status_code == 403
    assert api.get(f"/surveys/{survey_id}/results", "director").status_code == 200
    # A bad answer is a 422 naming the question, and nothing is recorded.
    bad = api.post(f"/surveys/{survey_id}/answers", "staff2", json={"answers": {**answer_of(1), "q5": 9}})
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"q5"}
    missing = api.post(f"/surveys/{survey_id}/answers", "staff2", json={"answers": {"q7": "x"}})
    assert missing.status_code == 422 and {"q1", "q5"} <= set(missing.get_json()["fields"])
    assert (
        api.post(f"/surveys/{survey_id}/answers", "staff2", json={"answers": answer_of(3)}).status_code == 201
    )


def test_the_audience_gets_a_task_and_a_notice_and_closing_withdraws_the_open_ones(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:4])
    inbox = api.get("/tasks?scope=mine", "staff2").get_json()
    assert [t["kind"] for t in inbox["campaign_tasks"]] == ["survey"]
    assert inbox["campaign_tasks"][0]["url"].endswith(f"/surveys/{survey_id}")
    client = api.client
    login(client, "staff2")
    assert f"surveys/{survey_id}" in client.get("/notifications").get_data(as_text=True)
    assert (
        api.post(f"/surveys/{survey_id}/answers", "staff1", json={"answers": answer_of(1)}).status_code == 201
    )
    assert api.post(f"/surveys/{survey_id}/close", "staff1").status_code == 403
    assert api.post(f"/surveys/{survey_id}/close", "hr").status_code == 200
    assert api.get("/tasks?scope=mine", "staff2").get_json()["campaign_tasks"] == []
    late = api.post(f"/surveys/{survey_id}/answers", "staff2", json={"answers": answer_of(2)})
    assert late.status_code == 409
    assert api.post(f"/surveys/{survey_id}/close", "hr").status_code == 409
    with api.rt.db.read() as session:
        statuses = sorted(session.execute(select(CampaignTask.status)).scalars())
    assert statuses == ["done", "missed", "missed", "missed"]


def test_hr_records_an_interview_on_a_staff_members_behalf(api: Api) -> None:
    rt = api.rt
    created = api.post("/surveys", "hr", json={"template": "competences"})
    assert created.status_code == 201 and created.get_json()["privacy"] == "named"
    survey_id = created.get_json()["id"]
    body = {**survey_body(rt, STAFF[:3], "named", "competences")}
    assert api.post("/surveys", "staff1", json=body).status_code == 403
    named = api.post("/surveys", "hr", json=body).get_json()["id"]
    assert api.post(f"/surveys/{named}/open", "hr").status_code == 200
    interview = {"q1": 4, "q2": 3, "q3": ["o1"], "q4": ["o1", "o2"], "q5": 6, "q6": ["o1"], "q7": "Жақсы"}
    ok = api.post(f"/surveys/{named}/answers", "hr", json={"respondent": "staff3", "answers": interview})
    assert ok.status_code == 201, ok.get_json()
    again = api.post(
        f"/surveys/{named}/answers", "deputy_director", json={"respondent": "staff3", "answers": interview}
    )
    assert again.status_code == 409
    assert api.post(f"/surveys/{named}/answers", "staff3", json={"answers": interview}).status_code == 409
    outsider = api.post(
        f"/surveys/{named}/answers", "hr", json={"respondent": "staff9", "answers": interview}
    )
    assert outsider.status_code == 422 and "respondent" in outsider.get_json()["fields"]
    assert (
        api.post(
            f"/surveys/{named}/answers", "wg_member", json={"respondent": "staff2", "answers": interview}
        ).status_code
        == 403
    )
    with rt.db.read() as session:
        row = session.execute(select(SurveyAnswer)).scalar_one()
        staff3 = session.execute(select(User).where(User.username == "staff3")).scalar_one()
        assert (row.respondent_id, row.recorded_by) == (staff3.id, "hr")
        events = [e for e in session.execute(select(AuditEvent)).scalars() if e.action == "survey.interview"]
    assert len(events) == 1 and events[0].actor == "hr" and "staff3" in (events[0].detail_json or "")
    assert survey_id != named


def test_the_template_is_a_draft_its_keeper_edits_with_a_form(api: Api) -> None:
    client = api.client
    login(client, "deputy_director")
    page = client.get("/surveys")
    token = csrf_from(page.get_data(as_text=True))
    loaded = client.post("/surveys/from-template", data={"template": "ai_usage", "csrf_token": token})
    assert loaded.status_code == 302
    edit_url = loaded.headers["Location"]
    form = client.get(edit_url).get_data(as_text=True)
    assert (
        'name="q-0-text_kk"' in form
        and "ЖИ-ді қаншалықты жиі" in form
        and "{" not in form.split("<form")[1].split("</form>")[0].replace("{{", "")
    )
    data = {
        "csrf_token": token,
        "count": "1",
        "title_kk": "Сынақ",
        "title_ru": "",
        "privacy": "anonymous",
        "audience_roles": "staff",
        "opens_on": "2026-01-01",
        "closes_on": "2099-01-01",
        "q-0-type": "single",
        "q-0-text_kk": "Сұрақ",
        "q-0-text_ru": "Вопрос",
        "q-0-options_kk": "Иә\nЖоқ",
        "q-0-options_ru": "Да\nНет",
        "q-0-required": "1",
    }
    # Adding a question keeps everything typed and saves nothing.
    added = client.post(edit_url, data={**data, "op": "add"})
    assert added.status_code == 200 and added.get_data(as_text=True).count("survey-editor-question") == 2
    assert "Сынақ" in added.get_data(as_text=True)
    # Saving with a missing Russian title: 422, the typed Kazakh title kept, the error under its field.
    refused = client.post(edit_url, data={**data, "op": "save"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="Сынақ"' in html and 'id="e-title_ru-error"' in html
    saved = client.post(edit_url, data={**data, "title_ru": "Тест", "op": "save"})
    assert saved.status_code == 302
    survey_id = int(edit_url.rstrip("/").split("/")[-2])
    body = api.get(f"/surveys/{survey_id}", "deputy_director").get_json()
    assert body["title"]["ru"] == "Тест" and [o["text"]["ru"] for o in body["questions"][0]["options"]] == [
        "Да",
        "Нет",
    ]
    assert api.get(f"/surveys/{survey_id}", "staff1").status_code == 404  # a draft is its keepers'
