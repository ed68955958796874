"""Refusals of the library, the BPMN schema and the XML parser are said in the admin's language:
each recognised one gets its own code and a kk/ru text without the English sentence, naming the element
or the line; what is not recognised still says something useful without English in kk and ru."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from service.platform.engine import phrases
from service.platform.runtime import Runtime
from tests.integration.modeler_helpers import assert_said_in_every_language, check, signed_in_admin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
BPMNIO = (FIXTURES / "bpmnio_kazakh_lanes.bpmn").read_bytes()
GATEWAY = b"""
    <bpmn:exclusiveGateway id="Gateway_choice" name="Tekseru"><bpmn:incoming>Flow_0a3</bpmn:incoming>
      <bpmn:outgoing>Flow_yes</bpmn:outgoing><bpmn:outgoing>Flow_no</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="Flow_yes" sourceRef="Gateway_choice" targetRef="Activity_1legal">
      <bpmn:conditionExpression>ok</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_no" sourceRef="Gateway_choice" targetRef="Event_0done" />
"""


def _variant(name: str) -> tuple[bytes, str, str]:
    """(diagram, expected code, element the problem names) of each kind of mistake."""
    if name == "unknown_attribute":
        xml = BPMNIO.replace(
            b'<bpmn:manualTask id="Activity_0review"', b'<bpmn:manualTask colour="red" id="Activity_0review"'
        )
        return xml, "xsd_attribute_unknown", "Activity_0review"
    if name == "flow_without_condition":
        xml = BPMNIO.replace(
            b'<bpmn:sequenceFlow id="Flow_0a3" sourceRef="Activity_0review" targetRef="Activity_1legal" />',
            b'<bpmn:sequenceFlow id="Flow_0a3" sourceRef="Activity_0review" targetRef="Gateway_choice" />'
            + GATEWAY,
        )
        return xml, "flow_without_condition", "Flow_no"
    if name == "no_start":
        start = BPMNIO.index(b'<bpmn:startEvent id="StartEvent_1"')
        end = BPMNIO.index(b"</bpmn:startEvent>") + len(b"</bpmn:startEvent>")
        xml = (BPMNIO[:start] + BPMNIO[end:]).replace(
            b'<bpmn:sequenceFlow id="Flow_0a1" sourceRef="StartEvent_1" targetRef="Activity_0prepare" />', b""
        )
        return xml, "no_start", "Process_lesson_plan"
    raise AssertionError(name)


@pytest.mark.parametrize("name", ["unknown_attribute", "flow_without_condition", "no_start"])
def test_a_library_or_schema_refusal_is_said_in_every_language(
    app: Flask, seeded: Runtime, name: str
) -> None:
    xml, code, element = _variant(name)
    assert_said_in_every_language(signed_in_admin(app), xml, code, element)


BROKEN_XML = {
    "xml_truncated": BPMNIO[: len(BPMNIO) // 2],
    "xml_ampersand": BPMNIO.replace("Жоспар керек".encode(), "Жоспар & керек".encode()),
    "xml_tag_mismatch": BPMNIO.replace(b"</bpmn:startEvent>", b"</bpmn:endEvent>", 1),
    "xml_not_xml": b"%PDF-1.4 this is not a diagram",
}


@pytest.mark.parametrize("code", sorted(BROKEN_XML))
def test_a_broken_file_is_said_by_line_in_every_language(app: Flask, seeded: Runtime, code: str) -> None:
    admin = signed_in_admin(app)
    texts = {}
    for lang in ("kk", "ru", "en"):
        problems = check(admin, BROKEN_XML[code], lang)
        assert [p["code"] for p in problems] == [code], problems
        texts[lang] = problems[0]["text"]
    assert len(set(texts.values())) == 3
    for lang in ("kk", "ru"):
        assert "error" not in texts[lang].lower() and "expected" not in texts[lang].lower(), texts[lang]
        assert "Premature" not in texts[lang] and "EntityRef" not in texts[lang]


def test_an_unrecognised_refusal_keeps_english_out_of_kazakh(app: Flask, seeded: Runtime) -> None:
    code, params = phrases.library_reading("Something the library never said before")
    assert (code, params) == ("invalid", {})
    assert phrases.schema_reading("Element 'bpmn:task': This element is not expected.")[0] == "xsd_unexpected"
    assert phrases.xml_reading("Attribute id redefined, line 3, column 9") == (
        "xml_attribute_twice",
        {"attribute": "id"},
    )


# Sentences the library really says (seen on SpiffWorkflow's own test diagrams) and the code each becomes.
LIBRARY_SAID = {
    "Data Store with name TestDataStore has no implementation.": "data_store",
    "Cancel Events may only be used with transactions.": "cancel_outside_transaction",
    "A multiinstance task must specify exactly one of cardinality or loop input data reference.": (
        "multi_instance_input"
    ),
    "A loopMaximum or loopCondition must be specified for Loop Tasks.": "loop_without_condition",
    "A Service Task must have an operator.": "service_without_operator",
    "The process 'no_such_process' was not found. Did you mean one of the following: caller?.": (
        "missing_called_process"
    ),
    "Non-default exclusive outgoing sequence flow without condition.": "flow_without_condition",
    "No start event found": "no_start",
}


@pytest.mark.parametrize("sentence", sorted(LIBRARY_SAID))
def test_each_known_library_sentence_has_its_own_code(sentence: str) -> None:
    assert phrases.library_reading(sentence)[0] == LIBRARY_SAID[sentence]
