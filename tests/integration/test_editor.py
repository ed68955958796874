"""The process editor's endpoints: diagrams with layout, Check naming each offending element in the user's
language, Deploy, versions with counts, rollback with the old forms, diff, the instance diagram, the API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from service.platform.engine.layout import BPMN, BPMNDI
from service.platform.persistence.models import ProcessDefinition
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login

ROOT = Path(__file__).resolve().parents[2]
ORDER_XML = (ROOT / "bpmn" / "order_drafting.bpmn").read_bytes()
DRAFT = {"title": "Т", "order_type": "other", "body": "Б"}

SCRIPT_OS = ORDER_XML.replace(
    b'<bpmn:sequenceFlow id="Flow_to_draft" sourceRef="Settings_load" targetRef="Task_draft" />',
    b'<bpmn:sequenceFlow id="Flow_to_draft" sourceRef="Settings_load" targetRef="Script_bad" />'
    b'<bpmn:scriptTask id="Script_bad"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>'
    b'<bpmn:sequenceFlow id="Flow_bad" sourceRef="Script_bad" targetRef="Task_draft" />',
)

CAMUNDA = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:modeler="http://camunda.org/schema/modeler/1.0"
  id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler"
  exporterVersion="5.20.0" modeler:executionPlatform="Camunda Platform">
  <bpmn:collaboration id="Collaboration_1">
    <bpmn:participant id="Participant_1" name="Notice" processRef="camunda_notice" />
  </bpmn:collaboration>
  <bpmn:process id="camunda_notice" name="Notice" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_1" name="staff">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Activity_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_1</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Activity_1" name="Read">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:task>
    <bpmn:endEvent id="Event_1"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_1" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_1" targetRef="Event_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_1">
      <bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">
        <dc:Bounds x="129" y="80" width="600" height="250" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_1_di" bpmnElement="Lane_1" isHorizontal="true">
        <dc:Bounds x="159" y="80" width="570" height="250" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="_BPMNShape_StartEvent_2" bpmnElement="StartEvent_1">
        <dc:Bounds x="179" y="159" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_1_di" bpmnElement="Activity_1">
        <dc:Bounds x="270" y="137" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_1_di" bpmnElement="Event_1">
        <dc:Bounds x="432" y="159" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="215" y="177" /><di:waypoint x="270" y="177" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2">
        <di:waypoint x="370" y="177" /><di:waypoint x="432" y="177" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _csrf(client: FlaskClient) -> dict[str, str]:
    page = client.get("/admin/editor/order_drafting")
    assert page.status_code == 200
    match = re.search(r'"csrf": "([^"]+)"', page.get_data(as_text=True))
    token = match.group(1) if match else csrf_from(page.get_data(as_text=True))
    return {"X-CSRFToken": token, "Content-Type": "application/xml"}


def _check(client: FlaskClient, xml: bytes) -> list[dict[str, Any]]:
    response = client.post("/admin/editor/check", data=xml, headers=_csrf(client))
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is (not body["problems"])
    problems: list[dict[str, Any]] = body["problems"]
    return problems


# Every BPMN element the modeler draws as a shape: pools, lanes and flow nodes (boundary events included).
_SHAPE_TAGS = {
    "participant",
    "lane",
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "task",
    "userTask",
    "serviceTask",
    "scriptTask",
    "manualTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
}


def _drawable(xml: bytes) -> list[str]:
    """The ids of the file's pools, lanes and flow nodes, sorted: what its diagram must have a shape for."""
    return sorted(
        el.get("id") or ""
        for el in etree.fromstring(xml).iter(f"{{{BPMN}}}*")
        if etree.QName(el).localname in _SHAPE_TAGS
    )


def _active(rt: Runtime, process_id: str = "order_drafting") -> list[int]:
    with rt.db.session() as session:
        return list(
            session.execute(
                select(ProcessDefinition.version).where(
                    ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
                )
            ).scalars()
        )


def test_the_modeler_opens_any_version_with_a_layout_for_admins_only(admin: FlaskClient, app: Flask) -> None:
    page = admin.get("/admin/editor/order_drafting")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "editor/modeler.js" in html and "cdn" not in html.lower()
    assert "'unsafe-inline'" in page.headers["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    config = json.loads(re.search(r'id="editor-config">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert "deputy_director" in [code for code, _name in config["roles"]]
    assert "order_legal_review" in config["forms"] and "school_settings" in config["operators"]
    xml = admin.get("/admin/editor/order_drafting/v1.bpmn")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    root = etree.fromstring(xml.data)
    drawn = sorted(s.get("bpmnElement") or "" for s in root.iter(f"{{{BPMNDI}}}BPMNShape"))
    expected = _drawable(ORDER_XML)
    assert len(expected) > 1 + 4  # the pool, its four lanes and the flow nodes, whatever their number
    assert drawn == expected  # one shape each, nothing more
    download = admin.get("/admin/editor/order_drafting/v1.bpmn?download=1")
    assert "attachment" in download.headers["Content-Disposition"]
    assert admin.get("/admin/editor/no_such_process").status_code == 404
    assert admin.get("/admin/editor/order_drafting/v9.bpmn").status_code == 404
    blank = admin.get("/admin/editor/new.bpmn?process_id=leave_request")
    assert b'<bpmn:process id="leave_request"' in blank.data and b"BPMNShape" in blank.data

    staff = app.test_client()
    login(staff, "staff1")
    assert staff.get("/admin/editor/order_drafting").status_code == 403
    assert staff.get("/admin/editor/order_drafting/v1.bpmn").status_code == 403


@pytest.mark.parametrize(
    ("xml", "element", "code"),
    [
        (ORDER_XML.replace(b'name="lawyer"', b'name="janitor"'), "Lane_lawyer", "unknown_role"),
        (
            ORDER_XML.replace(b"order_legal_review.json", b"no_such_form.json"),
            "Task_legal_review",
            "missing_form",
        ),
        (SCRIPT_OS, "Script_bad", "script_refused"),
        (
            ORDER_XML.replace(b'decision == "reject"', b"().__class__.__base__"),
            "Gateway_director_decision",
            "expression_refused",
        ),
        (
            ORDER_XML.replace(b'settings["legal_review_reminder"]', b'"48 hours"'),
            "Timer_review_reminder",
            "bad_timer",
        ),
    ],
)
def test_check_names_the_element_and_says_why_in_the_users_language(
    admin: FlaskClient, seeded: Runtime, xml: bytes, element: str, code: str
) -> None:
    problems = _check(admin, xml)
    found = [p for p in problems if p["element"] == element and p["code"] == code]
    assert found, problems
    assert found[0]["line"] and found[0]["text"] != found[0]["message"]  # said in Kazakh, not English
    response = admin.post("/admin/editor/deploy", data=xml, headers=_csrf(admin))
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_bpmn"
    assert _active(seeded) == [1]


def test_check_refuses_an_external_entity_and_a_missing_called_process(admin: FlaskClient) -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + ORDER_XML.split(b"?>", 1)[1].replace('name="Бұйрық әзірлеу"'.encode(), b'name="&x;"')
    )
    problems = _check(admin, xxe)
    assert problems[0]["code"] == "doctype" and problems[0]["line"] == 2
    caller = (ROOT / "tests" / "integration" / "test_deploy.py").read_text().split('CALLER = b"""')[1]
    caller_xml = caller.split('"""')[0].replace("CALLED", "no_such_process").encode()
    problems = _check(admin, caller_xml)
    assert any("no_such_process" in p["text"] for p in problems)


def test_deploy_from_the_editor_makes_the_next_version_and_the_old_one_keeps_running(
    admin: FlaskClient, api: Api
) -> None:
    old = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    # bpmn-js leaves out attributes at their default (isSequential="false"): that is no change
    xml = ORDER_XML.replace(b'value="P5D"', b'value="P6D"').replace(b' isSequential="false"', b"")
    clean = _check(admin, xml)
    assert clean == []
    response = admin.post("/admin/editor/deploy?note=longer%20drafting", data=xml, headers=_csrf(admin))
    assert response.status_code == 201
    assert response.get_json() == {"id": "order_drafting", "version": 2, "changed": True, "warnings": []}
    assert _active(api.rt) == [2]
    assert api.get(f"/instances/{old}", "wg_deputy").get_json()["version"] == 1
    api.post("/processes/order_drafting/instances", "wg_deputy")

    page = admin.get("/admin/editor/order_drafting/versions").get_data(as_text=True)
    v2 = page.split('data-version="2"')[1].split("</tr>")[0]
    assert "longer drafting" in v2 and "admin" in v2.lower()
    assert 'data-testid="running">1<' in v2 and 'data-testid="total">1<' in v2

    diff = admin.get("/admin/editor/order_drafting/diff.json?old=1&new=2").get_json()
    assert diff["changed"] == ["Task_draft"] and diff["added"] == [] and diff["removed"] == []
    assert admin.get("/admin/editor/order_drafting/diff?old=1&new=2").status_code == 200


def test_rollback_redeploys_an_old_version_with_the_forms_it_had(admin: FlaskClient, seeded: Runtime) -> None:
    xml = ORDER_XML.replace(b'value="P5D"', b'value="P6D"')
    assert admin.post("/admin/editor/deploy", data=xml, headers=_csrf(admin)).status_code == 201
    with seeded.db.session() as session:
        v1 = session.execute(
            select(ProcessDefinition).where(
                ProcessDefinition.process_id == "order_drafting", ProcessDefinition.version == 1
            )
        ).scalar_one()
        forms_v1 = v1.forms_json
    token = _csrf(admin)["X-CSRFToken"]
    response = admin.post("/admin/editor/order_drafting/v1/rollback", data={"csrf_token": token})
    assert response.status_code == 302
    assert _active(seeded) == [3]
    with seeded.db.session() as session:
        v3 = session.execute(
            select(ProcessDefinition).where(
                ProcessDefinition.process_id == "order_drafting", ProcessDefinition.version == 3
            )
        ).scalar_one()
        assert v3.forms_json == forms_v1 and v3.note == "rollback to v1"


def test_a_camunda_diagram_without_our_extensions_uploads_and_deploys(admin: FlaskClient, api: Api) -> None:
    laid_out = admin.post("/admin/editor/layout", data=CAMUNDA, headers=_csrf(admin))
    assert laid_out.status_code == 200 and laid_out.data == CAMUNDA  # already drawn: left alone
    response = api.post("/processes", "admin", data=CAMUNDA, headers={"Content-Type": "application/xml"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == "camunda_notice" and response.get_json()["version"] == 1
    without_di = CAMUNDA.split(b"<bpmndi:BPMNDiagram")[0] + b"</bpmn:definitions>"
    drawn = admin.post("/admin/editor/layout", data=without_di, headers=_csrf(admin))
    assert drawn.status_code == 200 and b"BPMNShape" in drawn.data


def test_the_deploy_api_contract(api: Api) -> None:
    xml = ORDER_XML.replace(b'value="P5D"', b'value="P7D"')
    response = api.post("/processes", "admin", data=xml, headers={"Content-Type": "application/xml"})
    assert response.status_code == 201
    assert {"id": "order_drafting", "version": 2}.items() <= response.get_json().items()
    bad = ORDER_XML.replace(b'name="lawyer"', b'name="janitor"')
    refused = api.post("/processes", "admin", data=bad, headers={"Content-Type": "application/xml"})
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["error"] == "invalid_bpmn"
    assert all(set(p) == {"element", "line", "message", "code", "text"} for p in body["problems"])
    assert any(p["element"] == "Lane_lawyer" for p in body["problems"])  # the lane names no role
    assert api.post("/processes", "director", data=xml).status_code == 403


def test_the_instance_diagram_marks_steps_for_those_who_may_see_the_instance(app: Flask, api: Api) -> None:
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": DRAFT}).status_code == 200
    client = app.test_client()
    login(client, "wg_deputy")
    page = client.get(f"/instances/{iid}")
    assert 'data-testid="instance-diagram"' in page.get_data(as_text=True)
    body = client.get(f"/instances/{iid}/diagram.json").get_json()
    assert {"StartEvent_order", "Settings_load", "Task_draft", "Service_record_edition"} <= set(
        body["completed"]
    )
    current = {step["id"]: step["holders"] for step in body["current"]}
    assert current.get("Task_legal_review")
    assert body["history"]["Task_draft"] and b"BPMNShape" in body["xml"].encode()

    outsider = app.test_client()
    login(outsider, "staff1")
    assert outsider.get(f"/instances/{iid}/diagram.json").status_code == 404
