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

from service.platform.persistence.models import FormRevision, ProcessDefinition
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login

ROOT = Path(__file__).resolve().parents[2]
ORDER_XML = (ROOT / "bpmn" / "order_drafting.bpmn").read_bytes()
REVIEW = json.loads((ROOT / "forms" / "order_legal_review.json").read_text())
NEW_TITLE = "Заңгердің қорытындысы (жаңа)"


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


def _choose_language(client: FlaskClient, lang: str) -> None:
    token = csrf_from(client.get("/admin/forms").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "csrf_token": token, "next": "/admin/forms"})


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "жарамды JSON емес"),
        (json.dumps({**REVIEW, "type": "objekt"}), "JSON Schema"),
        (json.dumps({**REVIEW, "x-title": {"kk": "Тек қазақша"}}), "ru, en"),
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
    assert "Мәтін жарамды JSON емес" in bad  # said in the admin's language (Kazakh by default)


BROKEN_FIELD = {
    **REVIEW,
    "properties": {
        **REVIEW["properties"],
        "decision": {**REVIEW["properties"]["decision"], "x-widget": "textarea"},
    },
}


@pytest.mark.parametrize(
    ("lang", "expected", "not_expected"),
    [
        ("kk", "«decision» өрісі: «textarea» виджеті нұсқалар тізімін (enum) ұсына алмайды.", "cannot"),
        ("ru", "Поле «decision»: Виджет «textarea» не может предлагать список вариантов (enum).", "cannot"),
        ("en", "Field «decision»: The widget «textarea» cannot offer a list of options (enum).", "ұсына"),
    ],
)
def test_a_broken_form_is_explained_in_the_admins_language(
    admin: FlaskClient, seeded: Runtime, lang: str, expected: str, not_expected: str
) -> None:
    _choose_language(admin, lang)
    saved = _save(admin, "order_legal_review", json.dumps(BROKEN_FIELD, ensure_ascii=False))
    assert saved.status_code == 422 and _revisions(seeded) == 0
    page = saved.get_data(as_text=True)
    assert expected in page and not_expected not in page
    token = csrf_from(admin.get("/admin/forms/order_draft").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    preview = admin.post("/admin/forms/preview", data=json.dumps(BROKEN_FIELD), headers=headers)
    assert expected in preview.get_data(as_text=True)


def test_a_form_title_missing_languages_is_said_about_the_form(admin: FlaskClient) -> None:
    _choose_language(admin, "kk")
    text = json.dumps({**REVIEW, "x-title": {"kk": "Тек қазақша"}}, ensure_ascii=False)
    page = _save(admin, "order_legal_review", text).get_data(as_text=True)
    assert "Форма: x-title ішінде мына тілдер жоқ: ru, en." in page


def test_the_editors_check_explains_a_broken_form_in_the_admins_language(
    admin: FlaskClient, seeded: Runtime
) -> None:
    """A deploy check (JSON) names the form problem in the admin's language; the API keeps English."""
    assert _save(admin, "order_legal_review", json.dumps(REVIEW, ensure_ascii=False)).status_code == 302
    with seeded.db.session() as session:  # a revision broken behind the editor's back, as an old one may be
        row = session.execute(select(FormRevision)).scalar_one()
        row.schema_json = json.dumps(BROKEN_FIELD)
    token = csrf_from(admin.get("/admin/editor/order_drafting").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Content-Type": "application/xml"}
    for lang, expected in (
        ("kk", "«textarea» виджеті нұсқалар тізімін (enum) ұсына алмайды"),
        ("en", "The widget «textarea» cannot offer a list of options (enum)"),
    ):
        _choose_language(admin, lang)
        problems = admin.post("/admin/editor/check", data=ORDER_XML, headers=headers).get_json()["problems"]
        bad = [p for p in problems if p["code"] == "bad_form"]
        english = "form 'order_legal_review': field 'decision'"
        assert bad and all(p["message"].startswith(english) for p in bad)
        assert expected in bad[0]["text"], bad


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
