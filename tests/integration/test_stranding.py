"""No stranded instance: what the engine cannot complete here is refused at deploy naming the element
(kk/ru/en), and an admin can cancel a running instance with a reason (audited) and retry a stopped one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from service.platform.persistence.models import AuditEvent, HumanTask, ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.modeler_helpers import XML, assert_said_in_every_language, signed_in_admin

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">'
    '<bpmn:message id="Msg_1" name="paid" /><bpmn:signal id="Sig_1" name="stop" />'
)


def diagram(middle: str, start: str = '<bpmn:startEvent id="S" />', more: str = "") -> bytes:
    return f"""{HEAD}
<bpmn:process id="waits" name="Waits" isExecutable="true">
  <bpmn:laneSet id="LS"><bpmn:lane id="L" name="staff"><bpmn:flowNodeRef>S</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>X</bpmn:flowNodeRef><bpmn:flowNodeRef>E</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
  {start}{middle}<bpmn:endEvent id="E" />
  <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="X" />
  <bpmn:sequenceFlow id="F2" sourceRef="X" targetRef="E" />{more}
</bpmn:process></bpmn:definitions>""".encode()


MESSAGE = '<bpmn:messageEventDefinition id="MD" messageRef="Msg_1" />'
SIGNAL = '<bpmn:signalEventDefinition id="SD" signalRef="Sig_1" />'


@pytest.mark.parametrize(
    ("xml", "code", "element"),
    [
        (
            diagram(
                f'<bpmn:intermediateCatchEvent id="X" name="Төлем">{MESSAGE}</bpmn:intermediateCatchEvent>'
            ),
            "message_never_sent",
            "X",
        ),
        (
            diagram(
                f'<bpmn:intermediateCatchEvent id="X" name="Тоқта">{SIGNAL}</bpmn:intermediateCatchEvent>'
            ),
            "signal_never_sent",
            "X",
        ),
        (diagram('<bpmn:receiveTask id="X" name="Жауап" messageRef="Msg_1" />'), "message_never_sent", "X"),
        (
            diagram(
                '<bpmn:task id="X" />', f'<bpmn:startEvent id="S" name="Өтініш">{MESSAGE}</bpmn:startEvent>'
            ),
            "start_waits",
            "S",
        ),
        (
            diagram(
                '<bpmn:task id="X" />',
                f'<bpmn:startEvent id="S" parallelMultiple="true">{MESSAGE}{SIGNAL}</bpmn:startEvent>',
            ),
            "parallel_start",
            "S",
        ),
        (diagram('<bpmn:businessRuleTask id="X" name="Шешім кестесі" />'), "business_rule", "X"),
        (
            diagram(
                '<bpmn:task id="X" name="Жазу"><bpmn:dataOutputAssociation id="DOA"><bpmn:targetRef>DS'
                "</bpmn:targetRef></bpmn:dataOutputAssociation></bpmn:task>"
                '<bpmn:dataStoreReference id="DS" name="Журнал" />'
            ),
            "data_store",
            "X",
        ),
        (
            diagram('<bpmn:task id="X" />').replace(b'isExecutable="true"', b'isExecutable="false"'),
            "not_executable",
            "waits",
        ),
    ],
)
def test_what_cannot_complete_is_refused_naming_it(
    app: Flask, seeded: Runtime, xml: bytes, code: str, element: str
) -> None:
    assert_said_in_every_language(signed_in_admin(app), xml, code, element)


def test_a_signal_thrown_in_the_same_diagram_is_fine(api: Api) -> None:
    throw = f'<bpmn:intermediateThrowEvent id="T">{SIGNAL.replace("SD", "SD2")}</bpmn:intermediateThrowEvent>'
    catch = (
        f'<bpmn:boundaryEvent id="B" attachedToRef="X" cancelActivity="false">{SIGNAL}</bpmn:boundaryEvent>'
    )
    xml = diagram(
        f'<bpmn:task id="X" name="Жұмыс" />{catch}{throw}',
        more=(
            '<bpmn:sequenceFlow id="F3" sourceRef="B" targetRef="T" /><bpmn:endEvent id="E2" />'
            '<bpmn:sequenceFlow id="F4" sourceRef="T" targetRef="E2" />'
        ),
    )
    response = api.post("/processes", "admin", data=xml, headers=XML)
    assert response.status_code == 201, response.get_json()


def test_an_admin_cancels_a_running_instance_with_a_reason(api: Api, app: Flask, seeded: Runtime) -> None:
    xml = diagram('<bpmn:task id="X" name="Жұмыс" />')
    assert api.post("/processes", "admin", data=xml, headers=XML).status_code == 201
    instance_id = api.post("/processes/waits/instances", "staff1").get_json()["id"]
    path = f"/instances/{instance_id}/cancel"
    assert api.post(path, "staff1", json={"reason": "x"}).status_code == 403
    assert api.post(path, "admin", json={"reason": "  "}).status_code == 422
    done = api.post(path, "admin", json={"reason": "Қате диаграмма: қайта бастаймыз"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "cancelled"
    assert api.post(path, "admin", json={"reason": "again"}).status_code == 409
    with seeded.db.session() as session:
        tasks = session.execute(
            select(HumanTask.status).where(HumanTask.instance_id == instance_id)
        ).scalars()
        assert set(tasks) == {"cancelled"}
        event = session.execute(
            select(AuditEvent).where(
                AuditEvent.instance_id == instance_id, AuditEvent.action == "instance.cancel"
            )
        ).scalar_one()
        assert "Қате диаграмма" in event.detail_json
    # the instance page: the reason in the timeline; the form for an admin only while it runs
    browser = app.test_client()
    login(browser, "admin")
    page = browser.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "Қате диаграмма: қайта бастаймыз" in page and 'name="reason"' not in page


def test_the_cancel_form_on_the_instance_page(api: Api, app: Flask, seeded: Runtime) -> None:
    xml = diagram('<bpmn:task id="X" name="Жұмыс" />')
    assert api.post("/processes", "admin", data=xml, headers=XML).status_code == 201
    instance_id = api.post("/processes/waits/instances", "staff1").get_json()["id"]
    browser = app.test_client()
    login(browser, "admin")
    page = browser.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert 'name="reason"' in page
    browser.post(f"/instances/{instance_id}/cancel", data={"reason": "Тест", "csrf_token": csrf_from(page)})
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "cancelled"


def test_an_admin_retries_a_stopped_instance_through_the_api(api: Api, seeded: Runtime) -> None:
    xml = diagram('<bpmn:task id="X" name="Жұмыс" />')
    assert api.post("/processes", "admin", data=xml, headers=XML).status_code == 201
    instance_id = api.post("/processes/waits/instances", "staff1").get_json()["id"]
    assert api.post(f"/instances/{instance_id}/retry", "admin").status_code == 409  # it is running
    with seeded.db.session() as session:
        instance = session.get(ProcessInstance, instance_id)
        assert instance is not None
        instance.status, instance.error = "error", "a timer failed"
    assert api.post(f"/instances/{instance_id}/retry", "staff1").status_code == 403
    retried = api.post(f"/instances/{instance_id}/retry", "admin")
    assert retried.status_code == 200 and retried.get_json()["status"] == "running"
