"""A cycle of automatic steps that never waits is stopped by the engine's step budget: nothing is saved,
the lock is released, the task stays open and the instance goes on once the data leads out of the cycle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from service.platform.engine.runner import MAX_ENGINE_STEPS
from service.platform.errors import EngineStepLimit
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.processes import deploy
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, make_app
from tests.integration.instance_probe import open_task_id, snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "endless_loop.bpmn"
pytestmark = pytest.mark.timeout(120)  # without the budget the test would hang: fail it instead


@pytest.fixture
def loop_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), FIXTURE.read_bytes(), FIXTURE.name)
    yield app
    rt.db.dispose()


def test_an_endless_cycle_is_stopped_and_nothing_is_saved(loop_app: Flask) -> None:
    rt: Runtime = loop_app.extensions["runtime"]
    responsible = actor_named(rt, "responsible")
    iid = start_process(rt, responsible, "test_endless")
    answer = open_task_id(rt, iid, "Task_answer")
    before = snapshot(rt, iid)

    # "return" takes the gateway's default flow back to the script, for ever.
    with pytest.raises(EngineStepLimit) as info:
        task_cases.complete(rt, responsible, answer, {"decision": "return", "comment": "Again"})
    assert info.value.params["steps"] == str(MAX_ENGINE_STEPS)
    assert info.value.params["element"] in {"Script_count", "Gateway_again"}
    assert snapshot(rt, iid) == before

    # Through the API: 500 with the code and a Kazakh explanation, still nothing saved.
    reply = Api(loop_app, rt).post(
        f"/tasks/{answer}/complete", "responsible", json={"data": {"decision": "return", "comment": "Again"}}
    )
    assert reply.status_code == 422  # the diagram's fault: a clear answer, not a server error
    body = reply.get_json()
    assert body["error"] == "engine_step_limit"
    assert str(MAX_ENGINE_STEPS) in body["message"]
    assert snapshot(rt, iid) == before

    # The lock was released and the task is open: an answer that leaves the cycle goes through.
    task_cases.complete(rt, responsible, answer, {"decision": "approve"})
    assert ("Task_after", "open") in snapshot(rt, iid)[3]


def test_a_state_near_the_engines_depth_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ready task deeper than SpiffWorkflow's iterator can follow would vanish: refuse, do not save."""
    import json

    from service.platform.engine import runner
    from service.platform.engine.compiler import compile_definition
    from service.platform.errors import WorkflowFailed

    form = FIXTURE.parents[2] / "forms" / "order_legal_review.json"
    compiled = compile_definition(
        FIXTURE.read_bytes(),
        FIXTURE.name,
        forms={"order_legal_review": json.loads(form.read_text(encoding="utf-8"))},
        known_roles={"responsible"},
        operators=set(),
    )
    started = runner.start_instance(compiled.spec_json, {}, {})
    (answer,) = started.ready_tasks
    monkeypatch.setattr(runner, "MAX_TASK_DEPTH", 3)  # Task_after sits deeper than that
    with pytest.raises(WorkflowFailed, match="history_too_deep"):
        runner.complete_task(
            compiled.spec_json, started.state_json, answer.engine_task_id, {"decision": "approve"}, {}
        )
