"""Issue 15 items 3, 4, 13 on PostgreSQL with threads: the chair's decision (with follow-up rows and a
restriction for the register) and the chair's confirmation of a tool (writing the restrictions in force)
sent twice at the same moment are recorded once — one 409, no doubled follow-ups or restrictions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.features.incidents.models import Incident, IncidentFollowUp
from service.features.tools.models import Tool
from service.platform.errors import Conflict
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.runtime import Runtime
from tests.conftest import actor_named, make_app
from tests.integration.test_concurrency import _run_together
from tests.integration.test_incident_concurrency import REPORT, _tasks
from tests.integration.test_tool_evaluation_api import ASSESSMENT, PROPOSAL, vote_data

DUE = (date.today() + timedelta(days=20)).isoformat()


def _twice(rt: Runtime, user: str, task_id: int, data: dict[str, object]) -> None:
    """The same completion from two threads at once: exactly one goes through, the other is a 409."""
    chair = actor_named(rt, user)
    task_cases.claim(rt, chair, task_id)
    results = _run_together([lambda: task_cases.complete(rt, chair, task_id, data) for _ in range(2)])
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], Conflict), results


@pytest.mark.postgres
def test_simultaneous_chair_decisions_and_confirmations_are_recorded_once(
    pg_url: str, tmp_path: Path
) -> None:
    app = make_app(pg_url, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]

    # A tool evaluation whose vote closed (3 of 5 with restrictions): the chair confirms twice at once.
    tool_iid = start_process(rt, actor_named(rt, "staff1"), "tool_evaluation")
    (proposal,) = _tasks(rt, tool_iid, "Task_proposal")
    task_cases.complete(rt, actor_named(rt, "staff1"), proposal.id, dict(PROPOSAL))
    (assessment,) = _tasks(rt, tool_iid, "Task_ict_assessment")
    task_cases.claim(rt, actor_named(rt, "ict"), assessment.id)
    task_cases.complete(rt, actor_named(rt, "ict"), assessment.id, dict(ASSESSMENT))
    votes = {t.assignee.username: t.id for t in _tasks(rt, tool_iid, "Task_member_vote") if t.assignee}
    for member in ("commission1", "commission2", "commission3"):  # three decide it: the vote closes
        data = vote_data("approve_with_restrictions", f"Шектеу {member}")
        task_cases.complete(rt, actor_named(rt, member), votes[member], data)
    (confirm,) = _tasks(rt, tool_iid, "Task_chair_confirmation")
    _twice(
        rt,
        "wg_chair",
        confirm.id,
        {"decision": "approve", "conclusion": "Рұқсат.", "register_restrictions": "Тек мұғалімдер"},
    )
    with rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == tool_iid)).scalar_one()
        assert tool.status == "permitted_with_restrictions"
        assert [r["text"] for r in json.loads(tool.restrictions_json)] == ["Тек мұғалімдер"]
        tool_name = tool.name

    # An incident on that tool: the council restricts it; the chair's decision is sent twice at once.
    iid = start_process(rt, actor_named(rt, "staff4"), "incident_escalation")
    (report,) = _tasks(rt, iid, "Task_report")
    task_cases.complete(rt, actor_named(rt, "staff4"), report.id, {**REPORT, "tool": tool_name})
    (triage,) = _tasks(rt, iid, "Task_triage")
    task_cases.complete(
        rt, actor_named(rt, "responsible"), triage.id, {"severity": "serious", "decision": "escalate"}
    )
    by_member = {t.assignee.username: t.id for t in _tasks(rt, iid, "Task_vote") if t.assignee is not None}
    for member in ("council1", "council2", "council3", "council4"):
        task_cases.complete(rt, actor_named(rt, member), by_member[member], {"decision": "restrict_tool"})
    (decision,) = _tasks(rt, iid, "Task_chair_decision")
    _twice(
        rt,
        "wg_chair",
        decision.id,
        {
            "decision": "restrict_tool",
            "tool_restriction": "Бағалауға қолданылмайды",
            "follow_ups": [{"assignee": "ict", "due": DUE, "action": "Баптауларды тексеру"}],
        },
    )
    with rt.db.session() as session:
        incident = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        follow_ups = session.execute(
            select(IncidentFollowUp).where(IncidentFollowUp.incident_id == incident.id)
        ).scalars()
        assert [(f.assignee, f.action) for f in follow_ups] == [("ict", "Баптауларды тексеру")]
        tool = session.execute(select(Tool).where(Tool.instance_id == tool_iid)).scalar_one()
        assert [r["text"] for r in json.loads(tool.restrictions_json)] == [
            "Тек мұғалімдер",
            "Бағалауға қолданылмайды",
        ]
    rt.db.dispose()
