"""Incident pages: bad input keeps the draft, the journal hides incidents from others, exports."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service.features.incidents import web as incident_pages
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.test_incident_api import REPORT, escalate, incident_of, report, triage


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_report_form_keeps_the_draft_on_bad_input(app: Flask, seeded: Runtime) -> None:
    staff = signed_in(app, "staff1")
    journal = staff.get("/incidents").get_data(as_text=True)
    started = staff.post("/processes/incident_escalation/start", data={"csrf_token": csrf_from(journal)})
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"]
    task_url = started.headers["Location"]
    form = staff.get(task_url).get_data(as_text=True)
    assert 'name="affected"' in form and "7Б" in form  # the data-minimisation hint is on the form
    big = io.BytesIO(b"x" * (10 * 1024 * 1024 + 1))
    refused = staff.post(
        task_url,
        data={
            "csrf_token": csrf_from(form),
            "type": "data_disclosure",
            "occurred_on": "2026-11-30",
            "description": "Typed with care, must survive",
            "evidence": (big, "evidence.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Typed with care, must survive" in html
    future = staff.post(
        task_url,
        data={
            "csrf_token": csrf_from(html),
            "type": "other",
            "occurred_on": "2999-01-01",
            "description": "Typed with care, must survive",
        },
    )
    assert future.status_code == 422 and "Typed with care, must survive" in future.get_data(as_text=True)
    done = staff.post(
        task_url,
        data={
            "csrf_token": csrf_from(future.get_data(as_text=True)),
            "type": "other",
            "occurred_on": "2026-11-30",
            "description": "Typed with care, must survive",
            "evidence": (io.BytesIO(b"%PDF-1.4 evidence"), "evidence.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    # The reporter lands on the incident's limited page (status and outcome, not the details).
    page = staff.get(done.headers["Location"], follow_redirects=True)
    assert page.status_code == 200 and 'data-testid="incident-status"' in page.get_data(as_text=True)
    assert 'data-testid="incident-description"' not in page.get_data(as_text=True)
    # The evidence opens for the council (the process page is private) but not for other staff.
    council = signed_in(app, "council2")
    link = re.search(
        r'href="(/files/[0-9a-f]{64})" data-testid="incident-evidence"',
        council.get(page.request.path).get_data(as_text=True),
    )
    assert link is not None
    assert council.get(link.group(1)).status_code == 200
    assert signed_in(app, "staff2").get(link.group(1)).status_code == 404


def test_journal_visibility_and_exports(app: Flask, api: Api) -> None:
    iid = escalate(api)  # anonymous data_disclosure report by staff1
    incident_id = incident_of(api, iid)["id"]
    other = signed_in(app, "staff2")
    assert other.get(f"/incidents/{incident_id}").status_code == 404
    assert other.get(f"/instances/{iid}").status_code == 404
    listing = other.get("/incidents").get_data(as_text=True)
    assert f"/incidents/{incident_id}" not in listing
    assert "ChatGPT" not in other.get("/incidents/export.csv").get_data(as_text=True)

    council = signed_in(app, "council1")
    page = council.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert REPORT["description"] in page
    reporter = re.search(r'data-testid="incident-reporter">([^<]*)<', page)
    assert reporter is not None and "Staff" not in reporter.group(1) and "staff1" not in page
    assert council.get(f"/instances/{iid}").status_code == 404  # its history would name the reporter

    responsible = signed_in(app, "responsible")
    page = responsible.get(f"/incidents/{incident_id}").get_data(as_text=True)
    named = re.search(r'data-testid="incident-reporter">([^<]*)<', page)
    assert named is not None and named.group(1).strip() not in ("", "—")

    director = signed_in(app, "director")
    assert f"/instances/{iid}" not in director.get("/instances").get_data(as_text=True)
    number = incident_of(api, iid)["number"]
    csv_text = director.get("/incidents/export.csv?type=data_disclosure").get_data(as_text=True)
    assert number in csv_text and "ChatGPT" in csv_text
    assert number not in director.get("/incidents/export.csv?type=other").get_data(as_text=True)
    xlsx = director.get("/incidents/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Журналдағы нөмірі" and values[1][0] == number  # headed in the reader's language


def test_vote_and_chair_pages(app: Flask, api: Api) -> None:
    from tests.integration.test_incident_api import vote

    iid = escalate(api)
    member = signed_in(app, "council1")
    task = api.open_task("council1", iid, "Task_vote")
    html = member.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert 'name="decision"' in html and 'value="restrict_tool"' in html and 'value="abstain"' in html
    assert REPORT["description"] in html  # the report is there to decide on
    assert "staff1" not in html
    for user, choice in (
        ("council1", "training"),
        ("council2", "training"),
        ("council3", "training"),
        ("council4", "training"),
    ):
        assert vote(api, iid, user, choice).status_code == 200
    chair = signed_in(app, "wg_chair")
    chair_task = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    page = chair.get(f"/tasks/{chair_task['id']}").get_data(as_text=True)
    assert "Шешім: Оқыту" in page and "training:" not in page  # the result, read-only, by its name
    form = csrf_from(page)
    done = chair.post(f"/tasks/{chair_task['id']}", data={"csrf_token": form, "decision": "warning"})
    assert done.status_code == 422  # not what the council decided
    done = chair.post(f"/tasks/{chair_task['id']}", data={"csrf_token": form, "decision": "training"})
    assert done.status_code == 302
    page = chair.get(done.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="minutes-pdf"' in page and 'data-testid="incident-votes"' in page


def _three_reports(api: Api) -> dict[str, int]:
    """Reports by staff1 (ChatGPT), staff2 (Gemini) and staff3 (ChatGPT), each triaged (and so numbered)."""
    made = {}
    for user, tool in (("staff1", "ChatGPT"), ("staff2", "Gemini Pro"), ("staff3", "ChatGPT")):
        iid = report(api, user, {**REPORT, "tool": tool, "anonymous": False})
        done = triage(api, iid, {"severity": "minor", "decision": "resolve", "corrective_action": "Talked"})
        assert done.status_code == 200, done.get_json()
        made[user] = iid
    return made


def _numbers(html: str) -> list[str]:
    return re.findall(r'href="/incidents/\d+">(\d{4}/\d+)</a>', html)


def test_the_journal_pages_like_the_order_register(
    app: Flask, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _three_reports(api)
    monkeypatch.setattr(incident_pages, "PAGE_SIZE", 2)
    responsible = signed_in(app, "responsible")
    first = responsible.get("/incidents?type=data_disclosure").get_data(as_text=True)
    assert len(_numbers(first)) == 2 and 'data-testid="pager-position">1 / 2<' in first
    nxt = re.search(r'href="([^"]+)" rel="next" data-testid="pager-next"', first)
    assert nxt is not None and "page=2" in nxt.group(1) and "offset" not in nxt.group(1)
    assert "type=data_disclosure" in nxt.group(1)  # the filters survive paging
    second = responsible.get(nxt.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(_numbers(second)) == 1 and 'rel="prev"' in second and 'rel="next"' not in second
    assert set(_numbers(first) + _numbers(second)) == {incident_of(api, i)["number"] for i in made.values()}
    # the orders register uses the same pager markup
    assert 'class="pager"' not in responsible.get("/orders").get_data(as_text=True)  # one page: no pager

    # The API keeps paging by offset, as its OpenAPI document says.
    by_offset = api.get("/incidents?limit=1&offset=1", "responsible").get_json()["incidents"]
    assert len(by_offset) == 1
    assert by_offset[0]["number"] == api.get("/incidents", "responsible").get_json()["incidents"][1]["number"]


def test_the_journal_search_finds_only_what_the_reader_may_see(app: Flask, api: Api) -> None:
    made = _three_reports(api)
    number = {user: incident_of(api, iid)["number"] for user, iid in made.items()}
    responsible = signed_in(app, "responsible")
    assert _numbers(responsible.get(f"/incidents?q={number['staff2']}").get_data(as_text=True)) == [
        number["staff2"]
    ]
    bare = number["staff2"].split("/")[1]
    assert number["staff2"] in _numbers(responsible.get(f"/incidents?q=№{bare}").get_data(as_text=True))
    chat = _numbers(responsible.get("/incidents?q=chatgpt").get_data(as_text=True))
    assert sorted(chat) == sorted([number["staff1"], number["staff3"]])
    assert _numbers(responsible.get("/incidents?q=gemini+pro").get_data(as_text=True)) == [number["staff2"]]

    # A reporter's search runs among their own reports only: another's number or tool finds nothing.
    staff2 = signed_in(app, "staff2")
    page = staff2.get(f"/incidents?q={number['staff1']}").get_data(as_text=True)
    table = page.split('data-testid="incidents"', 1)[1]
    assert _numbers(page) == [] and 'class="empty"' in table and "/incidents/" not in table
    assert _numbers(staff2.get("/incidents?q=chatgpt").get_data(as_text=True)) == []
    assert _numbers(staff2.get("/incidents?q=gemini").get_data(as_text=True)) == [number["staff2"]]
    assert api.get(f"/incidents?q={number['staff1']}", "staff2").get_json()["incidents"] == []
    # Others see nothing at all, searched or not.
    assert _numbers(signed_in(app, "wg_member").get("/incidents?q=chatgpt").get_data(as_text=True)) == []


def test_the_alert_draws_itself_on_the_notifications_page_in_kazakh(app: Flask, api: Api) -> None:
    """The incident feature's notification kind (not the platform) says what happened and links it."""
    iid = report(api)
    number = incident_of(api, iid)["id"]  # the journal number comes with triage; the alert is earlier
    page = signed_in(app, "responsible").get("/notifications").get_data(as_text=True)
    assert "incident_alert" not in page  # never the code
    assert f"/incidents/by-instance/{iid}" in page
    assert f"#{number}" in page
    assert "A teacher pasted" not in page and "staff1" not in page  # nothing of the report itself
