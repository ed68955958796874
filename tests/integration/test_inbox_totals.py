"""The role inbox's total is bounded, so counting does not grow with the table (issue 16, item 2)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert, select

from service.platform.inbox import queries
from service.platform.persistence.models import HumanTask, HumanTaskRole, ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import Api


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
