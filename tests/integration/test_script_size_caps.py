"""A script asking one C call for gigabytes or seconds is refused before it runs: the server's memory stays
put, an unrelated request is answered meanwhile, nothing is saved, and the task stays open (issue 17.2-3)."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from service.platform.errors import ServiceError
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.processes import deploy
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, make_app
from tests.integration.instance_probe import open_task_id, snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "greedy_script.bpmn"
pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def greedy_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), FIXTURE.read_bytes(), FIXTURE.name)
    yield app
    rt.db.dispose()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def test_a_script_asking_for_gigabytes_is_refused_and_memory_stays_put(greedy_app: Flask) -> None:
    rt: Runtime = greedy_app.extensions["runtime"]
    responsible = actor_named(rt, "responsible")
    iid = start_process(rt, responsible, "test_greedy")
    answer = open_task_id(rt, iid, "Task_answer")
    before, peak_before = snapshot(rt, iid), _peak_rss_mb()
    with pytest.raises(ServiceError) as info:
        task_cases.complete(rt, responsible, answer, {"decision": "return", "comment": "memory"})
    assert "Script_build" in info.value.message and "too large" in info.value.message
    assert _peak_rss_mb() - peak_before < 500  # the 1.5 GB string was never built (generous bound)
    assert snapshot(rt, iid) == before  # nothing saved; the task is still open
    task_cases.complete(rt, responsible, answer, {"decision": "approve"})
    assert open_task_id(rt, iid, "Task_after")


def test_an_unrelated_request_is_answered_while_a_script_asks_for_seconds(greedy_app: Flask) -> None:
    rt: Runtime = greedy_app.extensions["runtime"]
    api = Api(greedy_app, rt)
    responsible = actor_named(rt, "responsible")
    iid = start_process(rt, responsible, "test_greedy")
    answer = open_task_id(rt, iid, "Task_answer")
    outcome: dict[str, object] = {}

    def greedy() -> None:
        try:
            task_cases.complete(rt, responsible, answer, {"decision": "return", "comment": "cpu"})
        except ServiceError as err:
            outcome["error"] = err.message

    worker = threading.Thread(target=greedy)
    worker.start()
    started = time.monotonic()
    assert api.get("/processes", "staff1").status_code == 200
    waited = time.monotonic() - started
    worker.join(60)
    assert not worker.is_alive()
    assert "too large" in str(outcome.get("error"))  # the modular power was refused, not computed
    assert waited < 10  # generous: the refused pow took 16 s holding the interpreter before
