"""Surveys on a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL): ten staff answer an
anonymous survey at once and each answer counts once; no table and no export links an answer to a
person; a group of two shows no figures; outsiders get 403, a second answer 409 with the first intact;
closing withdraws the open tasks; named interviews are recorded on a person's behalf."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import inspect, select, text

from service.features.surveys import usecases
from service.features.surveys.models import SurveyAnswer
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, CampaignTask, User
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, csrf_from, login
from tests.integration.survey_steps import STAFF, answer_of, open_survey, post_answer, survey_body
from tests.threads import run_together


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
    codes = sorted(r.status_code for r in run_together(jobs))
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
    # No hidden order either: SQLite keeps the rows without a rowid; in PostgreSQL every live row was
    # written by the last answer's transaction (the rewrite), so `xmin` tells nothing of who came when.
    with rt.db.read() as session:
        if session.get_bind().dialect.name == "postgresql":
            xmins = session.execute(text("SELECT DISTINCT xmin::text FROM survey_answer")).scalars().all()
            assert len(xmins) == 1
        else:
            with pytest.raises(Exception, match="rowid"):
                session.execute(text("SELECT rowid FROM survey_answer")).all()
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
        assert post_answer(api, survey_id, user, answer_of(n)).status_code == 201
    assert api.post(f"/surveys/{survey_id}/close", "responsible").status_code == 200
    body = api.get(f"/surveys/{survey_id}/results", "responsible").get_json()
    assert body["responded"] == 2 and body["shown"] is False and body["until_closed"] is False
    assert all(q["shown"] is False and q["counts"] == [] and q["texts"] == [] for q in body["questions"])
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{survey_id}/results")
    assert page.status_code == 200 and 'data-testid="too-few"' in page.get_data(as_text=True)
    assert "<svg" not in page.get_data(as_text=True)
    exported = client.get(f"/surveys/{survey_id}/results.csv").get_data(as_text=True)
    assert len(exported.strip().splitlines()) == 1  # the header only
    note = PdfReader(io.BytesIO(client.get(f"/surveys/{survey_id}/note.pdf").data))
    assert "3-тен аз" in "".join(p.extract_text() for p in note.pages)


def test_an_anonymous_surveys_figures_wait_for_its_end(api: Api) -> None:
    """Figures read before and after one person's answer would differ by that answer: none while open."""
    survey_id = open_survey(api, api.rt, STAFF[:4])
    for n, user in enumerate(STAFF[:3]):
        assert post_answer(api, survey_id, user, answer_of(n)).status_code == 201
    body = api.get(f"/surveys/{survey_id}/results", "responsible").get_json()
    assert (body["responded"], body["shown"], body["until_closed"]) == (3, False, True)
    assert all(q["counts"] == [] and q["texts"] == [] for q in body["questions"])
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert 'data-testid="until-closed"' in page and "<svg" not in page
    assert (
        len(client.get(f"/surveys/{survey_id}/results.csv").get_data(as_text=True).strip().splitlines()) == 1
    )
    assert api.post(f"/surveys/{survey_id}/close", "responsible").status_code == 200
    assert api.get(f"/surveys/{survey_id}/results", "responsible").get_json()["shown"] is True
    assert "<svg" in client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert (
        len(client.get(f"/surveys/{survey_id}/results.csv").get_data(as_text=True).strip().splitlines()) == 4
    )


def test_outsiders_get_403_and_a_second_answer_409_with_the_first_kept(api: Api) -> None:
    rt = api.rt
    survey_id = open_survey(api, rt, STAFF[:3])
    assert post_answer(api, survey_id, "staff9", answer_of(1)).status_code == 403
    assert post_answer(api, survey_id, "staff1", answer_of(1)).status_code == 201
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
    assert post_answer(api, survey_id, "staff2", answer_of(3)).status_code == 201


def test_the_audience_gets_a_task_and_a_notice_and_closing_withdraws_the_open_ones(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:4])
    inbox = api.get("/tasks?scope=mine", "staff2").get_json()
    assert [t["kind"] for t in inbox["campaign_tasks"]] == ["survey"]
    assert inbox["campaign_tasks"][0]["url"].endswith(f"/surveys/{survey_id}")
    client = api.client
    login(client, "staff2")
    assert f"surveys/{survey_id}" in client.get("/notifications").get_data(as_text=True)
    assert post_answer(api, survey_id, "staff1", answer_of(1)).status_code == 201
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


def test_the_answer_page_keeps_what_was_typed_on_422_and_the_interview_form_shows(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:3])
    client = api.client
    login(client, "staff1")
    page = client.get(f"/surveys/{survey_id}")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200 and 'data-testid="answer-form"' in html and 'data-autosave="survey-' in html
    )
    token = csrf_from(html)
    form = {"csrf_token": token, "q1": "o2", "q2": ["o1", "o4"], "q7": "менің ойым"}
    refused = client.post(f"/surveys/{survey_id}/answer", data=form)
    kept = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="a-q5-error"' in kept and "менің ойым" in kept and 'value="o2" checked' in kept
    done = client.post(
        f"/surveys/{survey_id}/answer", data={**form, "q3": "o1", "q4": "o1", "q5": "3", "q6": "o1"}
    )
    assert done.status_code == 302
    assert 'data-testid="answered"' in client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    again = client.post(
        f"/surveys/{survey_id}/answer", data={**form, "q3": "o1", "q4": "o1", "q5": "3", "q6": "o1"}
    )
    assert again.status_code == 409

    named = api.post(
        "/surveys", "hr", json=survey_body(api.rt, STAFF[:2], "named", "competences")
    ).get_json()["id"]
    assert api.post(f"/surveys/{named}/open", "hr").status_code == 200
    hr = client.application.test_client()
    login(hr, "hr")
    interview_page = hr.get(f"/surveys/{named}").get_data(as_text=True)
    assert 'data-testid="interview-form"' in interview_page and 'value="staff2"' in interview_page
    token = csrf_from(interview_page)
    answers = {"q1": "4", "q2": "3", "q3": "o1", "q4": "o1", "q6": "o1"}
    missing = hr.post(f"/surveys/{named}/interview", data={"csrf_token": token, **answers})
    assert missing.status_code == 422 and "field-error" in missing.get_data(as_text=True)
    recorded = hr.post(
        f"/surveys/{named}/interview", data={"csrf_token": token, "respondent": "staff2", **answers}
    )
    assert recorded.status_code == 302
    results_page = hr.get(f"/surveys/{named}/results").get_data(as_text=True)
    assert 'data-testid="interviews"' in results_page and "Әйгерім Нұрбекқызы" in results_page
    assert "Жанар Сейітқызы" in results_page  # who recorded it, by name


def _run_of_template(api: Api, people: list[str], pick: int) -> int:
    """A run of the ai_knowledge template for `people`, each choosing option `pick` for question 1."""
    created = api.post("/surveys", "responsible", json={"template": "ai_knowledge"}).get_json()["id"]
    assert api.get(f"/surveys/{created}", "responsible").get_json()["template_key"] == "ai_knowledge"
    # The loaded draft is edited for a small audience, keeping its template (runs compare by it).
    usecases.update(api.rt, actor_named(api.rt, "responsible"), created, survey_body(api.rt, people))
    assert api.post(f"/surveys/{created}/open", "responsible").status_code == 200
    for n, user in enumerate(people):
        answer = {**answer_of(n), "q1": f"o{pick}"}
        assert api.post(f"/surveys/{created}/answers", user, json={"answers": answer}).status_code == 201
    return int(created)


def test_two_runs_of_a_template_compare(api: Api) -> None:
    september = _run_of_template(api, STAFF[:3], 3)
    may = _run_of_template(api, STAFF[3:7], 1)
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{may}/results?compare={september}").get_data(as_text=True)
    assert page.count('data-testid="comparison"') == 6  # every choice and scale question
    assert f'<option value="{september}" selected' in page
    pdf = client.get(f"/surveys/{may}/note.pdf?compare={september}")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert text.count("Салыстыру") == 6 and "4 (100%)" in text and "3 (100%)" in text
    # A survey that asks none of the same questions does not compare.
    unrelated = {
        **survey_body(api.rt, STAFF[:1]),
        "questions": [{"type": "number", "text": {"kk": "Жасыңыз?", "ru": "Ваш возраст?"}}],
    }
    other = api.post("/surveys", "responsible", json=unrelated).get_json()["id"]
    assert api.post(f"/surveys/{other}/open", "responsible").status_code == 200
    assert client.get(f"/surveys/{may}/results?compare={other}").status_code == 404


def test_the_closing_day_ends_the_survey_and_withdraws_its_tasks(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:3])
    assert post_answer(api, survey_id, "staff1", answer_of(1)).status_code == 201
    assert campaigns.end_due_campaigns(api.rt, utcnow() + timedelta(days=3)) == 0
    assert campaigns.end_due_campaigns(api.rt, utcnow() + timedelta(days=9)) == 1
    assert api.get(f"/surveys/{survey_id}", "staff2").get_json()["status"] == "closed"
    assert api.get("/tasks?scope=mine", "staff2").get_json()["campaign_tasks"] == []
    assert post_answer(api, survey_id, "staff2", answer_of(2)).status_code == 409


def test_a_keeper_reminds_only_those_who_have_not_answered(api: Api) -> None:
    survey_id = open_survey(api, api.rt, STAFF[:3])
    assert post_answer(api, survey_id, "staff1", answer_of(1)).status_code == 201
    client = api.client
    login(client, "wg_chair")
    token = csrf_from(client.get(f"/surveys/{survey_id}").get_data(as_text=True))
    assert client.post(f"/surveys/{survey_id}/remind", data={"csrf_token": token}).status_code == 302
    with api.rt.db.read() as session:
        reminded = sorted(
            session.execute(
                select(User.username)
                .join(CampaignTask, CampaignTask.user_id == User.id)
                .where(CampaignTask.reminded_at.is_not(None))
            ).scalars()
        )
    assert reminded == ["staff2", "staff3"]
    staff = client.application.test_client()
    login(staff, "staff2")
    token = csrf_from(staff.get(f"/surveys/{survey_id}").get_data(as_text=True))
    assert staff.post(f"/surveys/{survey_id}/remind", data={"csrf_token": token}).status_code == 403


def test_september_and_may_compare_on_the_questions_they_share(api: Api) -> None:
    """Item 1's knowledge survey and item 26's usage survey are different templates, but both ask the
    confidence scale, the forbidden uses and the training needs: those compare."""
    september = open_survey(api, api.rt, STAFF[:3])
    for n, user in enumerate(STAFF[:3]):
        assert post_answer(api, september, user, answer_of(n)).status_code == 201
    may = api.post("/surveys", "responsible", json=survey_body(api.rt, STAFF[3:6], template="ai_usage"))
    may_id = may.get_json()["id"]
    assert api.post(f"/surveys/{may_id}/open", "responsible").status_code == 200
    usage = {"q1": "o2", "q2": ["o1"], "q3": ["o1"], "q4": ["o1"], "q5": 5, "q7": ["o2"]}
    for user in STAFF[3:6]:
        assert post_answer(api, may_id, user, usage).status_code == 201
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{may_id}/results?compare={september}").get_data(as_text=True)
    assert page.count('data-testid="comparison"') == 3


@pytest.mark.timeout(120)
def test_two_interviewers_recording_the_same_person_at_once_keep_one_interview(api: Api) -> None:
    named = api.post(
        "/surveys", "hr", json=survey_body(api.rt, STAFF[:4], "named", "competences")
    ).get_json()["id"]
    assert api.post(f"/surveys/{named}/open", "hr").status_code == 200
    interview = {"q1": 4, "q2": 3, "q3": ["o1"], "q4": ["o1"], "q6": ["o1"]}
    jobs = [
        (
            lambda who=who: api.post(
                f"/surveys/{named}/answers", who, json={"respondent": "staff3", "answers": interview}
            )
        )
        for who in ("hr", "deputy_director", "hr", "deputy_director")
    ]
    codes = sorted(r.status_code for r in run_together(jobs))
    assert codes == [201, 409, 409, 409]
    with api.rt.db.read() as session:
        assert len(session.execute(select(SurveyAnswer.id)).all()) == 1
        events = session.execute(select(AuditEvent.action)).scalars().all()
    assert events.count("survey.interview") == 1


def test_refusals_say_why_in_the_readers_language(api: Api) -> None:
    later = {**survey_body(api.rt, STAFF[:2])}
    later["opens_on"] = (utcnow().astimezone(api.rt.tz).date() + timedelta(days=2)).isoformat()
    draft = api.post("/surveys", "responsible", json=later).get_json()["id"]
    early = api.post(f"/surveys/{draft}/open", "responsible")
    assert early.status_code == 409 and early.get_json()["error"] == "survey_not_yet_open"
    assert early.get_json()["message"] == "Сауалнаманың ашылу күні әлі келген жоқ."
    opened = open_survey(api, api.rt, STAFF[:2])
    client = api.client
    login(client, "responsible")
    page = client.get(f"/surveys/{opened}/edit")
    assert page.status_code == 409 and "сұрақтарын енді өзгертуге болмайды" in page.get_data(as_text=True)
    assert api.post(f"/surveys/{opened}/open", "responsible").status_code == 409
