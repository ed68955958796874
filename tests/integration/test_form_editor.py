"""The form editor: JSON Schema checked before saving, a live preview drawn by the task page's macros, and
forms versioned with the process version: a saved form reaches the next deploy, never a running instance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.db.models import ProcessDefinition
from service.db.models_editor import FormRevision
from service.workflows.runtime import Runtime
from tests.conftest import Api, csrf_from, login

ROOT = Path(__file__).resolve().parents[2]
ORDER_XML = (ROOT / "bpmn" / "order_drafting.bpmn").read_bytes()
REVIEW = json.loads((ROOT / "forms" / "order_legal_review.json").read_text())
NEW_TITLE = "Заңгердің қорытындысы (жаңа)"


@pytest.fixture
def admin(app: Flask, seeded: Runtime) -> FlaskClient:
    client = app.test_client()
    login(client, "admin")
    return client


def _save(client: FlaskClient, key: str, text: str) -> Any:
    token = csrf_from(client.get("/admin/forms/order_draft").get_data(as_text=True))
    return client.post(f"/admin/forms/{key}", data={"schema": text, "csrf_token": token})


def _revisions(rt: Runtime) -> int:
    with rt.db.session() as session:
        return len(list(session.execute(select(FormRevision)).scalars()))


def test_forms_are_listed_and_shown_to_admins_only(admin: FlaskClient, app: Flask) -> None:
    assert "order_legal_review" in admin.get("/admin/forms").get_data(as_text=True)
    page = admin.get("/admin/forms/order_legal_review").get_data(as_text=True)
    assert "x-title" in page and 'data-testid="form-preview"' in page and 'name="decision"' in page
    assert admin.get("/admin/forms/no_such_form").status_code == 404
    staff = app.test_client()
    login(staff, "staff1")
    assert staff.get("/admin/forms").status_code == 403
    assert staff.get("/admin/forms/order_legal_review").status_code == 403


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**REVIEW, "type": "objekt"}), "JSON Schema"),
        (json.dumps({**REVIEW, "x-title": {"kk": "Тек қазақша"}}), "ru"),
    ],
)
def test_an_invalid_form_is_refused_and_nothing_is_saved(
    admin: FlaskClient, seeded: Runtime, text: str, reason: str
) -> None:
    response = _save(admin, "order_legal_review", text)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert _revisions(seeded) == 0


def test_the_preview_uses_the_task_page_macros(admin: FlaskClient) -> None:
    token = csrf_from(admin.get("/admin/forms/order_draft").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    changed = {**REVIEW, "properties": {**REVIEW["properties"]}}
    changed["properties"]["decision"] = {
        **REVIEW["properties"]["decision"],
        "x-title": {"kk": "Менің шешімім", "ru": "Р", "en": "E"},
    }
    html = admin.post("/admin/forms/preview", data=json.dumps(changed), headers=headers).get_data(
        as_text=True
    )
    assert "Менің шешімім" in html and 'name="decision"' in html
    bad = admin.post("/admin/forms/preview", data="{", headers=headers).get_data(as_text=True)
    assert "not valid JSON" in bad


def test_a_saved_form_reaches_the_next_version_and_running_instances_keep_theirs(
    admin: FlaskClient, api: Api
) -> None:
    old = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    changed = {**REVIEW, "x-title": {**REVIEW["x-title"], "kk": NEW_TITLE}, "title": NEW_TITLE}
    response = _save(admin, "order_legal_review", json.dumps(changed, ensure_ascii=False))
    assert response.status_code == 302
    assert _revisions(api.rt) == 1
    assert NEW_TITLE in admin.get("/admin/forms/order_legal_review").get_data(as_text=True)

    xml = ORDER_XML.replace(b'value="P5D"', b'value="P6D"')
    deployed = api.post("/processes", "admin", data=xml, headers={"Content-Type": "application/xml"})
    assert deployed.status_code == 201
    with api.rt.db.session() as session:
        rows = {
            d.version: json.loads(d.forms_json)
            for d in session.execute(
                select(ProcessDefinition).where(ProcessDefinition.process_id == "order_drafting")
            ).scalars()
        }
    assert rows[2]["order_legal_review"]["title"] == NEW_TITLE
    assert rows[1]["order_legal_review"]["title"] == REVIEW["title"]  # version 1 keeps its snapshot

    draft = api.open_task("wg_deputy", old, "Task_draft")
    data = {"title": "Т", "order_type": "other", "body": "Б"}
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": data}).status_code == 200
    review = api.open_task("lawyer", old, "Task_legal_review", scope="roles")
    detail = api.get(f"/tasks/{review['id']}", "lawyer").get_json()
    assert detail["form"]["schema"]["title"] == REVIEW["title"]  # the running instance keeps its form
