"""Council members voting at the same moment on PostgreSQL: every vote counts, the tally sees them all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from service.features.incidents.models import Incident
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import HumanTask
from service.platform.runtime import Runtime
from tests.conftest import actor_named, make_app
from tests.threads import run_together

REPORT = {"type": "academic_integrity", "occurred_on": "2026-11-02", "description": "Essay written by a bot."}


def _tasks(rt: Runtime, iid: int, bpmn_id: str, status: str = "open") -> list[HumanTask]:
    with rt.db.session() as session:
        return list(
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == status
                )
            ).scalars()
        )


@pytest.mark.postgres
def test_five_simultaneous_votes_all_count(pg_url: str, tmp_path: Path) -> None:
    app = make_app(pg_url, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    iid = start_process(rt, actor_named(rt, "staff4"), "incident_escalation")
    (report,) = _tasks(rt, iid, "Task_report")
    task_cases.complete(rt, actor_named(rt, "staff4"), report.id, REPORT)
    (triage,) = _tasks(rt, iid, "Task_triage")
    task_cases.complete(
        rt, actor_named(rt, "responsible"), triage.id, {"severity": "serious", "decision": "escalate"}
    )
    by_member = {t.assignee.username: t.id for t in _tasks(rt, iid, "Task_vote") if t.assignee is not None}
    # Chosen so that no order of these five settles the vote while the chair has not voted.
    choices = {
        "council1": "warning",
        "council2": "warning",
        "council3": "training",
        "council4": "training",
        "council5": "abstain",
    }
    actors = {m: actor_named(rt, m) for m in choices}
    results = run_together(
        [
            (lambda m=m: task_cases.complete(rt, actors[m], by_member[m], {"decision": choices[m]}))
            for m in choices
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(_tasks(rt, iid, "Task_vote", "completed")) == 5
    assert [t.assignee.username for t in _tasks(rt, iid, "Task_vote") if t.assignee] == ["wg_chair"]
    task_cases.complete(rt, actor_named(rt, "wg_chair"), by_member["wg_chair"], {"decision": "warning"})
    with rt.db.session() as session:
        incident = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        counted = json.loads(incident.vote_json or "{}")
    assert counted["present"] == 6 and counted["counts"] == {"warning": 3, "training": 2}
    assert (counted["status"], counted["decision"]) == ("decided", "warning")
    assert set(counted["votes"]) == {*choices, "wg_chair"}
    rt.db.dispose()
