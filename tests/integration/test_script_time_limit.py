"""A runaway script is stopped by SCRIPT_TIME_LIMIT: nothing is saved, the lock is released, the task stays
open and the instance goes on once the data no longer makes the script loop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.platform.errors import ScriptTimeLimit
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import AuditEvent, ProcessInstance
from service.platform.processes import deploy
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import Api, actor_named, make_app
from tests.integration.instance_probe import open_task_id, snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "runaway_script.bpmn"
LIMIT = 0.2  # seconds; the tests assert outcomes only, never how long anything took
# Without the limit these tests would hang: fail them well before the suite's general timeout.
pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def limited_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path, SCRIPT_TIME_LIMIT=LIMIT)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), FIXTURE.read_bytes(), FIXTURE.name)
    yield app
    rt.db.dispose()


def test_a_looping_script_is_stopped_and_the_instance_goes_on(limited_app: Flask) -> None:
    rt: Runtime = limited_app.extensions["runtime"]
    responsible = actor_named(rt, "responsible")
    iid = start_process(rt, responsible, "test_runaway")
    answer = open_task_id(rt, iid, "Task_answer")
    before = snapshot(rt, iid)

    # "return" makes Script_count loop forever: the use case stops it with a clear error.
    with pytest.raises(ScriptTimeLimit) as info:
        task_cases.complete(rt, responsible, answer, {"decision": "return", "comment": "Again"})
    assert info.value.params == {"seconds": "0.2", "element": "Script_count"}
    assert "Script_count" in info.value.message
    assert snapshot(rt, iid) == before  # rolled back: state, status, inbox and audit untouched

    # Through the API the person gets the translated explanation (Kazakh by default).
    api = Api(limited_app, rt)
    looping = {"data": {"decision": "return", "comment": "Again"}}
    reply = api.post(f"/tasks/{answer}/complete", "responsible", json=looping)
    assert reply.status_code == 422  # the diagram's fault: a clear answer, not a server error
    body = reply.get_json()
    assert body["error"] == "script_time_limit"
    assert "0.2" in body["message"] and "скрипт" in body["message"]
    assert snapshot(rt, iid) == before

    # The lock was released and the task is still open: an answer that ends the loop goes through.
    task_cases.complete(rt, responsible, answer, {"decision": "approve"})
    state = snapshot(rt, iid)
    assert state[1] == "running"
    assert ("Task_answer", "completed") in state[3] and ("Task_after", "open") in state[3]
    assert state[4].count("task.complete") == 1


def test_a_looping_timer_script_marks_the_instance_failed(limited_app: Flask) -> None:
    rt: Runtime = limited_app.extensions["runtime"]
    responsible = actor_named(rt, "responsible")
    iid = start_process(rt, responsible, "test_runaway")
    task_cases.complete(rt, responsible, open_task_id(rt, iid, "Task_answer"), {"decision": "approve"})
    time.sleep(1.2)  # the reminder timer on Task_after ("PT1S") leads to a script that never ends

    assert timers.run_due_timers(rt) == 0  # the wake failed and was rolled back
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None
        assert instance.status == "error"  # out of the timer loop, as for any failing script
        assert instance.error is not None and "script_time_limit at Script_spin" in instance.error
        recorded = session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.instance_id == iid, AuditEvent.action == "instance.error")
        ).scalar_one()
        assert recorded == 1
    assert open_task_id(rt, iid, "Task_after")  # the person's task is untouched

    # A retry runs the same script again and is refused the same way; the instance stays in error.
    with pytest.raises(ScriptTimeLimit):
        timers.retry_instance(rt, "admin", True, iid)
    assert snapshot(rt, iid)[1] == "error"


def test_the_limit_is_a_positive_number_of_seconds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from service.config import load_settings

    monkeypatch.delenv("SCRIPT_TIME_LIMIT", raising=False)
    assert load_settings(tmp_path)["SCRIPT_TIME_LIMIT"] == 2.0
    monkeypatch.setenv("SCRIPT_TIME_LIMIT", "0.5")
    assert load_settings(tmp_path)["SCRIPT_TIME_LIMIT"] == 0.5
    for bad in ("0", "-1", "nan", "two"):
        monkeypatch.setenv("SCRIPT_TIME_LIMIT", bad)
        with pytest.raises(ValueError, match="SCRIPT_TIME_LIMIT"):
            load_settings(tmp_path)
