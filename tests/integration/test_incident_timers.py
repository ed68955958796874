"""Incident deadlines: an untriaged incident goes to the chair; the vote deadline closes the vote."""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from service.features.incidents.models import Incident
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import HumanTask, Notification
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import actor_named, make_app

REPORT = {"type": "other", "occurred_on": "2026-11-01", "description": "A chatbot wrote a pupil's essay."}


def _app(db_url: str, tmp_path: Path, **deadlines: str) -> Flask:
    app = make_app(db_url, tmp_path, DEADLINES=deadlines)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    return app


def _open(rt: Runtime, iid: int, bpmn_id: str) -> list[HumanTask]:
    with rt.db.session() as session:
        return list(
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
                )
            ).scalars()
        )


def _reported(rt: Runtime) -> int:
    iid = start_process(rt, actor_named(rt, "staff1"), "incident_escalation")
    (task,) = _open(rt, iid, "Task_report")
    task_cases.complete(rt, actor_named(rt, "staff1"), task.id, REPORT)
    return iid


def test_untriaged_incident_escalates_to_the_chair(db_url: str, tmp_path: Path) -> None:
    app = _app(db_url, tmp_path, triage_deadline="PT1S")
    rt: Runtime = app.extensions["runtime"]
    iid = _reported(rt)
    assert timers.run_due_timers(rt) == 0  # not yet due
    time.sleep(1.2)
    assert timers.run_due_timers(rt) == 1
    assert _open(rt, iid, "Task_triage") == []  # withdrawn from responsible's inbox
    (chair_task,) = _open(rt, iid, "Task_triage_chair")
    assert [r.role for r in chair_task.candidate_roles] == ["wg_chair"]
    with rt.db.session() as session:
        kinds = (
            session.execute(select(Notification.kind).where(Notification.instance_id == iid)).scalars().all()
        )
        assert "incident_triage_overdue" in kinds
    # The chair triages in responsible's place; the journal number is given as usual.
    task_cases.complete(
        rt,
        actor_named(rt, "wg_chair"),
        chair_task.id,
        {"severity": "minor", "decision": "resolve", "corrective_action": "Explained the rules"},
    )
    with rt.db.session() as session:
        incident = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        assert (incident.status, incident.number, incident.outcome) == ("closed", 1, "resolved")
    rt.db.dispose()


def test_vote_deadline_closes_the_vote_with_the_votes_cast(db_url: str, tmp_path: Path) -> None:
    app = _app(db_url, tmp_path, vote_deadline="PT3S")
    rt: Runtime = app.extensions["runtime"]
    iid = _reported(rt)
    (triage,) = _open(rt, iid, "Task_triage")
    task_cases.complete(
        rt, actor_named(rt, "responsible"), triage.id, {"severity": "serious", "decision": "escalate"}
    )
    votes = {t.assignee.username: t for t in _open(rt, iid, "Task_vote") if t.assignee is not None}
    assert len(votes) == 6
    for member in ("council1", "council2"):
        task_cases.complete(rt, actor_named(rt, member), votes[member].id, {"decision": "training"})
    time.sleep(3.2)
    assert timers.run_due_timers(rt) == 1
    assert _open(rt, iid, "Task_vote") == []  # the others' votes are withdrawn
    assert len(_open(rt, iid, "Task_chair_decision")) == 1
    with rt.db.session() as session:
        incident = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        assert incident.status == "decision"
        assert '"status": "no_quorum"' in (incident.vote_json or "")
        assert '"present": 2' in (incident.vote_json or "")
    rt.db.dispose()
