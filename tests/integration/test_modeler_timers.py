"""Timer values as modelers write them (`P2D`, `R6/P1D`, dates, quoted or not) deploy and run; a value
that would fail when the timer starts is refused at deploy, naming the timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from service.platform.persistence.models import ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import Api
from tests.integration.modeler_helpers import assert_said_in_every_language, signed_in_admin

XML = {"Content-Type": "application/xml"}


def diagram(duration: str, cycle: str, date: str) -> bytes:
    """A teacher's task with an interrupting deadline and a repeating reminder, after a wait until a date."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="timers_as_written" name="Timers" isExecutable="true">
    <bpmn:laneSet id="LS"><bpmn:lane id="L1" name="Мұғалім">
      <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>Wait</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>Work</bpmn:flowNodeRef><bpmn:flowNodeRef>E</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>Late</bpmn:flowNodeRef><bpmn:flowNodeRef>Remind</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E2</bpmn:flowNodeRef><bpmn:flowNodeRef>E3</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S" />
    <bpmn:intermediateCatchEvent id="Wait" name="Оқу жылының басы">
      <bpmn:timerEventDefinition id="TW"><bpmn:timeDate>{date}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:task id="Work" name="Есеп жазу" />
    <bpmn:boundaryEvent id="Late" name="2 күн" attachedToRef="Work">
      <bpmn:timerEventDefinition id="TL">
        <bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="Remind" name="Күн сайын" cancelActivity="false" attachedToRef="Work">
      <bpmn:timerEventDefinition id="TR"><bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="E" /><bpmn:endEvent id="E2" /><bpmn:endEvent id="E3" />
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Wait" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="Work" />
    <bpmn:sequenceFlow id="F3" sourceRef="Work" targetRef="E" />
    <bpmn:sequenceFlow id="F4" sourceRef="Late" targetRef="E2" />
    <bpmn:sequenceFlow id="F5" sourceRef="Remind" targetRef="E3" />
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.mark.parametrize(
    ("duration", "cycle", "date"),
    [
        ("P2D", "R6/P1D", "2026-01-05T09:00:00Z"),  # Camunda Modeler and the MIWG files: bare
        ('"P2D"', '"R6/P1D"', '"2026-01-05T09:00:00+05:00"'),  # our own editor: quoted
        (" p2d ", "r6/p1d", "2026-01-05"),  # typed by hand
    ],
)
def test_timers_written_bare_or_quoted_deploy_and_start(
    api: Api, seeded: Runtime, duration: str, cycle: str, date: str
) -> None:
    deployed = api.post("/processes", "admin", data=diagram(duration, cycle, date), headers=XML)
    assert deployed.status_code == 201, deployed.get_json()
    before = datetime.now(UTC)
    started = api.post("/processes/timers_as_written/instances", "staff1")
    assert started.status_code == 201, started.get_json()  # was a 500: NameError 'P2D'
    instance_id = started.get_json()["id"]
    work = api.open_task("staff1", instance_id, "Work", scope="roles")  # the date has passed: it fired
    with seeded.db.session() as session:
        due = session.execute(
            select(ProcessInstance.next_timer_at).where(ProcessInstance.id == instance_id)
        ).scalar_one()
    assert due is not None
    due = due if due.tzinfo else due.replace(tzinfo=UTC)
    # the daily reminder comes first, then the two-day deadline
    assert before + timedelta(hours=23) < due < before + timedelta(days=1, minutes=5)
    done = api.post(f"/tasks/{work['id']}/complete", "staff1", json={"data": {"done": True}})
    assert done.status_code == 200, done.get_json()
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


@pytest.mark.parametrize(
    ("duration", "cycle", "date", "element"),
    [
        ("2 days", "R6/P1D", "2026-01-05", "Late"),
        ('"P2X"', "R6/P1D", "2026-01-05", "Late"),
        ("P2D", '"every day"', "2026-01-05", "Remind"),
        ("P2D", "P1D", "2026-01-05", "Remind"),  # a cycle without R
        ("P2D", "R6/P1D", '"2026-13-45"', "Wait"),
        ("P2D", "R6/P1D", "2026-01-05T25:00", "Wait"),
    ],
)
def test_a_timer_that_would_fail_is_refused_at_deploy(
    api: Api, duration: str, cycle: str, date: str, element: str
) -> None:
    refused = api.post("/processes", "admin", data=diagram(duration, cycle, date), headers=XML)
    assert refused.status_code == 422, refused.get_json()
    assert element in {p["element"] for p in refused.get_json()["problems"]}


def test_a_bad_timer_is_explained_in_kazakh_russian_and_english(app: Flask, seeded: Runtime) -> None:
    admin = signed_in_admin(app)
    assert_said_in_every_language(admin, diagram("2 days", "R6/P1D", "2026-01-05"), "bad_timer", "Late")
