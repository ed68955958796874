"""All problems at once, in the admin's language: schema (XSD) problems with ours in one list, each
naming its element; the API's problems carry a `text` in the reader's language beside the English
`message`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from service.platform.runtime import Runtime
from tests.conftest import Api
from tests.integration.modeler_helpers import XML, assert_said_in_every_language, check, signed_in_admin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
BPMNIO = (FIXTURES / "bpmnio_kazakh_lanes.bpmn").read_bytes()
# three mistakes in one file: an attribute the standard does not know, a lane that is no role, a timer
BROKEN = (
    BPMNIO.replace(
        b'<bpmn:manualTask id="Activity_0review"', b'<bpmn:manualTask colour="red" id="Activity_0review"'
    )
    .replace("заңгер".encode(), "Қоймашы".encode())
    .replace(
        b'<bpmn:endEvent id="Event_0done"',
        b'<bpmn:boundaryEvent id="Timer_late" attachedToRef="Activity_0prepare"><bpmn:timerEventDefinition '
        b'id="TD"><bpmn:timeDuration>2 days</bpmn:timeDuration></bpmn:timerEventDefinition>'
        b"</bpmn:boundaryEvent>"
        b'<bpmn:endEvent id="Event_0done"',
    )
)


def test_every_problem_comes_in_one_answer(app: Flask, seeded: Runtime) -> None:
    admin = signed_in_admin(app)
    found = {(p["code"], p["element"]) for p in check(admin, BROKEN)}
    assert ("xsd_attribute_unknown", "Activity_0review") in found
    assert ("unknown_role", "Lane_2lawyer") in found
    assert ("bad_timer", "Timer_late") in found


def test_a_schema_problem_is_said_in_every_language(app: Flask, seeded: Runtime) -> None:
    assert_said_in_every_language(signed_in_admin(app), BROKEN, "xsd_attribute_unknown", "Activity_0review")


def test_the_api_answers_in_the_readers_language_beside_the_english_message(api: Api) -> None:
    refused = api.post("/processes", "admin", data=BROKEN, headers=XML)
    assert refused.status_code == 422
    problems = refused.get_json()["problems"]
    assert all(p["text"] and p["message"] and p["code"] for p in problems)
    lane = next(p for p in problems if p["code"] == "unknown_role")
    assert "жолағында" in lane["text"]  # the admin's language: Kazakh
    assert "not a role" in lane["message"]  # for programs: English
    assert not any("0x" in p["text"] or "0x" in p["message"] for p in problems)  # no memory addresses
