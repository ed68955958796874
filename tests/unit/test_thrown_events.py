"""A message or signal thrown with nothing in the instance to catch it leaves no trace in the saved state.

SpiffWorkflow keeps every uncaught event (`bpmn_events`) for an embedding application to deliver; nothing
here delivers events outside the instance (docs/editor.md), so a throw in a rework loop (a message to a
parents' black-box pool at every round) would grow the instance's state with every round."""

from __future__ import annotations

import json

from service.platform.engine.compiler import compile_definition
from service.platform.engine.runner import RunResult, complete_task, start_instance
from tests.unit.test_spec_cache import VOTE_FORM

DIAGRAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Definitions_throw" targetNamespace="http://school.kz/bpmn/test">
  <bpmn:process id="throw_loop" name="Throw loop" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_council" name="council">
        <bpmn:flowNodeRef>Begin</bpmn:flowNodeRef><bpmn:flowNodeRef>Step</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Tell</bpmn:flowNodeRef><bpmn:flowNodeRef>Again</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Finish</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Begin"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Begin" targetRef="Step" />
    <bpmn:userTask id="Step" name="Step">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="vote.json" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:incoming>F4</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Step" targetRef="Tell" />
    <bpmn:intermediateThrowEvent id="Tell" name="Tell the parents">
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing>
      <bpmn:messageEventDefinition id="Tell_message" messageRef="Message_told" />
    </bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="F3" sourceRef="Tell" targetRef="Again" />
    <bpmn:exclusiveGateway id="Again" default="F5">
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing><bpmn:outgoing>F5</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="F4" sourceRef="Again" targetRef="Step">
      <bpmn:conditionExpression>decision == "no"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F5" sourceRef="Again" targetRef="Finish" />
    <bpmn:endEvent id="Finish"><bpmn:incoming>F5</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmn:message id="Message_told" name="parents_told" />
</bpmn:definitions>
"""


def _step(spec_json: str, run: RunResult, decision: str) -> RunResult:
    (task,) = run.ready_tasks
    return complete_task(spec_json, run.state_json, task.engine_task_id, {"decision": decision}, {})


def test_a_throw_in_a_loop_does_not_grow_the_saved_state() -> None:
    spec_json = compile_definition(
        DIAGRAM, "throw_loop.bpmn", forms={"vote": VOTE_FORM}, known_roles={"council"}, operators=()
    ).spec_json
    run = start_instance(spec_json, {}, {})
    for _ in range(6):
        run = _step(spec_json, run, "no")  # each round throws the message once more
        assert json.loads(run.state_json)["bpmn_events"] == []
    run = _step(spec_json, run, "yes")
    assert run.completed and json.loads(run.state_json)["bpmn_events"] == []
