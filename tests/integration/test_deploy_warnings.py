"""A diagram that sends steps to a role no active person of the school holds deploys, with a warning that
names the role (by its name, in the admin's language) and the steps; Check says it before Deploy."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update

from service.platform.persistence.models import ProcessDefinition, User, UserRole
from service.platform.processes import deploy
from service.platform.roles import parse_lane, role_name
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.modeler_helpers import ENGLISH, XML

ROOT = Path(__file__).resolve().parents[2]
BPMNIO = (ROOT / "tests" / "fixtures" / "modelers" / "bpmnio_kazakh_lanes.bpmn").read_bytes()
INCIDENTS = (ROOT / "bpmn" / "incident_escalation.bpmn").read_bytes()
LEGAL = {"id": "Activity_1legal", "name": "Құқықтық тексеру"}


def _close(rt: Runtime, username: str) -> None:
    with rt.db.session() as session:
        session.execute(update(User).where(User.username == username).values(is_active=False))


def _speak(rt: Runtime, username: str, lang: str) -> None:
    """The API answers in the caller's own language (their profile's)."""
    with rt.db.session() as session:
        session.execute(update(User).where(User.username == username).values(language=lang))


def _assert_said_without_english(text: str, lang: str) -> None:
    """Kazakh and Russian say it in their words: the role by its name, never by its code."""
    if lang in ("kk", "ru"):
        assert "lawyer" not in text.lower(), text
        prose = re.sub(r"«[^»]*»", " ", text).lower()
        assert not [w for w in ENGLISH if w in prose], text
        assert not re.search(r"[a-z]", prose), text


def _the_lawyer_warning(warnings: list[dict[str, Any]], lang: str) -> str:
    assert [w["code"] for w in warnings] == ["role_unheld"], warnings
    warning = warnings[0]
    assert warning["role"] == "lawyer" and warning["role_name"] == role_name("lawyer", lang)
    assert warning["tasks"] == [LEGAL] and warning["element"] == LEGAL["id"]
    text = str(warning["text"])
    assert f"«{role_name('lawyer', lang)}»" in text and f"«{LEGAL['name']}»" in text, text
    _assert_said_without_english(text, lang)
    return text


def test_the_api_deploys_and_warns_of_a_role_nobody_active_holds(api: Api) -> None:
    """The only lawyer's account is closed: the legal review would wait with nobody to do it."""
    _close(api.rt, "lawyer")
    texts = {}
    for n, lang in enumerate(("kk", "ru", "en")):
        _speak(api.rt, "admin", lang)
        xml = BPMNIO + f"<!-- {n} -->".encode()  # new bytes: a new version each time
        response = api.post("/processes", "admin", data=xml, headers=XML)
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["version"] == n + 1
        texts[lang] = _the_lawyer_warning(body["warnings"], lang)
    assert len(set(texts.values())) == 3, texts
    # Deploying the active version again changes nothing, and still says what is missing.
    again = api.post("/processes", "admin", data=BPMNIO + b"<!-- 2 -->", headers=XML)
    assert again.status_code == 200 and again.get_json()["warnings"][0]["role"] == "lawyer"


def test_no_warning_when_every_role_is_held(api: Api) -> None:
    response = api.post("/processes", "admin", data=BPMNIO, headers=XML)
    assert response.status_code == 201 and response.get_json()["warnings"] == []


def test_a_step_another_role_of_it_can_do_or_given_to_a_person_is_not_warned_of(api: Api) -> None:
    _close(api.rt, "lawyer")
    with_director = BPMNIO.replace('name="заңгер"'.encode(), 'name="заңгер, Директор"'.encode())
    response = api.post("/processes", "admin", data=with_director, headers=XML)
    assert response.status_code == 201 and response.get_json()["warnings"] == []
    # The council's vote goes to each member by name (a multi-instance over `role_members`), never to the
    # role: nobody holding `council` is no reason to warn (the run time never tells the admins either).
    with api.rt.db.session() as session:
        session.execute(delete(UserRole).where(UserRole.role == "council"))
    checked = deploy.check_bpmn(api.rt, INCIDENTS, "incident_escalation.bpmn")
    assert dict(checked.compiled.task_roles)["Task_vote"] == ("council",)
    assert checked.warnings == ()


def test_deploy_and_run_send_a_step_to_the_same_roles(api: Api) -> None:
    checked = deploy.check_bpmn(api.rt, BPMNIO, "lesson_plan.bpmn")
    routes = dict(checked.compiled.task_roles)
    assert routes == {
        "Activity_0prepare": ("staff",),
        "Activity_0review": ("director",),
        "Activity_1legal": ("lawyer",),
    }
    assert api.post("/processes", "admin", data=BPMNIO, headers=XML).status_code == 201
    started = api.post("/processes/Process_lesson_plan/instances", "staff1").get_json()
    [row] = started["tasks"]
    assert tuple(parse_lane(row["role"])) == routes[row["bpmn_id"]]


def _client_in(app: Flask, lang: str) -> FlaskClient:
    client = app.test_client()
    login(client, "admin")
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "csrf_token": token})
    return client


def _editor_headers(client: FlaskClient) -> dict[str, str]:
    page = client.get("/admin/editor/new?process_id=x").get_data(as_text=True)
    return {"X-CSRFToken": csrf_from(page), **XML}


def test_check_and_the_editors_deploy_warn_in_the_admins_language(app: Flask, seeded: Runtime) -> None:
    _close(seeded, "lawyer")
    for lang in ("kk", "ru", "en"):
        client = _client_in(app, lang)
        checked = client.post("/admin/editor/check", data=BPMNIO, headers=_editor_headers(client))
        body = checked.get_json()
        assert checked.status_code == 200 and body["ok"] is True and body["problems"] == []
        _the_lawyer_warning(body["warnings"], lang)
    deployed = client.post("/admin/editor/deploy", data=BPMNIO, headers=_editor_headers(client))
    assert deployed.status_code == 201
    _the_lawyer_warning(deployed.get_json()["warnings"], "en")
    # The step's lawyer is back: nothing to warn of.
    with seeded.db.session() as session:
        session.execute(update(User).where(User.username == "lawyer").values(is_active=True))
    again = client.post("/admin/editor/check", data=BPMNIO, headers=_editor_headers(client))
    assert again.get_json()["warnings"] == []


def test_the_upload_page_deploys_and_shows_the_warning(app: Flask, seeded: Runtime) -> None:
    _close(seeded, "lawyer")
    client = _client_in(app, "ru")
    token = csrf_from(client.get("/admin/processes").get_data(as_text=True))
    response = client.post(
        "/admin/processes",
        data={"bpmn": (BytesIO(BPMNIO), "lesson.bpmn"), "note": "", "csrf_token": token},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "flash-warning" in page
    assert f"«{role_name('lawyer', 'ru')}»" in page and "«Құқықтық тексеру»" in page
    with seeded.db.session() as session:
        active = session.execute(
            select(ProcessDefinition.version).where(
                ProcessDefinition.process_id == "Process_lesson_plan", ProcessDefinition.is_active.is_(True)
            )
        ).scalar_one()
    assert active == 1  # deployed all the same
