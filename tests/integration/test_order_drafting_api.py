"""The whole order-drafting path through the JSON API with demo users' tokens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.features.orders.models import Order, OrderEdition
from service.platform.persistence.models import Campaign, CampaignTask, User
from tests.conftest import Api

DRAFT = {
    "title": "Жасанды интеллектіні этикалық қолдану туралы",
    "order_type": "ai_ethics",
    "body": "Мектепте ЖИ құралдарын қолдану ережесін бекіту.",
    "basis": "Жылдық жоспардың 3-тармағы",
}


def _start(api: Api, user: str = "wg_deputy") -> dict[str, Any]:
    response = api.post("/processes/order_drafting/instances", user)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _complete(api: Api, user: str, task_id: int, data: dict[str, Any]) -> Any:
    return api.post(f"/tasks/{task_id}/complete", user, json={"data": data})


def _claim_and_complete(api: Api, user: str, instance_id: int, bpmn_id: str, data: dict[str, Any]) -> None:
    task = api.open_task(user, instance_id, bpmn_id, scope="roles")
    assert api.post(f"/tasks/{task['id']}/claim", user).status_code == 200
    response = _complete(api, user, task["id"], data)
    assert response.status_code == 200, response.get_json()


def test_processes_lists_order_drafting_for_drafters_only(api: Api) -> None:
    ids = [p["id"] for p in api.get("/processes", "wg_deputy").get_json()["processes"]]
    assert "order_drafting" in ids
    staff_ids = [p["id"] for p in api.get("/processes", "staff1").get_json()["processes"]]
    assert "order_drafting" not in staff_ids
    assert api.post("/processes/order_drafting/instances", "staff1").status_code == 403


def test_full_path_with_a_return_and_rework_then_acknowledgement(api: Api) -> None:
    instance = _start(api)
    iid = instance["id"]
    assert instance["status"] == "running"
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert draft["assignee"] == "wg_deputy"
    assert _complete(api, "wg_deputy", draft["id"], DRAFT).status_code == 200

    _claim_and_complete(
        api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": "Негізді нақтылаңыз"}
    )
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    detail = api.get(f"/tasks/{rework['id']}", "wg_deputy").get_json()
    assert detail["data"]["title"] == DRAFT["title"]  # the rework form starts from the draft
    assert detail["form"]["key"] == "order_rework"
    assert (
        _complete(
            api, "wg_deputy", rework["id"], {**DRAFT, "basis": "Жоспардың 3-тармағы, 2025-2026"}
        ).status_code
        == 200
    )

    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    _claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"})

    body = api.get(f"/instances/{iid}", "director").get_json()
    assert [t["bpmn_id"] for t in body["tasks"]] == []  # the process waits on the campaign, in no inbox
    with api.rt.db.session() as session:
        people = list(
            session.execute(
                select(User.username)
                .join(CampaignTask, CampaignTask.user_id == User.id)
                .join(Campaign, Campaign.id == CampaignTask.campaign_id)
                .where(Campaign.instance_id == iid)
            ).scalars()
        )
    assert len(people) == 30 and "staff1" in people and "director" in people  # every `staff` holder, once
    for name in people:
        row = api.get("/tasks", name).get_json()["campaign_tasks"][0]
        assert row["name"].startswith("Бұйрықпен танысу: №")
        if name == "staff1":  # the acknowledgement form's rule: the box must be ticked (422)
            refused = api.post(f"/campaign-tasks/{row['id']}/respond", name, json={"data": {}})
            assert refused.status_code == 422 and "acknowledged" in refused.get_json()["fields"]
        response = api.post(
            f"/campaign-tasks/{row['id']}/respond", name, json={"data": {"acknowledged": True}}
        )
        assert response.status_code == 200, response.get_json()

    final = api.get(f"/instances/{iid}", "wg_deputy").get_json()
    assert final["status"] == "completed" and final["ended_at"]
    completions = [h for h in final["history"] if h["action"] == "task.complete"]
    assert [(h["actor"], h["decision"]) for h in completions] == [
        ("wg_deputy", None),
        ("lawyer", "return"),
        ("wg_deputy", None),
        ("lawyer", "approve"),
        ("director", "approve"),
    ]
    assert [h["action"] for h in final["history"]].count("campaign.step_complete") == 1
    assert completions[1]["comment"] == "Негізді нақтылаңыз"
    with api.rt.db.session() as session:
        order = session.execute(select(Order).where(Order.instance_id == iid)).scalar_one()
        assert order.number and order.number.endswith("/1")
        assert order.title == DRAFT["title"] and order.status == "registered"
        editions = (
            session.execute(
                select(OrderEdition).where(OrderEdition.order_id == order.id).order_by(OrderEdition.number)
            )
            .scalars()
            .all()
        )
        assert [(e.number, e.basis) for e in editions] == [
            (1, DRAFT["basis"]),
            (2, "Жоспардың 3-тармағы, 2025-2026"),
        ]


def test_director_reject_ends_the_process_as_rejected(api: Api) -> None:
    iid = _start(api, "responsible")["id"]
    draft = api.open_task("responsible", iid, "Task_draft")
    _complete(api, "responsible", draft["id"], DRAFT)
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    _claim_and_complete(
        api, "director", iid, "Task_director_approval", {"decision": "reject", "comment": "Қажет емес"}
    )
    body = api.get(f"/instances/{iid}", "responsible").get_json()
    assert body["status"] == "completed" and body["tasks"] == []
    with api.rt.db.session() as session:
        order = session.execute(select(Order).where(Order.instance_id == iid)).scalar_one()
        assert order.status == "rejected" and order.number is None


def test_director_return_goes_back_to_the_drafter(api: Api) -> None:
    iid = _start(api)["id"]
    _complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_draft")["id"], DRAFT)
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    _claim_and_complete(
        api, "director", iid, "Task_director_approval", {"decision": "return", "comment": "Қысқартыңыз"}
    )
    assert api.open_task("wg_deputy", iid, "Task_rework")["assignee"] == "wg_deputy"


def test_another_roles_task_is_403_and_nothing_changes(api: Api) -> None:
    iid = _start(api)["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert _complete(api, "lawyer", draft["id"], DRAFT).status_code == 403
    _complete(api, "wg_deputy", draft["id"], DRAFT)
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    response = _complete(api, "director", review["id"], {"decision": "approve"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert api.get(f"/tasks/{review['id']}", "lawyer").get_json()["status"] == "open"


def test_completing_twice_is_409(api: Api) -> None:
    iid = _start(api)["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert _complete(api, "wg_deputy", draft["id"], DRAFT).status_code == 200
    again = _complete(api, "wg_deputy", draft["id"], DRAFT)
    assert again.status_code == 409
    assert again.get_json()["error"] == "task_not_open"


def test_missing_and_wrong_fields_are_422_per_field_and_nothing_changes(api: Api) -> None:
    iid = _start(api)["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    response = _complete(api, "wg_deputy", draft["id"], {"order_type": "bogus", "body": ""})
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) >= {"title", "order_type", "body"}
    assert all(isinstance(m, str) and m for m in fields.values())
    assert api.get(f"/tasks/{draft['id']}", "wg_deputy").get_json()["status"] == "open"
    before = api.get(f"/instances/{iid}", "wg_deputy").get_json()
    assert [h["action"] for h in before["history"]] == ["instance.start"]

    _complete(api, "wg_deputy", draft["id"], DRAFT)
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{review['id']}/claim", "lawyer")
    response = _complete(api, "lawyer", review["id"], {"decision": "return"})
    assert response.status_code == 422
    assert "comment" in response.get_json()["fields"]  # a return needs a comment
    unknown = _complete(api, "lawyer", review["id"], {"decision": "approve", "sneaky": 1})
    assert unknown.status_code == 422 and "sneaky" in unknown.get_json()["fields"]


def test_task_listing_contract(api: Api) -> None:
    iid = _start(api)["id"]
    body = api.get("/tasks?scope=mine", "wg_deputy").get_json()
    assert body["total"] == 1
    row = body["tasks"][0]
    assert set(row) >= {
        "id",
        "instance_id",
        "process_id",
        "bpmn_id",
        "name",
        "role",
        "assignee",
        "status",
        "due_at",
        "created_at",
    }
    assert row["instance_id"] == iid and row["status"] == "open" and row["assignee"] == "wg_deputy"
    assert api.get("/tasks?limit=500", "wg_deputy").status_code == 422
    assert api.get("/tasks?scope=everything", "wg_deputy").status_code == 400
    detail = api.get(f"/tasks/{row['id']}", "wg_deputy").get_json()
    assert detail["form"]["schema"]["properties"]["title"]["x-title"]["ru"]


def test_claim_conflicts_and_unclaim(api: Api) -> None:
    iid = _start(api)["id"]
    _complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_draft")["id"], DRAFT)
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    assert api.post(f"/tasks/{review['id']}/claim", "staff1").status_code == 404  # not involved: not shown
    assert api.post(f"/tasks/{review['id']}/claim", "lawyer").status_code == 200
    assert api.post(f"/tasks/{review['id']}/claim", "lawyer").status_code == 409
    assert api.post(f"/tasks/{review['id']}/unclaim", "lawyer").get_json()["assignee"] is None


def test_api_requires_a_valid_token(api: Api) -> None:
    assert api.client.get("/api/v1/tasks").status_code == 401
    bad = api.client.get("/api/v1/tasks", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.get_json()["error"] == "unauthenticated"
    assert api.client.get("/api/v1/openapi.json").get_json()["openapi"].startswith("3.")


def test_order_status_follows_the_rounds(api: Api) -> None:
    iid = _start(api)["id"]

    def status() -> str:
        with api.rt.db.session() as session:
            order = session.execute(select(Order).where(Order.instance_id == iid)).scalar_one_or_none()
            return order.status if order else "none"

    assert status() == "none"  # nothing is in the register until a draft is submitted
    _complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_draft")["id"], DRAFT)
    assert status() == "in_review"
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": "Қысқа"})
    assert status() == "draft"
    _complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_rework")["id"], DRAFT)
    assert status() == "in_review"


def test_a_registered_order_keeps_its_number_and_status(api: Api) -> None:
    import pytest

    from service.platform.engine import OperatorCall
    from service.platform.errors import Conflict
    from service.platform.processes.operators import build_operators

    iid = _start(api)["id"]
    _complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_draft")["id"], DRAFT)
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    _claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"})
    with api.rt.db.session() as session:
        ops = build_operators(api.rt, session, iid)
        with pytest.raises(Conflict):
            ops["register_order_number"](OperatorCall("register_order_number", {}, DRAFT))
        with pytest.raises(Conflict):
            ops["set_order_status"](OperatorCall("set_order_status", {"status": "draft"}, DRAFT))
        order = session.execute(select(Order).where(Order.instance_id == iid)).scalar_one()
        assert order.status == "registered" and order.number and order.number.endswith("/1")


def test_the_first_draft_writes_the_register_row_unread_and_a_rework_updates_that_row(api: Api) -> None:
    """The first edition's row is inserted without a read before it (the instance has none yet); a rework
    reads and updates the same row, and its edition is the second."""
    from sqlalchemy import event

    iid = _start(api)["id"]
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "school_order" in statement:
            seen.append(" ".join(statement.split())[:40])

    event.listen(api.rt.db.engine, "before_cursor_execute", record)
    try:
        draft = api.open_task("wg_deputy", iid, "Task_draft")
        assert _complete(api, "wg_deputy", draft["id"], DRAFT).status_code == 200
    finally:
        event.remove(api.rt.db.engine, "before_cursor_execute", record)
    assert [s.split()[0] for s in seen] == ["INSERT"], seen  # no SELECT of the order before it
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": "Қысқа"})
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    assert _complete(api, "wg_deputy", rework["id"], {**DRAFT, "title": "Жаңа атауы"}).status_code == 200
    with api.rt.db.read() as session:
        orders = session.execute(select(Order).where(Order.instance_id == iid)).scalars().all()
        assert len(orders) == 1 and orders[0].title == "Жаңа атауы" and orders[0].status == "in_review"
        editions = session.execute(
            select(OrderEdition.number, OrderEdition.title).where(OrderEdition.order_id == orders[0].id)
        ).all()
    assert sorted(editions) == [(1, DRAFT["title"]), (2, "Жаңа атауы")]
