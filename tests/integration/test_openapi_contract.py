"""The API's answers match its own OpenAPI document, so integrations can rely on the contract."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.conftest import Api


def _validator(doc: dict[str, Any], name: str) -> Draft202012Validator:
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource("urn:openapi", resource)
    schema = {"$ref": f"urn:openapi#/components/schemas/{name}"}
    return Draft202012Validator(schema, registry=registry)


def _full_name(api: Api, username: str) -> str:
    from sqlalchemy import select

    from service.platform.persistence.models import User

    with api.rt.db.session() as session:
        return str(session.execute(select(User.full_name).where(User.username == username)).scalar_one())


def test_answers_match_the_document(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").get_json()
    task_v, instance_v, error_v = (_validator(doc, n) for n in ("Task", "Instance", "Error"))
    started = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()
    instance_v.validate(started)
    rows = api.get("/tasks?scope=mine", "wg_deputy").get_json()
    for row in rows["tasks"]:
        task_v.validate(row)
    shown = api.get(f"/instances/{started['id']}", "wg_deputy").get_json()
    instance_v.validate(shown)
    # 1.1 added the full name beside the username; the username stays the contract's `actor`
    named = [(h["actor"], h["actor_name"]) for h in shown["history"]]
    assert named == [("wg_deputy", _full_name(api, "wg_deputy"))]
    error_v.validate(api.get("/instances/999999", "wg_deputy").get_json())
    bad = api.post(f"/tasks/{rows['tasks'][0]['id']}/complete", "wg_deputy", json={"data": {}})
    assert bad.status_code == 422
    error_v.validate(bad.get_json())
    draft = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
    api.post(f"/tasks/{rows['tasks'][0]['id']}/complete", "wg_deputy", json={"data": draft})
    order_v = _validator(doc, "Order")
    orders = api.get("/orders", "director").get_json()["orders"]
    assert len(orders) == 1
    for row in orders:
        order_v.validate(row)
    detail = api.get(f"/orders/{orders[0]['id']}", "director").get_json()
    _validator(doc, "OrderDetail").validate(detail)
    order_v.validate(detail)  # a detail is still an Order: the older contract holds
    paths = set(doc["paths"])
    assert {
        "/processes",
        "/processes/{process_id}/instances",
        "/tasks",
        "/tasks/{task_id}",
        "/tasks/{task_id}/claim",
        "/tasks/{task_id}/unclaim",
        "/tasks/{task_id}/complete",
        "/instances/{instance_id}",
    } <= paths


def test_incident_answers_match_the_document(api: Api) -> None:
    from tests.integration.test_incident_api import escalate

    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert {"/incidents", "/incidents/{incident_id}", "/notifications"} <= set(doc["paths"])
    escalate(api)
    rows = api.get("/incidents", "director").get_json()
    assert rows["incidents"]
    for row in rows["incidents"]:
        _validator(doc, "Incident").validate(row)
        _validator(doc, "IncidentDetail").validate(api.get(f"/incidents/{row['id']}", "director").get_json())
    _validator(doc, "Incident").validate(
        api.get(f"/incidents/{rows['incidents'][0]['id']}", "staff1").get_json()
    )
    for note in api.get("/notifications", "director").get_json()["notifications"]:
        _validator(doc, "Notification").validate(note)
    _validator(doc, "Error").validate(api.get("/incidents/999", "staff2").get_json())


def test_plan_answers_match_the_document(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert {
        "/plan",
        "/plan/items/{number}",
        "/plan/items/{number}/mark",
        "/plan/items/{number}/unmark",
    } <= set(doc["paths"])
    item_v, error_v = _validator(doc, "PlanItem"), _validator(doc, "Error")
    marked = api.post("/plan/items/7/mark", "responsible", json={"data": {"comment": "Дайын"}})
    assert marked.status_code == 200
    item_v.validate(marked.get_json())
    _validator(doc, "Plan").validate(api.get("/plan", "staff1").get_json())
    item_v.validate(api.get("/plan/items/7", "staff1").get_json())
    for bad in (
        api.post("/plan/items/7/mark", "responsible", json={"data": {"comment": "Тағы"}}),
        api.post("/plan/items/8/mark", "responsible", json={"data": {"comment": "x"}}),
        api.post("/plan/items/9/mark", "responsible", json={"data": {}}),
    ):
        assert bad.status_code in (403, 409, 422)
        error_v.validate(bad.get_json())
    undone = api.post("/plan/items/7/unmark", "wg_chair", json={"data": {"reason": "Қате"}})
    item_v.validate(undone.get_json())
def test_consultation_answers_match_the_document(api: Api) -> None:
    from tests.integration.test_consultations import REQUEST, YESTERDAY

    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert {
        "/consultations",
        "/consultations/record",
        "/consultations/{consultation_id}",
        "/consultations/{consultation_id}/schedule",
        "/consultations/{consultation_id}/record",
        "/consultations/{consultation_id}/cancel",
    } <= set(doc["paths"])
    one, journal, error = (_validator(doc, n) for n in ("Consultation", "ConsultationJournal", "Error"))
    asked = api.post("/consultations", "staff1", json=REQUEST).get_json()
    one.validate(asked)
    record = {"held_on": YESTERDAY, "topic": "T", "advice": "A"}
    one.validate(api.post(f"/consultations/{asked['id']}/record", "responsible", json=record).get_json())
    one.validate(
        api.post("/consultations/record", "responsible", json={**record, "staff_member": "staff2"}).get_json()
    )
    journal.validate(api.get("/consultations", "director").get_json())
    journal.validate(api.get("/consultations", "staff1").get_json())
    error.validate(api.get(f"/consultations/{asked['id']}", "staff2").get_json())
    error.validate(api.post("/consultations", "staff1", json={}).get_json())
