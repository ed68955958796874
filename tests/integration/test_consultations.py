"""The consultations journal over the API: request, schedule, record, listed; who sees what; 422s; audit."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from service.features.tools.models import Tool
from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent
from tests.conftest import Api

SOON = (utcnow() + timedelta(days=7)).date().isoformat()
TODAY = utcnow().date().isoformat()  # UTC and Almaty differ by at most a day: tests use past dates too
YESTERDAY = (utcnow() - timedelta(days=1)).date().isoformat()
REQUEST = {
    "topic": "Бағалау рубрикаларын ЖИ-мен дайындау",
    "duty": "Математика пәні мұғалімі",
    "preferred_on": SOON,
}


def ask(api: Api, user: str = "staff1", **data: Any) -> dict[str, Any]:
    answer = api.post("/consultations", user, json={**REQUEST, **data})
    assert answer.status_code == 201, answer.get_json()
    body: dict[str, Any] = answer.get_json()
    return body


def permitted_tool(api: Api, name: str = "Gemini") -> int:
    """A tool in the register of permitted tools (its evaluation instance is any started instance)."""
    started = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()
    with api.rt.db.session() as session:
        tool = Tool(instance_id=started["id"], name=name, status="permitted")
        session.add(tool)
        session.flush()
        return int(tool.id)


def audit_actions(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    with api.rt.db.session() as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        return [
            (e.actor, e.action, json.loads(e.detail_json or "{}"))
            for e in rows
            if e.action.startswith("consultation.")
        ]


def test_request_schedule_record_and_the_journal_lists_it(api: Api) -> None:
    asked = ask(api)
    assert asked["status"] == "requested" and asked["staff_member"] == "staff1"
    cid = asked["id"]
    assert [
        r["id"] for r in api.get("/consultations?status=requested", "responsible").get_json()["consultations"]
    ] == [cid]
    scheduled = api.post(f"/consultations/{cid}/schedule", "responsible", json={"scheduled_on": SOON})
    assert scheduled.status_code == 200 and scheduled.get_json()["status"] == "scheduled"
    tool_id = permitted_tool(api)
    held = api.post(
        f"/consultations/{cid}/record",
        "responsible",
        json={
            "held_on": YESTERDAY,
            "topic": asked["topic"],
            "advice": "Рубриканы ЖИ ұсынады, бағаны мұғалім өзі қояды (Ереже 5.2).",
            "tool_id": tool_id,
        },
    )
    assert held.status_code == 200, held.get_json()
    body = held.get_json()
    assert body["status"] == "held" and body["held_on"] == YESTERDAY and body["tool"] == "Gemini"
    assert body["duty"] == REQUEST["duty"]  # kept from the request
    # Held now: neither recorded again nor cancelled.
    again = api.post(f"/consultations/{cid}/cancel", "responsible", json={"reason": "late"})
    assert again.status_code == 409
    for reader in ("responsible", "wg_chair", "director"):
        journal = api.get("/consultations?status=held", reader).get_json()
        assert journal["whole_journal"] is True
        assert [(r["id"], r["status"]) for r in journal["consultations"]] == [(cid, "held")]
    own = api.get("/consultations", "staff1").get_json()
    assert own["whole_journal"] is False and own["consultations"][0]["advice"].startswith("Рубриканы")
    found = api.get("/consultations?q=рубрикаларын", "director").get_json()["consultations"]
    assert [r["id"] for r in found] == [cid]  # Kazakh search is case-folded
    assert api.get("/consultations?q=жоқсөз", "director").get_json()["total"] == 0
    assert api.get(f"/consultations?from={SOON}", "director").get_json()["total"] == 0
    assert api.get(f"/consultations?to={YESTERDAY}", "director").get_json()["total"] == 1
    actions = audit_actions(api)
    assert [(a, act) for a, act, _ in actions] == [
        ("staff1", "consultation.requested"),
        ("responsible", "consultation.scheduled"),
        ("responsible", "consultation.recorded"),
    ]
    assert all(d["consultation"] == cid and d["staff_member"] == "staff1" for _, _, d in actions)
    assert api.client.application.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_walk_in_consultation_recorded_by_the_responsible_person(api: Api) -> None:
    answer = api.post(
        "/consultations/record",
        "responsible",
        json={
            "staff_member": "staff2",
            "held_on": YESTERDAY,
            "topic": "Аударма",
            "advice": "DeepL-ді тексеріп қолданыңыз",
        },
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["walk_in"] is True and body["status"] == "held" and body["staff_member"] == "staff2"
    assert api.get(f"/consultations/{body['id']}", "staff2").status_code == 200
    assert api.get(f"/consultations/{body['id']}", "staff1").status_code == 404
    assert [act for _, act, _ in audit_actions(api)] == ["consultation.recorded"]


def test_privacy_own_rows_404_for_others_403_for_steps(api: Api) -> None:
    cid = ask(api, "staff1")["id"]
    ask(api, "staff2", topic="Презентация")
    mine = api.get("/consultations", "staff1").get_json()["consultations"]
    assert [r["staff_member"] for r in mine] == ["staff1"]
    for outsider in ("staff2", "lawyer", "council1"):
        answer = api.get(f"/consultations/{cid}", outsider)
        assert answer.status_code == 404
        assert "Бағалау" not in answer.get_data(as_text=True) and "staff1" not in answer.get_data(
            as_text=True
        )
        assert api.post(f"/consultations/{cid}/record", outsider, json={}).status_code == 404
    # The staff member reads their own but may not record it; wg_chair reads all but records nothing.
    assert api.post(f"/consultations/{cid}/record", "staff1", json={}).status_code == 403
    assert (
        api.post(f"/consultations/{cid}/schedule", "wg_chair", json={"scheduled_on": SOON}).status_code == 403
    )
    assert api.post("/consultations/record", "director", json={}).status_code == 403
    # A staff member withdraws their own request, with a reason.
    assert api.post(f"/consultations/{cid}/cancel", "staff1", json={}).status_code == 422
    gone = api.post(f"/consultations/{cid}/cancel", "staff1", json={"reason": "Өзім түсіндім"})
    assert gone.status_code == 200 and gone.get_json()["status"] == "cancelled"
    assert gone.get_json()["cancel_reason"] == "Өзім түсіндім"


def test_bad_data_is_refused_field_by_field(api: Api) -> None:
    bad = api.post(
        "/consultations", "staff1", json={"topic": " ", "duty": "x" * 301, "preferred_on": "2020-01-01"}
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"topic", "duty", "preferred_on"}
    assert api.post("/consultations", "staff1", json={**REQUEST, "preferred_on": "31.12.2026"}).get_json()[
        "fields"
    ] == {"preferred_on": "Нақты күнді енгізіңіз (ЖЖЖЖ-АА-КК)."}
    cid = ask(api)["id"]
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    bad = api.post(
        f"/consultations/{cid}/record",
        "responsible",
        json={
            "held_on": future,
            "topic": "",
            "advice": "",
            "tool_id": 99999,
            "material": "sha256:" + "0" * 64,
        },
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"held_on", "topic", "advice", "tool_id", "material"}
    walk_in = api.post(
        "/consultations/record", "responsible", json={"staff_member": "nobody", "held_on": YESTERDAY}
    )
    assert set(walk_in.get_json()["fields"]) == {"staff_member", "topic", "advice"}
    assert api.get("/consultations?status=alien", "director").status_code == 422
    assert api.get(f"/consultations/{cid}", "staff1").get_json()["status"] == "requested"  # nothing changed
    assert [act for _, act, _ in audit_actions(api)] == ["consultation.requested"]
