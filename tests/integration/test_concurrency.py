"""Simultaneous people on one instance: every acknowledgement counts, the instance completes once,
registration numbers never repeat, and a timer fires once with several workers.

These run on whichever database the suite runs on (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE);
the ones marked `postgres` always use PostgreSQL.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.features.orders.models import Order
from service.platform.campaigns import usecases as campaigns
from service.platform.errors import ServiceError
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import (
    AuditEvent,
    Campaign,
    CampaignTask,
    HumanTask,
    ProcessInstance,
    User,
)
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import Api, actor_named, make_app
from tests.threads import run_together

DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
_run_together = run_together  # the name other test modules imported from here before tests/threads.py


def _to_director(rt: Runtime, drafter: str = "wg_deputy") -> tuple[int, int]:
    """An instance waiting for the director; returns (instance id, director task id)."""
    iid = start_process(rt, actor_named(rt, drafter), "order_drafting")

    def open_task(bpmn_id: str) -> HumanTask:
        with rt.db.session() as session:
            return session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
                )
            ).scalar_one()

    task_cases.complete(rt, actor_named(rt, drafter), open_task("Task_draft").id, DRAFT)
    review = open_task("Task_legal_review")
    task_cases.complete(rt, actor_named(rt, "lawyer"), review.id, {"decision": "approve"})
    return iid, open_task("Task_director_approval").id


def test_ten_simultaneous_acknowledgements_all_count_and_complete_once(api: Api) -> None:
    rt = api.rt
    iid, director_task = _to_director(rt)
    task_cases.complete(rt, actor_named(rt, "director"), director_task, {"decision": "approve"})
    campaign_id, people = _ack_campaign(rt, iid)
    assert len(people) == 30
    # Twenty acknowledge one by one, the last ten at the same moment (each on their own campaign row).
    for name in people[:20]:
        campaigns.respond(rt, actor_named(rt, name), campaign_id, {"acknowledged": True})
    actors = [actor_named(rt, name) for name in people[20:]]
    results = run_together(
        [(lambda a=a: campaigns.respond(rt, a, campaign_id, {"acknowledged": True})) for a in actors]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(1 for r in results if r.ended) == 1
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.status == "completed"
        done = session.execute(
            select(func.count())
            .select_from(CampaignTask)
            .where(CampaignTask.campaign_id == campaign_id, CampaignTask.status == "done")
        ).scalar_one()
        assert done == 30

        def events(action: str) -> int:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.instance_id == iid, AuditEvent.action == action)
                ).scalar_one()
            )

        assert (events("task.complete"), events("campaign.respond"), events("campaign.step_complete")) == (
            3,
            30,
            1,
        )
    detail = api.get(f"/instances/{iid}", "director").get_json()
    assert detail["status"] == "completed"


def _ack_campaign(rt: Runtime, iid: int) -> tuple[int, list[str]]:
    """The order's acknowledgement campaign and the usernames it asks."""
    with rt.db.session() as session:
        campaign_id = session.execute(select(Campaign.id).where(Campaign.instance_id == iid)).scalar_one()
        people = session.execute(
            select(User.username)
            .join(CampaignTask, CampaignTask.user_id == User.id)
            .where(CampaignTask.campaign_id == campaign_id)
            .order_by(User.username)
        ).scalars()
        return int(campaign_id), list(people)


def test_same_task_completed_twice_at_once_counts_once(api: Api) -> None:
    rt = api.rt
    _, director_task = _to_director(rt)
    director = actor_named(rt, "director")
    results = run_together(
        [lambda: task_cases.complete(rt, director, director_task, {"decision": "approve"}) for _ in range(4)]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 3 and all(isinstance(e, ServiceError) and e.status == 409 for e in errors)
    with rt.db.session() as session:
        assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 1


def test_two_orders_registered_at_once_get_different_numbers(api: Api) -> None:
    rt = api.rt
    _, task_a = _to_director(rt, "wg_deputy")
    _, task_b = _to_director(rt, "responsible")
    director = actor_named(rt, "director")
    results = run_together(
        [
            lambda: task_cases.complete(rt, director, task_a, {"decision": "approve"}),
            lambda: task_cases.complete(rt, director, task_b, {"decision": "approve"}),
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    with rt.db.session() as session:
        numbers = sorted(session.execute(select(Order.number)).scalars())
    assert len(numbers) == 2 and len(set(numbers)) == 2
    assert {n.split("/")[1] for n in numbers if n} == {"1", "2"}


@pytest.mark.postgres
def test_timer_fires_once_with_several_workers_on_postgres(pg_url: str, tmp_path: Path) -> None:
    apps: list[Flask] = [
        make_app(pg_url, tmp_path / f"w{i}", DEADLINES={"legal_review_reminder": "PT1S"}) for i in range(3)
    ]
    rt0: Runtime = apps[0].extensions["runtime"]
    runner = apps[0].test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    iid = start_process(rt0, actor_named(rt0, "wg_deputy"), "order_drafting")
    with rt0.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    task_cases.complete(rt0, actor_named(rt0, "wg_deputy"), draft.id, DRAFT)
    time.sleep(1.2)
    workers = [a.extensions["runtime"] for a in apps]
    fired = run_together([(lambda w=w: timers.run_due_timers(w)) for w in workers])
    assert sum(fired) == 1
    with rt0.db.session() as session:
        fires = session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.instance_id == iid, AuditEvent.action == "timer.fire")
        ).scalar_one()
        assert fires == 1
    for a in apps:
        a.extensions["runtime"].db.dispose()
