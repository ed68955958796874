"""Commission members voting at the same moment on PostgreSQL: every vote counts, none is lost,
and a vote racing the early close is either counted or refused as withdrawn (never half-recorded)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from service.features.tools.models import Tool, ToolVote
from service.features.tools.rules import outcome
from service.platform.errors import TaskWithdrawn
from service.platform.inbox import tasks as task_cases
from service.platform.persistence.models import HumanTask
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, make_app
from tests.integration.test_tool_evaluation_api import start_to_vote, vote, vote_data
from tests.threads import run_together


@pytest.fixture
def pg_api(pg_url: str, tmp_path: Path) -> Iterator[Api]:
    app: Flask = make_app(pg_url, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    yield Api(app, app.extensions["runtime"])
    app.extensions["runtime"].db.dispose()


def _vote_task(rt: Runtime, iid: int, member: str) -> int:
    with rt.db.session() as session:
        return session.execute(
            select(HumanTask.id)
            .join(HumanTask.assignee)
            .where(
                HumanTask.instance_id == iid,
                HumanTask.bpmn_id == "Task_member_vote",
                HumanTask.status == "open",
            )
            .filter_by(username=member)
        ).scalar_one()


@pytest.mark.postgres
def test_three_simultaneous_approvals_all_count(pg_api: Api) -> None:
    rt = pg_api.rt
    iid = start_to_vote(pg_api)
    assert vote(pg_api, "commission1", iid, vote_data("reject")).status_code == 200
    r = vote(pg_api, "commission2", iid, vote_data("approve_with_restrictions", "Teachers only"))
    assert r.status_code == 200
    tasks = {m: _vote_task(rt, iid, m) for m in ("commission3", "commission4", "commission5")}
    jobs = [
        (lambda m=m: task_cases.complete(rt, actor_named(rt, m), tasks[m], vote_data("approve")))
        for m in tasks
    ]
    results = run_together(jobs)
    assert all(not isinstance(r, Exception) for r in results), results
    with rt.db.session() as session:
        votes = list(session.execute(select(ToolVote)).scalars())
        assert sorted(v.member for v in votes) == [f"commission{i}" for i in range(1, 6)]
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.outcome == "permitted"
    pg_api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")


@pytest.mark.postgres
def test_five_simultaneous_votes_racing_the_early_close(pg_api: Api) -> None:
    rt = pg_api.rt
    iid = start_to_vote(pg_api)
    decisions = {
        "commission1": "approve",
        "commission2": "approve",
        "commission3": "approve",
        "commission4": "reject",
        "commission5": "approve_with_restrictions",
    }
    tasks = {m: _vote_task(rt, iid, m) for m in decisions}
    jobs = [
        (
            lambda m=m: task_cases.complete(
                rt, actor_named(rt, m), tasks[m], vote_data(decisions[m], "Restricted" * (m == "commission5"))
            )
        )
        for m in decisions
    ]
    results = dict(zip(decisions, run_together(jobs), strict=True))
    counted = {m for m, r in results.items() if not isinstance(r, Exception)}
    refused = {m: r for m, r in results.items() if isinstance(r, Exception)}
    assert all(isinstance(r, TaskWithdrawn) for r in refused.values()), refused
    assert len(counted) >= 3  # quorum is needed before anything can close
    with rt.db.session() as session:
        votes = {v.member: v.decision for v in session.execute(select(ToolVote)).scalars()}
        assert set(votes) == counted  # no lost vote, and no vote kept from a refused completion
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.outcome == outcome(list(votes.values()), 5)
        statuses = {
            t.assignee.username: t.status
            for t in session.execute(
                select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.bpmn_id == "Task_member_vote")
            ).scalars()
            if t.assignee is not None
        }
        assert {m for m, s in statuses.items() if s == "completed"} == counted
        assert {m for m, s in statuses.items() if s == "cancelled"} == set(refused)
