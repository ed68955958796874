"""Saving what the form builder writes: problems said next to their field (422, nothing stored, the text
kept), every save a new revision, a running task keeping the revision it was deployed with, and the
server enforcing the form's standard if/then the way the API hands it out."""

from __future__ import annotations

import copy
import html
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.platform.audit.verify import verify_audit
from service.platform.persistence.models import FormRevision
from service.platform.processes import form_editor
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, csrf_from, login
from tests.threads import run_together

KEY = "parent_meeting"
PROCESS = "parent_meeting_request"


def _tr(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


# What the builder writes for three fields: a short text, a choice, a long text shown and required online.
BUILT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "x-title": _tr("Ата-анамен кездесу", "Встреча с родителями", "Parent meeting"),
    "title": "Ата-анамен кездесу",
    "properties": {
        "topic": {
            "x-title": _tr("Кездесу тақырыбы", "Тема встречи", "Topic"),
            "title": "Кездесу тақырыбы",
            "type": "string",
            "maxLength": 200,
        },
        "format": {
            "x-title": _tr("Кездесу түрі", "Формат встречи", "Format"),
            "title": "Кездесу түрі",
            "type": "string",
            "x-widget": "radio",
            "enum": ["in_person", "online"],
            "x-enum-titles": {
                "in_person": _tr("Бетпе-бет", "Очно", "In person"),
                "online": _tr("Онлайн", "Онлайн", "Online"),
            },
        },
        "link": {
            "x-title": _tr("Сілтеме", "Ссылка", "Link"),
            "title": "Сілтеме",
            "type": "string",
            "x-widget": "textarea",
            "x-visible-if": {"format": ["online"]},
        },
    },
    "required": ["topic", "format"],
    "x-order": ["topic", "format", "link"],
    "allOf": [
        {
            "if": {"properties": {"format": {"const": "online"}}, "required": ["format"]},
            "then": {"required": ["link"]},
        }
    ],
}

BPMN = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Defs" targetNamespace="http://school.kz">
  <bpmn:process id="{PROCESS}" name="Parent meeting" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_staff" name="staff">
        <bpmn:flowNodeRef>Start_1</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_meeting</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_meeting" name="Ask for a meeting">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="{KEY}.json" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start_1" targetRef="Task_meeting" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_meeting" targetRef="End_1" />
  </bpmn:process>
</bpmn:definitions>
""".encode()


def _language(client: FlaskClient, lang: str) -> None:
    token = csrf_from(client.get("/admin/forms").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "csrf_token": token, "next": "/admin/forms"})


def _save(client: FlaskClient, schema: Any, view: str = "builder") -> Any:
    token = csrf_from(client.get("/admin/forms").get_data(as_text=True))
    text = schema if isinstance(schema, str) else json.dumps(schema, ensure_ascii=False, indent=2)
    return client.post(f"/admin/forms/{KEY}", data={"schema": text, "csrf_token": token, "view": view})


def _revisions(rt: Runtime) -> list[int]:
    with rt.db.session() as session:
        return sorted(
            r.revision
            for r in session.execute(select(FormRevision).where(FormRevision.form_key == KEY)).scalars()
        )


def _builder_config(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="builder-config">(.*?)</script>', page, re.S)
    assert match, "the builder's configuration is on the page"
    return dict(json.loads(match.group(1)))


def test_problems_are_said_next_to_their_field_in_the_admins_language_and_nothing_is_lost(
    admin: FlaskClient, seeded: Runtime
) -> None:
    broken = copy.deepcopy(BUILT)
    del broken["properties"]["format"]["x-enum-titles"]["online"]["ru"]  # an option without Russian
    broken["required"].append("link")  # shown only online, yet always required
    broken["properties"]["Bad-name"] = {"x-title": _tr("А", "Б", "C"), "title": "А", "type": "string"}
    broken["allOf"].append({"if": {"properties": {"ghost": {"const": 1}}}, "then": {"required": ["topic"]}})
    text = json.dumps(broken, ensure_ascii=False, indent=2)
    _language(admin, "ru")

    answer = _save(admin, text)

    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    config = _builder_config(page)
    assert sorted(config["fieldProblems"]) == ["Bad-name", "format", "link"]
    assert config["fieldProblems"]["format"] == [
        "Поле «format», вариант «online»: В x-title не хватает языков: ru."
    ]
    assert config["fieldProblems"]["link"] == [
        "Поле «link»: Поле, которое показывается только при значении другого поля, не может быть "
        "обязательным всегда: сделайте его обязательным при том же условии."
    ]
    assert (
        "Имя поля может содержать только латинские буквы, цифры и _."
        in config["fieldProblems"]["Bad-name"][0]
    )
    assert '<li data-field="format">' in page and '<li data-field="link">' in page
    assert "Условие (if/then) называет неизвестное поле «ghost»." in page  # about the whole form
    assert config["view"] == "builder"  # the page comes back in the view the admin used
    textarea = re.search(r'<textarea id="schema"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and html.unescape(textarea.group(1)).strip() == text  # exactly as sent
    assert _revisions(seeded) == []

    _language(admin, "kk")
    page = _save(admin, text, view="json").get_data(as_text=True)
    config = _builder_config(page)
    assert config["view"] == "json"
    assert config["fieldProblems"]["link"][0].startswith("«link» өрісі: Басқа өрістің мәніне қарай")


def test_each_save_is_a_revision_a_running_task_keeps_its_own_and_the_server_enforces_if_then(
    app: Flask, admin: FlaskClient, api: Api
) -> None:
    assert _save(admin, BUILT).status_code == 302
    assert _revisions(api.rt) == [1]
    listed = admin.get("/admin/forms").get_data(as_text=True)
    assert "<strong>Ата-анамен кездесу</strong>" in listed

    deployed = api.post("/processes", "admin", data=BPMN, headers={"Content-Type": "application/xml"})
    assert deployed.status_code == 201, deployed.get_json()
    listed = admin.get("/admin/forms").get_data(as_text=True)
    uses = listed[listed.index(f'data-testid="uses-{KEY}"') :][:400]
    assert "Parent meeting" in uses and "Ask for a meeting" in uses

    started = api.post(f"/processes/{PROCESS}/instances", "staff1")
    assert started.status_code == 201, started.get_json()
    iid = int(started.get_json()["id"])

    # The form is changed while the task is open: a new revision, the running task keeps revision 1.
    renamed = copy.deepcopy(BUILT)
    renamed["properties"]["topic"]["x-title"]["ru"] = "Тема (новая)"
    assert _save(admin, renamed).status_code == 302
    assert _revisions(api.rt) == [1, 2]
    task = api.open_task("staff1", iid, "Task_meeting", scope="roles")
    assert api.post(f"/tasks/{task['id']}/claim", "staff1").status_code == 200
    detail = api.get(f"/tasks/{task['id']}", "staff1").get_json()
    schema = detail["form"]["schema"]
    assert schema["properties"]["topic"]["x-title"]["ru"] == "Тема встречи"
    assert schema["allOf"] == BUILT["allOf"]  # what the server requires is in the schema a client reads

    # The task page marks the conditions for app.js: the link shown, and starred, only online.
    teacher = app.test_client()
    login(teacher, "staff1")
    page = teacher.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert """data-visible-if='{"format": ["online"]}'""" in page
    assert """data-required-if='{"format": {"const": "online"}}'""" in page
    assert page.count("data-conditional-star") == 1
    online = {"topic": "Итоги четверти", "format": "online"}
    refused = api.post(f"/tasks/{task['id']}/complete", "staff1", json={"data": online})
    assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["link"]
    in_person = {"topic": "Итоги четверти", "format": "in_person"}
    done = api.post(f"/tasks/{task['id']}/complete", "staff1", json={"data": in_person})
    assert done.status_code == 200, done.get_json()


@pytest.mark.timeout(300)
def test_simultaneous_saves_of_one_form_are_all_kept_as_successive_revisions(seeded: Runtime) -> None:
    """Two admins (here six saves) pressing Save together: none is lost, numbers never collide."""
    admin = actor_named(seeded, "admin")
    texts = []
    for n in range(6):
        edition = copy.deepcopy(BUILT)
        edition["properties"]["topic"]["x-title"]["en"] = f"Topic {n}"
        texts.append(json.dumps(edition, ensure_ascii=False))
    results = run_together(
        [lambda t=t: form_editor.save_form(seeded, admin, KEY, t).problems for t in texts]  # type: ignore[misc]
    )
    assert results == [[]] * len(texts)
    assert _revisions(seeded) == [1, 2, 3, 4, 5, 6]
    with seeded.db.session() as session:
        saved = {
            json.loads(r.schema_json)["properties"]["topic"]["x-title"]["en"]
            for r in session.execute(select(FormRevision).where(FormRevision.form_key == KEY)).scalars()
        }
        assert saved == {f"Topic {n}" for n in range(6)}
    assert verify_audit(seeded)[1] is None  # every save audited, the chain unbroken
