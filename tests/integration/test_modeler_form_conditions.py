"""form-js `conditional.hide` in Camunda 8 forms: a field the designer hides under a FEEL condition is shown,
and required, only while the condition does not hide it (our `x-visible-if` and an `allOf` rule). Before,
the condition was dropped: a required field meant to be hidden had to be filled, and the task could not
be completed. A condition our forms cannot say exactly is refused at deploy on the task showing the form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Api, login
from tests.integration.modeler_helpers import assert_said_in_every_language, check, deploy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
REVIEW = (FIXTURES / "camunda8_conditional_form.bpmn").read_bytes()
PROCESS = "lesson_material_review"
HIDE = b'"conditional": { "hide": "=decision = \\"approve\\"" }'


def _review_task(api: Api) -> tuple[int, dict[str, Any]]:
    instance_id = api.post(f"/processes/{PROCESS}/instances", "staff1").get_json()["id"]
    return instance_id, api.open_task("director", instance_id, "Task_review", scope="roles")


def _complete(api: Api, task: dict[str, Any], data: dict[str, Any]) -> Any:
    return api.post(f"/tasks/{task['id']}/complete", "director", json={"data": data})


def test_a_reason_hidden_on_approval_is_required_only_on_rejection(api: Api, admin: FlaskClient) -> None:
    assert HIDE in REVIEW
    assert check(admin, REVIEW) == []
    response = deploy(api, REVIEW)
    assert response.status_code == 201, response.get_json()

    approved_id, approval = _review_task(api)
    schema = api.get(f"/tasks/{approval['id']}", "director").get_json()["form"]["schema"]
    assert schema["properties"]["reason"]["x-visible-if"] == {"decision": ["reject"]}
    assert schema["required"] == ["decision"]
    assert schema["allOf"] == [
        {
            "if": {"properties": {"decision": {"const": "reject"}}, "required": ["decision"]},
            "then": {"required": ["reason"]},
        }
    ]
    done = _complete(api, approval, {"decision": "approve"})  # the hidden reason left out: accepted
    assert done.status_code == 200, done.get_json()
    assert api.get(f"/instances/{approved_id}", "admin").get_json()["status"] == "completed"

    rejected_id, rejection = _review_task(api)
    refused = _complete(api, rejection, {"decision": "reject"})
    assert refused.status_code == 422
    assert list(refused.get_json()["fields"]) == ["reason"]
    done = _complete(api, rejection, {"decision": "reject", "reason": "Дереккөздері көрсетілмеген"})
    assert done.status_code == 200, done.get_json()
    assert api.get(f"/instances/{rejected_id}", "admin").get_json()["status"] == "completed"


def test_the_task_page_shows_the_reason_only_on_rejection(app: Flask, api: Api) -> None:
    """The page marks the condition for app.js, which hides (and disables) the field while it holds."""
    assert deploy(api, REVIEW).status_code == 201
    _, task = _review_task(api)
    director = app.test_client()
    login(director, "director")
    page = director.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert """data-visible-if='{"decision": ["reject"]}'""" in page
    assert """data-required-if='{"decision": {"const": "reject"}}'""" in page
    assert page.count("data-visible-if") == 1  # the note has no condition


@pytest.mark.parametrize(
    ("hide", "code"),
    [
        (rb"=contains(decision, \"app\")", "form_hide_feel"),
        (rb"=note = \"x\"", "form_hide_open_field"),
        (rb"=initiator = \"staff1\"", "form_hide_unknown_field"),
        (rb"=decision = \"aprove\"", "form_hide_bad_value"),
        (rb"=decision = \"approve\" and note = null", "form_hide_open_field"),
        (rb"=reason = null", "form_hide_cycle"),
    ],
)
def test_a_condition_our_forms_cannot_say_is_refused_on_the_task(
    api: Api, admin: FlaskClient, hide: bytes, code: str
) -> None:
    xml = REVIEW.replace(HIDE, b'"conditional": { "hide": "' + hide + b'" }')
    assert xml != REVIEW
    assert_said_in_every_language(admin, xml, code, "Task_review")
    refused = deploy(api, xml)
    assert refused.status_code == 422
    assert [(p["code"], p["element"]) for p in refused.get_json()["problems"]] == [(code, "Task_review")]


def test_a_condition_on_two_fields_is_refused_in_kazakh_and_russian(admin: FlaskClient) -> None:
    """Hidden while both hold = shown while either differs: not one list of values per field."""
    public = '{ "label": "Ашық", "type": "checkbox", "key": "public", "id": "Field_public" },\n    '
    text = REVIEW.decode().replace('{ "label": "Ескерту"', public + '{ "label": "Ескерту"', 1)
    text = text.replace(HIDE.decode(), '"conditional": { "hide": "=decision = \\"approve\\" and public" }')
    xml = text.encode()
    assert xml.count(b'"key": "public"') == 1 and b"and public" in xml
    assert_said_in_every_language(admin, xml, "form_hide_inexact", "Task_review")
    kk = next(p for p in check(admin, xml, "kk") if p["code"] == "form_hide_inexact")["text"]
    assert kk.startswith('«reason» өрісі «=decision = "approve" and public» шартымен жасырылады')
    ru = next(p for p in check(admin, xml, "ru") if p["code"] == "form_hide_inexact")["text"]
    assert ru.startswith('Поле «reason» скрывается условием «=decision = "approve" and public»')
