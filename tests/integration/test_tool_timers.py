"""Tool evaluation timers: the vote deadline closes with what was cast; the review date reopens it.

The clock is moved, not waited for: SpiffWorkflow's timer module is given a `datetime` whose now()
runs ahead by a set amount, and the worker pass is told the same time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from service.features.tools.models import Tool
from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, HumanTask, ProcessInstance
from service.platform.timers import wake as timers
from tests.conftest import Api
from tests.integration.test_tool_evaluation_api import MEMBERS, start_to_vote, vote, vote_data

Shift = Callable[[timedelta], datetime]


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Shift:
    from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

    offset = [timedelta(0)]

    class MovedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime.now(tz or UTC) + offset[0]

    monkeypatch.setattr(spiff_timer, "datetime", MovedDatetime)

    def shift(by: timedelta) -> datetime:
        offset[0] = by
        return utcnow() + by

    return shift


def _tasks(api: Api, iid: int, bpmn_id: str) -> dict[str, str]:
    with api.rt.db.session() as session:
        rows = session.execute(
            select(HumanTask)
            .where(HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id)
            .order_by(HumanTask.id)
        ).scalars()
        return {f"{t.id}": t.status for t in rows}


def test_vote_deadline_without_quorum_goes_back_to_the_chair(api: Api, move_clock: Shift) -> None:
    iid = start_to_vote(api)
    assert vote(api, "commission1", iid, vote_data("approve")).status_code == 200
    assert vote(api, "commission2", iid, vote_data("reject")).status_code == 200
    assert timers.run_due_timers(api.rt) == 0  # the deadline (P7D) is a week away
    now = move_clock(timedelta(days=8))
    assert timers.run_due_timers(api.rt, now=now) == 1
    statuses = sorted(_tasks(api, iid, "Task_member_vote").values())
    assert statuses == ["cancelled", "cancelled", "cancelled", "completed", "completed"]
    with api.rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.outcome == "no_quorum" and tool.status == "under_review"
        notes = [
            json.loads(e.detail_json)["note"]
            for e in session.execute(
                select(AuditEvent).where(AuditEvent.action == "tool.vote.withdrawn")
            ).scalars()
        ]
        assert len(notes) == 3 and all("deadline" in n for n in notes)
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    # Confirming "no quorum" is not a register outcome: the process opens a new round instead.
    r = api.post(f"/tasks/{chair['id']}/complete", "wg_chair", {"data": {"decision": "revote"}})
    assert r.status_code == 200
    for member in MEMBERS:
        api.open_task(member, iid, "Task_member_vote")
    with api.rt.db.session() as session:
        assert session.execute(select(Tool.vote_round).where(Tool.instance_id == iid)).scalar_one() == 2


def test_vote_deadline_with_quorum_closes_with_what_was_cast(api: Api, move_clock: Shift) -> None:
    iid = start_to_vote(api)
    for member, decision in (
        ("commission1", "approve"),
        ("commission2", "approve"),
        ("commission3", "reject"),
    ):
        assert vote(api, member, iid, vote_data(decision)).status_code == 200
    assert len([s for s in _tasks(api, iid, "Task_member_vote").values() if s == "open"]) == 2
    now = move_clock(timedelta(days=8))
    assert timers.run_due_timers(api.rt, now=now) == 1
    with api.rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.outcome == "permitted"  # 2 of 3 cast approve
    api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")


def approve_to_register(api: Api) -> int:
    iid = start_to_vote(api)
    for member in MEMBERS[:3]:
        assert vote(api, member, iid, vote_data("approve")).status_code == 200  # closes early
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    r = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        {"data": {"decision": "approve", "conclusion": "Permitted."}},
    )
    assert r.status_code == 200
    memo = api.open_task("responsible", iid, "Task_memo", scope="roles")
    api.post(f"/tasks/{memo['id']}/claim", "responsible")
    r = api.post(
        f"/tasks/{memo['id']}/complete", "responsible", {"data": {"memo": "Use it for drafts only."}}
    )
    assert r.status_code == 200, r.get_json()
    return iid


def test_review_date_reopens_the_evaluation(api: Api, move_clock: Shift) -> None:
    iid = approve_to_register(api)
    with api.rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.status == "permitted" and tool.memo == "Use it for drafts only."
        review_date = tool.review_date
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.status == "running" and instance.next_timer_at is not None
    assert review_date is not None
    today = utcnow().astimezone(api.rt.tz).date()
    assert review_date.replace(year=today.year) == today or review_date.year == today.year + 1
    assert timers.run_due_timers(api.rt, now=move_clock(timedelta(days=300))) == 0
    assert timers.run_due_timers(api.rt, now=move_clock(timedelta(days=367))) == 1
    with api.rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.status == "under_review"
        assert session.execute(select(AuditEvent).where(AuditEvent.action == "tool.review.reopen")).first()
    api.open_task("ict", iid, "Task_ict_assessment", scope="roles")
    # While under review it is no longer offered to staff.
    assert api.get("/tools", "staff1").get_json()["tools"] == []
