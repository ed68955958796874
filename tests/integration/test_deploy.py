"""Deploying BPMN: versions, unchanged files, and every kind of bad input refused with element and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from service.platform.errors import Forbidden, InvalidBpmn
from service.platform.persistence.models import ProcessDefinition
from service.platform.processes import deploy
from service.platform.runtime import Actor, Runtime
from tests.conftest import Api

ORDER_XML = (Path(__file__).resolve().parents[2] / "bpmn" / "order_drafting.bpmn").read_bytes()
ADMIN = Actor(None, "admin", "Admin", frozenset({"admin", "staff"}))


def _active_versions(rt: Runtime, process_id: str) -> list[int]:
    with rt.db.session() as session:
        return list(
            session.execute(
                select(ProcessDefinition.version).where(
                    ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
                )
            ).scalars()
        )


def _refused(rt: Runtime, xml: bytes) -> InvalidBpmn:
    with pytest.raises(InvalidBpmn) as info:
        deploy.deploy_bpmn(rt, ADMIN, xml, "upload.bpmn")
    assert _active_versions(rt, "order_drafting") == [1]  # the previous version stays active
    return info.value


def test_unchanged_file_is_not_a_new_version_and_a_change_is(seeded: Runtime) -> None:
    again = deploy.deploy_bpmn(seeded, ADMIN, ORDER_XML, "order_drafting.bpmn")
    assert again.changed is False and again.version == 1
    changed = ORDER_XML.replace(b'value="P5D"', b'value="P6D"')
    outcome = deploy.deploy_bpmn(seeded, ADMIN, changed, "order_drafting.bpmn", "longer drafting")
    assert outcome.changed and outcome.version == 2
    assert _active_versions(seeded, "order_drafting") == [2]


def test_running_instances_stay_on_their_version(api: Api) -> None:
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    deploy.deploy_bpmn(
        api.rt, ADMIN, ORDER_XML.replace(b'value="P5D"', b'value="P6D"'), "order_drafting.bpmn"
    )
    assert api.get(f"/instances/{iid}", "wg_deputy").get_json()["version"] == 1
    newer = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()
    assert newer["version"] == 2
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    response = api.post(
        f"/tasks/{draft['id']}/complete",
        "wg_deputy",
        json={"data": {"title": "T", "order_type": "other", "body": "B"}},
    )
    assert response.status_code == 200


def test_not_xml(seeded: Runtime) -> None:
    err = _refused(seeded, b"<bpmn:definitions><oops>")
    assert err.problems[0].line == 1 and "XML" in err.problems[0].message


def test_fails_the_xsd(seeded: Runtime) -> None:
    xml = ORDER_XML.replace(
        b'<bpmn:startEvent id="StartEvent_order"', b'<bpmn:startEvent bogus="1" id="StartEvent_order"'
    )
    err = _refused(seeded, xml)
    assert err.problems[0].line and err.problems[0].line > 1
    assert "bogus" in err.problems[0].message


def test_missing_form(seeded: Runtime) -> None:
    err = _refused(seeded, ORDER_XML.replace(b"order_legal_review.json", b"no_such_form.json"))
    problem = next(p for p in err.problems if "no_such_form" in p.message)
    assert problem.element == "Task_legal_review" and problem.line and problem.line > 1


def test_unknown_lane(seeded: Runtime) -> None:
    err = _refused(seeded, ORDER_XML.replace(b'name="lawyer"', b'name="janitor"'))
    problem = next(p for p in err.problems if "janitor" in p.message)
    assert problem.element == "Lane_lawyer" and problem.line  # the lane is what names no role


def test_entity_reading_a_local_file(seeded: Runtime, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    ).encode() + ORDER_XML.split(b"?>", 1)[1].replace('name="Бұйрық әзірлеу"'.encode(), b'name="&xxe;"')
    err = _refused(seeded, xml)
    assert "DOCTYPE" in err.problems[0].message
    assert all("TOP-SECRET" not in p.message for p in err.problems)


def test_billion_laughs_is_refused(seeded: Runtime) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    assert "DOCTYPE" in _refused(seeded, xml).problems[0].message


def test_bad_script_and_operator_and_timer(seeded: Runtime) -> None:
    xml = ORDER_XML.replace(b'decision == "return"', b"decision ==", 1)
    xml = xml.replace(b'id="set_outcome"', b'id="launch_rockets"', 1)
    xml = xml.replace(b'settings["legal_review_reminder"]', b'"48h"')
    err = _refused(seeded, xml)
    messages = " | ".join(p.message for p in err.problems)
    assert "syntax error" in messages and "launch_rockets" in messages and "48h" in messages
    elements = {p.element for p in err.problems}
    assert {"Gateway_legal_decision", "Service_acknowledged", "Timer_review_reminder"} <= elements


def test_sandbox_escape_in_a_condition_is_refused(seeded: Runtime) -> None:
    xml = ORDER_XML.replace(b'decision == "reject"', b"().__class__.__base__.__subclasses__()")
    err = _refused(seeded, xml)
    assert any(p.element == "Gateway_director_decision" for p in err.problems)


def test_only_admins_deploy(seeded: Runtime) -> None:
    with pytest.raises(Forbidden):
        deploy.deploy_bpmn(seeded, Actor(5, "staff1", roles=frozenset({"staff"})), ORDER_XML, "x.bpmn")


def test_deploy_api_returns_problems_with_element_and_line(api: Api) -> None:
    bad = ORDER_XML.replace(b"order_legal_review.json", b"no_such_form.json")
    response = api.post("/processes", "admin", data=bad, headers={"Content-Type": "application/xml"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_bpmn"
    assert any(p["element"] == "Task_legal_review" and p["line"] for p in body["problems"])
    assert api.post("/processes", "staff1", data=bad).status_code == 403


def test_reserved_ids_are_refused(seeded: Runtime) -> None:
    xml = ORDER_XML.replace(b'"StartEvent_order"', b'"Start"').replace(b">StartEvent_order<", b">Start<")
    err = _refused(seeded, xml)
    assert any(p.element == "Start" and "reserved" in p.message for p in err.problems)


CALLER = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="caller" isExecutable="true">
    <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Call" />
    <bpmn:callActivity id="Call" calledElement="CALLED">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_called_process_must_be_deployed(seeded: Runtime) -> None:
    with pytest.raises(InvalidBpmn) as info:
        deploy.deploy_bpmn(seeded, ADMIN, CALLER.replace(b"CALLED", b"no_such_process"), "caller.bpmn")
    assert "no_such_process" in " ".join(p.message for p in info.value.problems)
    outcome = deploy.deploy_bpmn(seeded, ADMIN, CALLER.replace(b"CALLED", b"order_drafting"), "caller.bpmn")
    assert outcome.process_id == "caller" and outcome.changed


CALLER_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D_caller"
                  targetNamespace="http://school.kz/bpmn/a_caller">
  <bpmn:process id="a_caller" name="Caller" isExecutable="true">
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="admin">
      <bpmn:flowNodeRef>Begin_caller</bpmn:flowNodeRef><bpmn:flowNodeRef>Call_callee</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>Finish_caller</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="Begin_caller"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Begin_caller" targetRef="Call_callee" />
    <bpmn:callActivity id="Call_callee" calledElement="z_callee">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:sequenceFlow id="F2" sourceRef="Call_callee" targetRef="Finish_caller" />
    <bpmn:endEvent id="Finish_caller"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""
CALLEE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D_callee"
                  targetNamespace="http://school.kz/bpmn/z_callee">
  <bpmn:process id="z_callee" name="Callee" isExecutable="true">
    <bpmn:startEvent id="Begin_callee"><bpmn:outgoing>G1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="G1" sourceRef="Begin_callee" targetRef="Finish_callee" />
    <bpmn:endEvent id="Finish_callee"><bpmn:incoming>G1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def test_deploy_directory_deploys_callees_before_their_callers(seeded: Runtime, tmp_path: Path) -> None:
    # "a_caller" sorts before "z_callee": deployed by name, the call activity could not resolve.
    (tmp_path / "a_caller.bpmn").write_bytes(CALLER_XML)
    (tmp_path / "z_callee.bpmn").write_bytes(CALLEE_XML)
    assert deploy.callees_first({"a_caller.bpmn": CALLER_XML, "z_callee.bpmn": CALLEE_XML}) == [
        "z_callee.bpmn",
        "a_caller.bpmn",
    ]
    outcomes = deploy.deploy_directory(seeded, ADMIN, tmp_path)
    assert [getattr(o, "process_id", None) for o in outcomes] == ["z_callee", "a_caller"], outcomes
    assert _active_versions(seeded, "a_caller") == [1]


def test_callees_first_keeps_name_order_without_calls_and_survives_a_cycle() -> None:
    loop = CALLEE_XML.replace(
        b"</bpmn:process>", b'<bpmn:callActivity id="Back" calledElement="a_caller" /></bpmn:process>'
    )
    assert deploy.callees_first({"b.bpmn": CALLEE_XML, "a.bpmn": b"not xml"}) == ["a.bpmn", "b.bpmn"]
    assert sorted(deploy.callees_first({"a_caller.bpmn": CALLER_XML, "z_callee.bpmn": loop})) == [
        "a_caller.bpmn",
        "z_callee.bpmn",
    ]
