"""Two schools numbering at the same moment: each school's orders, incidents and minutes start at 1 of
the year and go on 2, whatever the other school does at the same instant, and each school's audit
chains verify on their own afterwards (PostgreSQL: row locks on each school's counter; SQLite too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from service.features.incidents.models import Incident
from service.features.meetings import usecases as meetings
from service.features.meetings.models import Meeting
from service.features.orders.models import Order
from service.platform.audit.verify import verify_audit
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence import tenancy
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import actor_named, make_app
from tests.integration.meeting_steps import WG_MEETING, soon
from tests.integration.school_steps import add_school
from tests.threads import run_together

T = TypeVar("T")
DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
REPORT = {"type": "academic_integrity", "occurred_on": "2026-11-02", "description": "Эссені бот жазған."}


def _in(school: int, job: Callable[[], T]) -> Callable[[], T]:
    """The job acting as `school` on whatever thread runs it (threads start with no school acting)."""

    def run() -> T:
        with tenancy.acting_as(school):
            return job()

    return run


def _open_task(rt: Runtime, iid: int, bpmn_id: str) -> int:
    with rt.db.session() as session:
        query = select(HumanTask.id).where(
            HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
        )
        return int(session.execute(query).scalar_one())


def _do(rt: Runtime, user: str, iid: int, bpmn_id: str, data: dict[str, Any]) -> None:
    task_cases.complete(rt, actor_named(rt, user), _open_task(rt, iid, bpmn_id), data)


def _order_at_director(rt: Runtime, p: str) -> Callable[[], Any]:
    """An order waiting for the director of the acting school (user names prefixed by `p`)."""
    iid = start_process(rt, actor_named(rt, f"{p}wg_deputy"), "order_drafting")
    _do(rt, f"{p}wg_deputy", iid, "Task_draft", DRAFT)
    _do(rt, f"{p}lawyer", iid, "Task_legal_review", {"decision": "approve"})
    director, task = actor_named(rt, f"{p}director"), _open_task(rt, iid, "Task_director_approval")
    return lambda: task_cases.complete(rt, director, task, {"decision": "approve"})


def _incident_at_triage(rt: Runtime, p: str) -> Callable[[], Any]:
    iid = start_process(rt, actor_named(rt, f"{p}staff4"), "incident_escalation")
    _do(rt, f"{p}staff4", iid, "Task_report", REPORT)
    responsible, task = actor_named(rt, f"{p}responsible"), _open_task(rt, iid, "Task_triage")
    decision = {"severity": "minor", "decision": "resolve", "corrective_action": "Сөйлестік"}
    return lambda: task_cases.complete(rt, responsible, task, decision)


def _minutes_at_approval(rt: Runtime, p: str) -> Callable[[], Any]:
    chair = actor_named(rt, f"{p}wg_chair")
    data = {
        **WG_MEETING,
        "chair": f"{p}wg_chair",
        "secretary": f"{p}wg_member",
        "invitees": [f"{p}ict"],
        "plan_item": None,
        "starts_at": soon(),
    }
    mid = meetings.create_meeting(rt, chair, data)
    rows = [{"username": f"{p}{u}", "present": True} for u in ("wg_chair", "wg_member", "ict")]
    meetings.record_attendance(rt, actor_named(rt, f"{p}wg_member"), mid, {"attendance": rows})
    return lambda: meetings.approve(rt, chair, mid)


def _numbers(rt: Runtime, school: int) -> dict[str, list[int]]:
    with tenancy.acting_as(school), rt.db.session() as session:
        orders = session.execute(select(Order.number).join(ProcessInstance)).scalars()
        incidents = session.execute(select(Incident.number)).scalars()
        minutes = session.execute(select(Meeting.number)).scalars()
        return {
            "order": sorted(int(str(n).rsplit("/", 1)[-1]) for n in orders if n),
            "incident": sorted(n for n in incidents if n is not None),
            "minutes": sorted(n for n in minutes if n is not None),
        }


def _two_schools_number_at_once(rt: Runtime) -> None:
    schools = {tenancy.DEFAULT_SCHOOL: "", add_school(rt): "school2."}
    for round_ in (1, 2):
        jobs = []
        for school, prefix in schools.items():
            with tenancy.acting_as(school):
                for prepare in (_order_at_director, _incident_at_triage, _minutes_at_approval):
                    jobs.append(_in(school, prepare(rt, prefix)))
        results = run_together(jobs)
        assert not [r for r in results if isinstance(r, Exception)], results
        for school in schools:
            numbers = _numbers(rt, school)
            expected = [1, 2][:round_]
            assert numbers == {"order": expected, "incident": expected, "minutes": expected}, (
                school,
                numbers,
            )
    for school in schools:
        with tenancy.acting_as(school):
            count, broken = verify_audit(rt)
        assert broken is None and count > 0, (school, broken)


def test_two_schools_number_at_the_same_moment(seeded: Runtime) -> None:
    _two_schools_number_at_once(seeded)


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_two_schools_number_at_the_same_moment_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app = make_app(pg_url, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    try:
        _two_schools_number_at_once(rt)
    finally:
        rt.db.dispose()
