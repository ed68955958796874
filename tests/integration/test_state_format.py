"""The stored instance state is byte for byte what SpiffWorkflow's own converter writes, less the specs.

`serialization.StateConverter` skips serializing the spec tree that the stock converter writes and we
dropped; this checks the result against the stock way on real states: a call activity's subprocess,
multi-instance votes, boundary timers, a finished instance.
"""

from __future__ import annotations

import json

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import select

from service.platform.engine.serialization import dump_state, load_state
from service.platform.persistence.models import ProcessDefinition, ProcessInstance
from tests.conftest import Api
from tests.integration.amendment_steps import proposal, start, through_council, through_order

STOCK = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def _stock_dump(workflow: object) -> str:
    """How the state was written before: the library's whole dict, the specs popped."""
    state = STOCK.to_dict(workflow)
    state.pop("spec", None)
    state.pop("subprocess_specs", None)
    state[STOCK.VERSION_KEY] = STOCK.VERSION
    return json.dumps(state, cls=STOCK._encoder_cls)


def _check_every_instance(api: Api) -> int:
    with api.rt.db.session() as session:
        rows = session.execute(
            select(ProcessInstance.state_json, ProcessDefinition.spec_json).join(
                ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id
            )
        ).all()
    for state_json, spec_json in rows:
        workflow = load_state(spec_json, state_json)
        assert dump_state(workflow) == _stock_dump(workflow)
        assert dump_state(workflow) == state_json  # what the service stored reads back the same
    return len(rows)


def test_states_are_written_as_the_library_writes_them_without_specs(api: Api) -> None:
    iid = start(api, proposal())
    assert _check_every_instance(api) >= 1  # waiting at the working group, its timers set
    through_council(api, iid)
    _check_every_instance(api)  # the council's votes collected, the call activity next
    through_order(api, iid)
    assert _check_every_instance(api) >= 1  # the called order's subprocess ran to its end
