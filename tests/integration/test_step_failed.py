"""A step that fails at run time is a clear 422 `step_failed` naming the element and the reason, on the
API and on the task page, and nothing is saved: no instance on start, the task still open on complete."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.modeler_helpers import XML

FAILING = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="scores" name="Scores" isExecutable="true">
    <bpmn:laneSet id="LS"><bpmn:lane id="L1" name="staff">
      <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>Prepare</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>Grade</bpmn:flowNodeRef><bpmn:flowNodeRef>Score</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S" />
    <bpmn:scriptTask id="Prepare" name="Дайындық"><bpmn:script>PREPARE</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="Grade" name="Бағалау" />
    <bpmn:scriptTask id="Score" name="Ұпай есептеу">
      <bpmn:script>score = int(comment)</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Prepare" />
    <bpmn:sequenceFlow id="F2" sourceRef="Prepare" targetRef="Grade" />
    <bpmn:sequenceFlow id="F3" sourceRef="Grade" targetRef="Score" />
    <bpmn:sequenceFlow id="F4" sourceRef="Score" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>"""


def _deploy(api: Api, prepare: str) -> None:
    response = api.post("/processes", "admin", data=FAILING.replace("PREPARE", prepare).encode(), headers=XML)
    assert response.status_code in (200, 201), response.get_json()


def _count(rt: Runtime) -> int:
    with rt.db.session() as session:
        return int(session.execute(select(func.count()).select_from(ProcessInstance)).scalar_one())


def test_a_failing_script_on_start_is_a_422_naming_it_and_no_instance_is_kept(
    api: Api, seeded: Runtime
) -> None:
    _deploy(api, "total = 1 / 0")
    before = _count(seeded)
    reply = api.post("/processes/scores/instances", "staff1")
    assert reply.status_code == 422
    body = reply.get_json()
    assert body["error"] == "step_failed"
    assert body["element"] == "Prepare" and body["name"] == "Дайындық"
    assert body["reason"] == "ZeroDivisionError: division by zero"
    assert "Prepare" in body["message"] and "Traceback" not in body["message"]
    assert _count(seeded) == before


def test_a_failing_script_after_a_task_keeps_the_task_open_and_says_why(
    api: Api, app: Flask, seeded: Runtime
) -> None:
    _deploy(api, "total = 0")
    instance_id = api.post("/processes/scores/instances", "staff1").get_json()["id"]
    task = api.open_task("staff1", instance_id, "Grade", scope="roles")
    reply = api.post(
        f"/tasks/{task['id']}/complete", "staff1", json={"data": {"done": True, "comment": "бес"}}
    )
    assert reply.status_code == 422, reply.get_json()
    body = reply.get_json()
    assert body["error"] == "step_failed" and body["element"] == "Score"
    assert body["reason"].startswith("ValueError: invalid literal for int()")
    with seeded.db.session() as session:
        row = session.execute(select(HumanTask).where(HumanTask.id == task["id"])).scalar_one()
        assert row.status == "open" and row.completed_at is None  # nothing saved
    # the task page: the same text, in Kazakh, with what was typed kept
    browser = app.test_client()
    login(browser, "staff1")
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    answer = browser.post(
        f"/tasks/{task['id']}",
        data={"done": "on", "comment": "бес", "csrf_token": csrf_from(page)},
    )
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "«Ұпай есептеу» (Score)" in html and "ValueError" in html and "бес" in html
    assert "сақталмады" in html  # said in Kazakh
    # a corrected answer goes through
    done = api.post(f"/tasks/{task['id']}/complete", "staff1", json={"data": {"done": True, "comment": "5"}})
    assert done.status_code == 200
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"
