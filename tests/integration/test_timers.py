"""Reminder timers: due instances are woken by the worker, the task stays open, people are notified."""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.inbox.queries import TaskFilter
from service.platform.persistence.models import HumanTask, Notification, ProcessInstance
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import actor_named, make_app


def _seeded_app(db_url: str, tmp_path: Path, **deadlines: str) -> Flask:
    app = make_app(db_url, tmp_path, DEADLINES=deadlines)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    return app


def test_legal_review_reminder_fires_once_and_keeps_the_task(db_url: str, tmp_path: Path) -> None:
    app = _seeded_app(db_url, tmp_path, legal_review_reminder="PT1S")
    rt: Runtime = app.extensions["runtime"]
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    task_cases.complete(
        rt, actor_named(rt, "wg_deputy"), draft.id, {"title": "T", "order_type": "other", "body": "B"}
    )
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.next_timer_at is not None
    assert timers.run_due_timers(rt) == 0  # not yet due
    time.sleep(1.2)
    assert timers.run_due_timers(rt) == 1
    assert timers.run_due_timers(rt) == 0  # fired once
    with rt.db.session() as session:
        review = session.execute(
            select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.bpmn_id == "Task_legal_review")
        ).scalar_one()
        assert review.status == "open"
        reminders = session.execute(
            select(func.count())
            .select_from(Notification)
            .where(Notification.kind == "reminder", Notification.instance_id == iid)
        ).scalar_one()
        assert reminders == 1  # one lawyer in the demo data
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.next_timer_at is None
    app.extensions["runtime"].db.dispose()


def test_worker_command_runs_one_pass(db_url: str, tmp_path: Path) -> None:
    app = _seeded_app(db_url, tmp_path)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    app.extensions["runtime"].db.dispose()


def test_interrupting_deadline_escalates_and_withdraws_the_task(db_url: str, tmp_path: Path) -> None:
    from service.platform.processes import deploy

    app = _seeded_app(db_url, tmp_path, triage_deadline="PT1S")
    rt: Runtime = app.extensions["runtime"]
    xml = (Path(__file__).resolve().parents[1] / "fixtures" / "escalation.bpmn").read_bytes()
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), xml, "escalation.bpmn")
    iid = start_process(rt, actor_named(rt, "responsible"), "test_escalation")
    time.sleep(1.2)
    assert timers.run_due_timers(rt) == 1
    with rt.db.session() as session:
        rows = {
            t.bpmn_id: t.status
            for t in session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalars()
        }
    assert rows == {"Task_triage": "cancelled", "Task_escalated": "open"}
    escalated = task_cases.list_tasks(
        rt, actor_named(rt, "wg_chair"), TaskFilter(scope="roles", instance_id=iid)
    ).rows
    assert [t.bpmn_id for t in escalated] == ["Task_escalated"]
    app.extensions["runtime"].db.dispose()
