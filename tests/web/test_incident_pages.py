"""Incident pages: bad input keeps the draft, the journal hides incidents from others, exports."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service.workflows.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.test_incident_api import REPORT, escalate, incident_of


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
    assert values[0][0] == "number" and values[1][0] == number


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
    assert "Шешім / Decision: training" in page  # the vote's result is shown read-only
    form = csrf_from(page)
    done = chair.post(f"/tasks/{chair_task['id']}", data={"csrf_token": form, "decision": "warning"})
    assert done.status_code == 422  # not what the council decided
    done = chair.post(f"/tasks/{chair_task['id']}", data={"csrf_token": form, "decision": "training"})
    assert done.status_code == 302
    page = chair.get(done.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="minutes-pdf"' in page and 'data-testid="incident-votes"' in page
