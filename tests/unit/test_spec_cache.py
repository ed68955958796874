"""Instances sharing one cached spec object behave exactly like instances on freshly built specs."""

from __future__ import annotations

import json
from typing import Any

from service.platform.engine.compiler import compile_definition
from service.platform.engine.runner import RunResult, complete_task, start_instance
from service.platform.engine.serialization import load_specs

VOTE_FORM = {
    "type": "object",
    "x-title": {"kk": "Дауыс", "ru": "Голос", "en": "Vote"},
    "properties": {
        "decision": {
            "type": "string",
            "enum": ["yes", "no"],
            "x-title": {"kk": "Шешім", "ru": "Решение", "en": "Decision"},
            "x-enum-titles": {
                "yes": {"kk": "Иә", "ru": "Да", "en": "Yes"},
                "no": {"kk": "Жоқ", "ru": "Нет", "en": "No"},
            },
        }
    },
}

# Parallel votes (multi-instance over a dict), a script tallying them, a gateway on the tally.
DIAGRAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Definitions_cache" targetNamespace="http://school.kz/bpmn/test">
  <bpmn:process id="spec_cache" name="Spec cache" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_council" name="council">
        <bpmn:flowNodeRef>Begin</bpmn:flowNodeRef><bpmn:flowNodeRef>Vote</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Tally</bpmn:flowNodeRef><bpmn:flowNodeRef>Outcome</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Again</bpmn:flowNodeRef><bpmn:flowNodeRef>Finish</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Begin"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Begin" targetRef="Vote" />
    <bpmn:userTask id="Vote" name="Vote">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="vote.json" />
        <spiffworkflow:property name="assignTo" value="member" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:incoming>F5</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics isSequential="false">
        <bpmn:loopDataInputRef>members</bpmn:loopDataInputRef>
        <bpmn:loopDataOutputRef>votes</bpmn:loopDataOutputRef>
        <bpmn:inputDataItem id="member" name="member" />
        <bpmn:outputDataItem id="decision" name="decision" />
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Vote" targetRef="Tally" />
    <bpmn:scriptTask id="Tally">
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing>
      <bpmn:script>yes = len([v for v in votes.values() if v == "yes"])
rounds = rounds + 1</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="F3" sourceRef="Tally" targetRef="Outcome" />
    <bpmn:exclusiveGateway id="Outcome" default="F4">
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing><bpmn:outgoing>F6</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="F4" sourceRef="Outcome" targetRef="Finish" />
    <bpmn:sequenceFlow id="F6" sourceRef="Outcome" targetRef="Again">
      <bpmn:conditionExpression>yes * 2 &lt;= len(votes) and rounds &lt; 2</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:scriptTask id="Again">
      <bpmn:incoming>F6</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing>
      <bpmn:script>votes = {}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="F5" sourceRef="Again" targetRef="Vote" />
    <bpmn:endEvent id="Finish"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def _spec_json() -> str:
    compiled = compile_definition(
        DIAGRAM, "spec_cache.bpmn", forms={"vote": VOTE_FORM}, known_roles={"council"}, operators=()
    )
    return compiled.spec_json


def _vote(spec_json: str, run: RunResult, member: str, decision: str) -> RunResult:
    (task,) = [t for t in run.ready_tasks if t.assignee == member]
    return complete_task(spec_json, run.state_json, task.engine_task_id, {"decision": decision}, {})


def _play(spec_json: str, fresh_specs: bool) -> list[dict[str, Any]]:
    """Two instances voting interleaved; returns each one's final data."""

    def step(action: Any) -> RunResult:
        if fresh_specs:
            load_specs.cache_clear()
        result: RunResult = action()
        return result

    start = {"members": {"a": "A", "b": "B", "c": "C"}, "rounds": 0}
    one = step(lambda: start_instance(spec_json, start, {}))
    two = step(lambda: start_instance(spec_json, start, {}))
    # Round 1: instance one rejects (so it votes again), instance two approves.
    script = [("a", "no", "yes"), ("b", "no", "yes"), ("c", "yes", "no")]
    for member, first, second in script:
        one = step(lambda: _vote(spec_json, one, member, first))  # noqa: B023
        two = step(lambda: _vote(spec_json, two, member, second))  # noqa: B023
    assert two.completed and not one.completed
    for member in ("a", "b", "c"):
        one = step(lambda: _vote(spec_json, one, member, "yes"))  # noqa: B023
    assert one.completed
    return [json.loads(r.state_json)["data"] for r in (one, two)]


def test_interleaved_instances_on_a_shared_spec_match_fresh_specs() -> None:
    spec_json = _spec_json()
    fresh = _play(spec_json, fresh_specs=True)
    load_specs.cache_clear()
    shared = _play(spec_json, fresh_specs=False)
    assert shared == fresh
    assert fresh[0]["rounds"] == 2 and fresh[0]["yes"] == 3
    assert fresh[1]["rounds"] == 1 and fresh[1]["yes"] == 2


def test_the_spec_is_built_once_per_version() -> None:
    spec_json = _spec_json()
    assert load_specs(spec_json) is load_specs(spec_json)
