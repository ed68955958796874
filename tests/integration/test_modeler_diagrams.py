"""Diagrams as admins draw them in bpmn.io and Camunda Modeler: they deploy, run to their end through the
API, and what cannot run is refused at deploy naming the element, in Kazakh, Russian and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.platform.runtime import Runtime
from tests.conftest import Api
from tests.integration.modeler_helpers import (
    assert_said_in_every_language,
    check,
    complete_as,
    deploy,
    signed_in_admin,
)


@pytest.fixture
def admin(app: Flask, seeded: Runtime) -> FlaskClient:
    return signed_in_admin(app)


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
BPMNIO = (FIXTURES / "bpmnio_kazakh_lanes.bpmn").read_bytes()


def test_a_bpmnio_diagram_with_kazakh_lanes_and_no_forms_runs_to_its_end(api: Api) -> None:
    response = deploy(api, BPMNIO)
    assert response.status_code == 201, response.get_json()
    started = api.post("/processes/Process_lesson_plan/instances", "staff1")
    assert started.status_code == 201, started.get_json()
    instance_id = started.get_json()["id"]
    task = api.open_task("staff1", instance_id, "Activity_0prepare", scope="roles")
    assert task["candidate_roles"] == ["staff"]  # the lane «Мұғалім» is the teachers' role
    detail = api.get(f"/tasks/{task['id']}", "staff1").get_json()
    assert detail["form"]["key"] == "done"
    assert detail["form"]["schema"]["x-title"] == {"kk": "Орындалды", "ru": "Выполнено", "en": "Done"}
    refused = api.post(f"/tasks/{task['id']}/complete", "staff1", json={"data": {}})
    assert refused.status_code == 422  # the confirmation is required
    complete_as(api, "staff1", instance_id, "Activity_0prepare", {"done": True, "comment": "дайын"})
    review = complete_as(api, "director", instance_id, "Activity_0review", {"done": True})
    assert review["candidate_roles"] == ["director"]  # «Директор»: a manual task of the lane's role
    legal = complete_as(api, "lawyer", instance_id, "Activity_1legal", {"done": True})
    assert legal["candidate_roles"] == ["lawyer"]  # «заңгер», lower case
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


def test_a_task_outside_any_lane_is_refused_naming_it(admin: FlaskClient) -> None:
    xml = re.sub(rb'<bpmn:lane id="Lane_1director".*?</bpmn:lane>', b"", BPMNIO, flags=re.S)
    assert b"Lane_1director" not in xml.split(b"<bpmndi:")[0]
    assert_said_in_every_language(admin, xml, "no_lane", "Activity_0review")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Мектеп директоры", ["director"]),
        ("директор", ["director"]),
        ("Учителя", ["staff"]),
        ("Zangger", None),
        ("Заңгер / құжаттанушы", ["lawyer"]),
        ("Зангер", ["lawyer"]),
        ("ICT specialist, Юрист", ["ict", "lawyer"]),
        ("wg_deputy,wg_chair", ["wg_deputy", "wg_chair"]),
        ("Председатель рабочей группы", ["wg_chair"]),
        ("Диретор", ["director"]),
    ],
)
def test_lanes_name_roles_in_any_of_three_languages(name: str, codes: list[str] | None) -> None:
    from service.platform.engine.lanes import lane_codes, read_lane

    if codes is None:
        assert any(p.code is None for p in read_lane(name))
    else:
        assert lane_codes(name) == codes


def test_an_unknown_lane_lists_the_roles_and_the_closest(admin: FlaskClient) -> None:
    xml = BPMNIO.replace("заңгер".encode(), "Заңгерлер кеңсесі".encode())
    assert_said_in_every_language(admin, xml, "unknown_role", "Lane_2lawyer")
    kk = next(p for p in check(admin, xml, "kk") if p["code"] == "unknown_role")["text"]
    assert "Мектеп директоры" in kk and "Заңгер / құжаттанушы (lawyer)" in kk
    ru = next(p for p in check(admin, xml, "ru") if p["code"] == "unknown_role")["text"]
    assert "Директор школы" in ru
