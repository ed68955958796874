"""The role inbox's total is bounded, so counting does not grow with the table (issue 16, item 2)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import insert, select

from service.platform.inbox import queries, unclaimed
from service.platform.notify import outbox as notify
from service.platform.persistence.models import (
    HumanTask,
    HumanTaskRole,
    Notification,
    ProcessInstance,
    User,
)
from service.platform.runtime import Runtime
from tests.conftest import Api, login


def _open_role_tasks(rt: Runtime, count: int) -> None:
    """`count` open tasks for the lawyer's role on one instance (bulk rows, as a large school would have)."""
    with rt.db.session() as session:
        definition_id = session.execute(select(ProcessInstance.definition_id).limit(1)).scalar_one()
        instance = ProcessInstance(
            definition_id=definition_id,
            process_id="order_drafting",
            title="bulk",
            status="running",
            state_json="{}",
        )
        session.add(instance)
        session.flush()
        rows = [
            {
                "instance_id": instance.id,
                "process_id": "order_drafting",
                "engine_task_id": f"bulk-{i}",
                "bpmn_id": "Task_legal_review",
                "name": "Review",
                "status": "open",
                "title_i18n": "{}",
                "assigned_directly": False,
            }
            for i in range(count)
        ]
        session.execute(insert(HumanTask), rows)
        ids = (
            session.execute(select(HumanTask.id).where(HumanTask.instance_id == instance.id)).scalars().all()
        )
        session.execute(insert(HumanTaskRole), [{"task_id": i, "role": "lawyer"} for i in ids])
        unclaimed.refresh(session, instance.school_id, ids)  # the roles' copy, as the projection writes it


def test_the_total_is_exact_up_to_the_bound_and_a_lower_bound_past_it(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")  # a definition to hang the rows on
    _open_role_tasks(api.rt, queries.TOTAL_BOUND + 25)
    first = api.get("/tasks?scope=roles&limit=50", "lawyer").get_json()
    assert first["total"] == queries.TOTAL_BOUND + 1 and first["total_exact"] is False
    assert len(first["tasks"]) == 50
    # Paging past the bound still counts past the page asked for, so the last page is reachable.
    deep = api.get(f"/tasks?scope=roles&limit=50&offset={queries.TOTAL_BOUND}", "lawyer").get_json()
    assert len(deep["tasks"]) == 25 and deep["total"] == queries.TOTAL_BOUND + 25 and deep["total_exact"]
    few = api.get("/tasks?scope=mine", "lawyer").get_json()
    assert few["total_exact"] is True and few["total"] == len(few["tasks"])
    flt = queries.TaskFilter(scope="roles")
    assert queries.total_is_exact(flt, queries.TOTAL_BOUND)
    assert not queries.total_is_exact(replace(flt, offset=0), queries.TOTAL_BOUND + 1)


def test_waiting_by_role_counts_up_to_the_bound_and_keeps_the_oldest_exact(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")
    _open_role_tasks(api.rt, queries.TOTAL_BOUND + 25)
    with api.rt.db.session() as session:
        oldest = (
            session.execute(
                select(HumanTask)
                .join(HumanTaskRole)
                .where(HumanTaskRole.role == "lawyer")
                .order_by(HumanTask.id)
            )
            .scalars()
            .first()
        )
        assert oldest is not None
        oldest.created_at -= timedelta(days=30)  # the first row read oldest first, past the bound too
        unclaimed.refresh(session, oldest.school_id, [oldest.id])
        waiting = queries.waiting_by_role(session, ["lawyer", "director", "nobody"])
        lawyer = next(w for w in waiting if w.role == "lawyer")
        assert lawyer.count == queries.TOTAL_BOUND + 1 and not lawyer.exact
        assert lawyer.oldest == oldest.created_at
        assert "nobody" not in {w.role for w in waiting}  # a role with nothing waiting is left out
        assert [w.oldest for w in waiting] == sorted(w.oldest for w in waiting)
    assert login(api.client, "lawyer").status_code == 302
    page = api.client.get("/").get_data(as_text=True)
    waiting = page[page.index('data-testid="waiting-for-roles"') : page.index('data-testid="home-mine"')]
    assert f"{queries.TOTAL_BOUND}+ тапсырма" in waiting  # "more than 1000 tasks", not a false 1001


def test_the_unread_badge_stops_counting_at_its_cap_and_the_api_counts_exactly(api: Api) -> None:
    with api.rt.db.session() as session:
        me = session.execute(select(User.id).where(User.username == "lawyer")).scalar_one()
        rows = [{"user_id": me, "kind": "task_assigned", "subject": "s", "body": "{}"} for _ in range(150)]
        session.execute(insert(Notification), rows)
        assert notify.unread_count(session, me, cap=queries.BADGE_CAP) == queries.BADGE_CAP
    assert api.get("/notifications?limit=1", "lawyer").get_json()["unread"] >= 150
    assert login(api.client, "lawyer").status_code == 302
    page = api.client.get("/inbox").get_data(as_text=True)
    assert re.search(r'data-testid="count-unread">99\+<', page)
