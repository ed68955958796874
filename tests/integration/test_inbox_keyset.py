"""Keyset paging of the inbox: cursors walk every row once, both ways, and new rows do not shift pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from service.platform.inbox import instances as instance_cases
from service.platform.inbox import queries, unclaimed
from service.platform.persistence.models import HumanTask, HumanTaskRole, ProcessInstance
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, login

T0 = datetime(2026, 11, 2, 4, 0, 0, 123457, tzinfo=UTC)


def _role_tasks(rt: Runtime, count: int, start: int = 0) -> None:
    """`count` open lawyer tasks; every three share one creation time, so paging must break ties by id."""
    with rt.db.session() as session:
        definition_id = session.execute(select(ProcessInstance.definition_id).limit(1)).scalar_one()
        instance = ProcessInstance(
            definition_id=definition_id, process_id="order_drafting", title="bulk", status="running"
        )
        instance.state_json = "{}"
        session.add(instance)
        session.flush()
        session.execute(
            insert(HumanTask),
            [
                {
                    "instance_id": instance.id,
                    "process_id": "order_drafting",
                    "engine_task_id": f"bulk-{start + i}",
                    "bpmn_id": "Task_legal_review",
                    "name": "Review",
                    "status": "open",
                    "title_i18n": "{}",
                    "assigned_directly": False,
                    "created_at": T0 + timedelta(seconds=(start + i) // 3),
                }
                for i in range(count)
            ],
        )
        ids = list(
            session.execute(select(HumanTask.id).where(HumanTask.instance_id == instance.id)).scalars()
        )
        session.execute(insert(HumanTaskRole), [{"task_id": i, "role": "lawyer"} for i in ids])
        unclaimed.refresh(session, instance.school_id, ids)  # the roles' copy, as the projection writes it


def _ids(body: dict[str, Any]) -> list[int]:
    return [int(t["id"]) for t in body["tasks"]]


def _walk(api: Api, direction: str, body: dict[str, Any]) -> list[list[int]]:
    pages = [_ids(body)]
    while body[direction]:
        body = api.get(f"/tasks?scope=roles&limit=7&cursor={body[direction]}", "lawyer").get_json()
        pages.append(_ids(body))
    return pages


def test_cursors_walk_every_row_once_forwards_and_back(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")  # a definition to hang the rows on
    _role_tasks(api.rt, 40)
    everything = _ids(api.get("/tasks?scope=roles&limit=200", "lawyer").get_json())
    assert len(everything) == 40

    first = api.get("/tasks?scope=roles&limit=7", "lawyer").get_json()
    assert first["previous"] is None and first["next"]
    forward = _walk(api, "next", first)
    assert [i for page in forward for i in page] == everything  # newest first, each row exactly once
    assert [len(p) for p in forward] == [7, 7, 7, 7, 7, 5]

    last = api.get("/tasks?scope=roles&limit=7&offset=35", "lawyer").get_json()
    assert last["next"] is None and last["previous"]
    backward = _walk(api, "previous", last)
    assert [i for page in reversed(backward) for i in page] == everything
    assert backward[-1] == everything[:7]  # back on the first page, which has nothing before it


def test_rows_arriving_while_paging_do_not_repeat_a_row(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")
    _role_tasks(api.rt, 20)
    first = api.get("/tasks?scope=roles&limit=7", "lawyer").get_json()
    _role_tasks(api.rt, 5, start=100)  # newer work arrives between two clicks on "next"
    second = api.get(f"/tasks?scope=roles&limit=7&cursor={first['next']}", "lawyer").get_json()
    shifted = api.get("/tasks?scope=roles&limit=7&offset=7", "lawyer").get_json()
    assert not set(_ids(first)) & set(_ids(second))  # the cursor continues exactly where page one ended
    assert set(_ids(first)) & set(_ids(shifted))  # an offset would have shown page one's rows again


def test_a_token_not_made_here_is_refused_naming_the_parameter(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")
    for bad in ("abc", "MS5hLi4x", "x" * 80, "MS5hLjEuOTk5OTk5OTk5OTk5"):
        answer = api.get(f"/tasks?scope=roles&cursor={bad}", "lawyer")
        assert answer.status_code == 422, bad
        assert "cursor" in answer.get_json()["fields"]


def test_the_inbox_page_links_pages_by_cursor(api: Api) -> None:
    api.post("/processes/order_drafting/instances", "wg_deputy")
    _role_tasks(api.rt, 60)
    client = api.client
    login(client, "lawyer")
    html = client.get("/inbox?scope=roles").get_data(as_text=True)
    assert 'data-testid="pager-next"' in html and 'data-testid="pager-prev"' not in html
    next_link = html.split('" rel="next"')[0].rsplit('href="', 1)[1].replace("&amp;", "&")
    assert "cursor=" in next_link and "page=2" in next_link and "scope=roles" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert 'data-testid="pager-prev"' in second and "2 / " in second
    # A mangled link starts over on the first page instead of failing.
    assert client.get("/inbox?scope=roles&cursor=zzz&page=9").status_code == 200


def test_the_process_list_pages_by_id_and_bounds_its_count(api: Api) -> None:
    for _ in range(3):
        api.post("/processes/order_drafting/instances", "wg_deputy")
    rt = api.rt
    with rt.db.session() as session:
        definition_id = session.execute(select(ProcessInstance.definition_id).limit(1)).scalar_one()
        session.execute(
            insert(ProcessInstance),
            [
                {
                    "definition_id": definition_id,
                    "process_id": "order_drafting",
                    "title": f"bulk {i}",
                    "status": "running",
                    "state_json": "{}",
                }
                for i in range(queries.TOTAL_BOUND + 10)
            ],
        )
    admin = actor_named(rt, "admin")
    first = instance_cases.list_instances(rt, admin, limit=50)
    assert first.total == queries.TOTAL_BOUND + 1 and not first.exact  # counting stopped at the bound
    seen = list(first.rows)
    page = first
    while page.after is not None:
        page = instance_cases.list_instances(rt, admin, limit=50, cursor=page.after)
        seen.extend(page.rows)
    ids = [i.id for i in seen]
    assert len(ids) == len(set(ids)) == queries.TOTAL_BOUND + 13 and ids == sorted(ids, reverse=True)
    back = instance_cases.list_instances(rt, admin, limit=50, cursor=page.before)
    assert [i.id for i in back.rows] == ids[-50 - len(page.rows) : -len(page.rows)]
    client = api.client
    login(client, "admin")
    html = client.get("/instances").get_data(as_text=True)
    assert "1 / 21+" in html and 'data-testid="pager-next"' in html
