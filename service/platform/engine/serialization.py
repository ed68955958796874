"""One configured serializer: specs are stored once per definition, instance state without them."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


class StateConverter(BpmnWorkflowConverter):
    """A top workflow as SpiffWorkflow's own converter writes it, less `spec` and `subprocess_specs`.

    Its converter serializes the whole spec tree on every save, which we then dropped (the specs live
    on the definition row): two thirds of a save when measured. The keys and their order are the
    library's, so the stored state is byte for byte what it was (tests/unit/test_state_format.py).
    Reading is the library's: `load_state` hands the cached specs back before `from_dict`."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


@lru_cache(maxsize=1)
def serializer() -> BpmnWorkflowSerializer:
    return BpmnWorkflowSerializer(
        BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: StateConverter})
    )


def dump_specs(spec: Any, subprocess_specs: dict[str, Any]) -> str:
    ser = serializer()
    payload = {
        "spec": ser.to_dict(spec),
        "subprocess_specs": {name: ser.to_dict(sub) for name, sub in subprocess_specs.items()},
    }
    return json.dumps(payload, cls=ser._encoder_cls)


@lru_cache(maxsize=64)
def load_specs(spec_json: str) -> tuple[Any, dict[str, Any]]:
    """The spec objects of one deployed version, built once per process.

    Safe to share between instances and threads: SpiffWorkflow keeps all run-time state on the
    workflow and its tasks, never on a spec (tests/unit/test_spec_cache.py runs interleaved
    instances on one shared spec and compares them with instances on fresh specs).
    """
    ser = serializer()
    payload = json.loads(spec_json, cls=ser.json_decoder_cls)
    spec = ser.from_dict(payload["spec"])
    subs = {name: ser.from_dict(sub) for name, sub in payload["subprocess_specs"].items()}
    return spec, subs


def dump_state(workflow: BpmnWorkflow) -> str:
    """The instance's state without its spec, which lives on the definition row."""
    ser = serializer()
    state = ser.to_dict(workflow)  # `StateConverter`: no specs in it
    state[ser.VERSION_KEY] = ser.VERSION
    return json.dumps(state, cls=ser._encoder_cls)


def load_state(spec_json: str, state_json: str) -> BpmnWorkflow:
    ser = serializer()
    state = json.loads(state_json, cls=ser.json_decoder_cls)
    if state.get(ser.VERSION_KEY) == ser.VERSION:
        # The restorer hands back any value that is not a serialized dict unchanged, so the cached
        # spec objects go straight into the workflow: only the instance's own tasks are deserialized.
        state["spec"], state["subprocess_specs"] = load_specs(spec_json)
    else:
        # An older serialization format: its migrations may rewrite the spec dicts too.
        specs = json.loads(spec_json, cls=ser.json_decoder_cls)
        state["spec"] = specs["spec"]
        state["subprocess_specs"] = specs["subprocess_specs"]
    ser.migrate(state)
    workflow: BpmnWorkflow = ser.from_dict(state)
    return workflow
