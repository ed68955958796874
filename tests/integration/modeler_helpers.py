"""Helpers for the modeler-diagram tests: deploy through the API, Check in a language, complete as a role."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Api, csrf_from, login

XML = {"Content-Type": "application/xml"}

# Words of the libraries' (SpiffWorkflow, lxml, the XSD) and our English messages: none may reach a Kazakh
# or Russian reader (the BPMN term "lane" in brackets is allowed: the modeler's palette says it).
ENGLISH = (
    " the ",
    " is ",
    " not ",
    "task",
    "role",
    "form",
    "timer",
    "process",
    "element",
    "invalid",
    "expected",
    "error",
    "0x",
    "must",
)


def deploy(api: Api, xml: bytes, query: str = "") -> Any:
    return api.post(f"/processes{query}", "admin", data=xml, headers=XML)


def complete_as(
    api: Api, user: str, instance_id: int, bpmn_id: str, data: dict[str, Any], scope: str = "roles"
) -> dict[str, Any]:
    task = api.open_task(user, instance_id, bpmn_id, scope=scope)
    response = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
    assert response.status_code == 200, response.get_json()
    return task


def signed_in_admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, "admin")
    return client


def check(client: FlaskClient, xml: bytes, lang: str = "kk") -> list[dict[str, Any]]:
    """The editor's Check in one language: every problem with its element and translated text."""
    client.post("/language", data={"lang": lang, "csrf_token": _token(client)})
    response = client.post("/admin/editor/check", data=xml, headers={"X-CSRFToken": _token(client), **XML})
    assert response.status_code == 200
    problems: list[dict[str, Any]] = response.get_json()["problems"]
    return problems


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/admin/editor/new?process_id=x").get_data(as_text=True))


def assert_said_in_every_language(client: FlaskClient, xml: bytes, code: str, element: str) -> None:
    """The refusal names the element and reads in kk and ru without English library text, and in en."""
    texts = {}
    for lang in ("kk", "ru", "en"):
        found = [p for p in check(client, xml, lang) if p["code"] == code]
        assert found, f"no {code} in {lang}"
        assert found[0]["element"] == element
        texts[lang] = found[0]["text"]
    for lang in ("kk", "ru"):
        # names and values the admin wrote or must write (quoted, ${…}, snake_case) are not prose
        prose = re.sub(r"«[^»]*»|\$\{[^}]*\}|\b\w+_\w+\b", " ", texts[lang]).lower()
        assert not [w for w in ENGLISH if w in prose.replace(element.lower(), "")], texts[lang]
    assert len({texts["kk"], texts["ru"], texts["en"]}) == 3, texts
