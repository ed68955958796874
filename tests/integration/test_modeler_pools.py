"""Collaborations as Camunda Modeler and bpmn.io draw them: the school's pool plus pools for outside parties
(a vendor, the parents) joined by message flows. The black boxes are documentation: the school's process is
deployed and runs to its end, and the drawing is kept as drawn. A second executable pool is refused on that
pool, saying what to do, in kk, ru and en."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import Api
from tests.integration.modeler_helpers import assert_said_in_every_language, check, complete_as, deploy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
# (a) the vendor and the parents as collapsed pools (no process)
BLACK_BOX = (FIXTURES / "camunda_collaboration_black_box.bpmn").read_bytes()
# (b) the vendor as an expanded pool with an empty process, isExecutable="false"
EMPTY_POOL = (FIXTURES / "camunda_collaboration_empty_pool.bpmn").read_bytes()
# (c) the vendor's pool executable, with its own start, task and end
TWO_POOLS = (FIXTURES / "camunda_collaboration_two_executable_pools.bpmn").read_bytes()


def _runs_to_its_end(api: Api) -> None:
    started = api.post("/processes/ai_tool_pool/instances", "staff1")
    assert started.status_code == 201, started.get_json()
    instance_id = started.get_json()["id"]
    complete_as(api, "staff1", instance_id, "Activity_write", {"done": True})
    # a message flow goes out of this task to the vendor's pool: it is a step of the director all the same
    ask = complete_as(api, "director", instance_id, "Activity_ask_vendor", {"done": True})
    assert ask["candidate_roles"] == ["director"]
    # the vendor's answer is a message flow into a user task: the director records it by hand
    complete_as(api, "director", instance_id, "Activity_record", {"done": True})
    # the message throw event toward the parents' pool passes as in a one-pool diagram
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


@pytest.mark.parametrize("xml", [BLACK_BOX, EMPTY_POOL], ids=["collapsed_pool", "empty_pool"])
def test_a_pool_drawn_for_an_outside_party_is_documentation(api: Api, admin: FlaskClient, xml: bytes) -> None:
    assert check(admin, xml) == []
    response = deploy(api, xml)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == "ai_tool_pool"
    # every pool, lane, node and flow has its shape: the diagram comes back exactly as drawn
    kept = admin.get("/admin/editor/ai_tool_pool/v1.bpmn")
    assert kept.status_code == 200
    assert kept.data == xml
    _runs_to_its_end(api)


def test_a_drawn_pool_switched_to_not_executable_is_documentation_too(api: Api) -> None:
    # what the refusal of two executable pools advises: switch off «Executable» on the vendor's pool
    xml = TWO_POOLS.replace(
        'name="Жеткізуші" isExecutable="true"'.encode(), 'name="Жеткізуші" isExecutable="false"'.encode()
    )
    assert xml.count(b'isExecutable="false"') == 1
    response = deploy(api, xml)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == "ai_tool_pool"
    assert api.post("/processes/vendor_pool/instances", "director").status_code == 404
    _runs_to_its_end(api)


def test_a_receive_task_only_a_black_box_sends_to_is_refused_as_before(admin: FlaskClient) -> None:
    xml = (
        BLACK_BOX.replace(
            b'<bpmn:userTask id="Activity_record"',
            b'<bpmn:receiveTask id="Activity_record" messageRef="Message_contract"',
        )
        .replace(b"</bpmn:userTask>\n    <bpmn:intermediate", b"</bpmn:receiveTask>\n    <bpmn:intermediate")
        .replace(b"<bpmn:process id=", b'<bpmn:message id="Message_contract" name="x" /><bpmn:process id=')
    )
    assert b"<bpmn:receiveTask" in xml and b"</bpmn:receiveTask>" in xml
    # nothing here delivers the vendor's message: an instance would wait there forever
    assert_said_in_every_language(admin, xml, "message_never_sent", "Activity_record")


def test_two_executable_pools_are_refused_on_the_second_pool(api: Api, admin: FlaskClient) -> None:
    refused = deploy(api, TWO_POOLS)
    assert refused.status_code == 422
    problems = refused.get_json()["problems"]
    assert [(p["code"], p["element"]) for p in problems] == [("several_processes", "Participant_vendor")]
    assert problems[0]["line"] == 5  # the participant's line in the file
    assert api.post("/processes/ai_tool_pool/instances", "staff1").status_code == 404  # nothing deployed
    assert_said_in_every_language(admin, TWO_POOLS, "several_processes", "Participant_vendor")
    texts = {
        lang: next(p["text"] for p in check(admin, TWO_POOLS, lang) if p["code"] == "several_processes")
        for lang in ("kk", "ru", "en")
    }
    for text in texts.values():  # both pools by their drawn names, and the way out
        assert "«ЖИ жеткізушісі»" in text and "«Мектеп»" in text and "«Executable»" in text
    assert "жеке файл" in texts["kk"] and "отдельным файлом" in texts["ru"] and "own file" in texts["en"]
