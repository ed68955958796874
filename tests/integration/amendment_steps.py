"""Driving regulation_amendment through the API, step by step, as the people in each role would."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

OLD_81 = "Педагогтер ашық ЖИ сервистеріне оқушылардың дербес деректерін енгізбеуге міндетті."
NEW_81 = (
    "Педагогтер ашық ЖИ сервистеріне оқушылардың және әріптестерінің дербес деректерін енгізбеуге міндетті."
)
COUNCIL = ("council1", "council2", "council3", "council4", "council5", "wg_chair")


def proposal(clause: str = "8.1", text: str = NEW_81, change: str = "change") -> dict[str, Any]:
    return {
        "act": "ai_regulation",
        "clause": clause,
        "change": change,
        "proposed_text": text,
        "reason": "Жылдық мониторинг қорытындысы",
        "source": "monitoring",
    }


def complete(api: Api, user: str, task_id: int, data: dict[str, Any], status: int = 200) -> Any:
    response = api.post(f"/tasks/{task_id}/complete", user, json={"data": data})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def claim_and_complete(
    api: Api, user: str, iid: int, bpmn_id: str, data: dict[str, Any], status: int = 200
) -> Any:
    task = api.open_task(user, iid, bpmn_id, scope="roles")
    assert api.post(f"/tasks/{task['id']}/claim", user).status_code == 200
    return complete(api, user, task["id"], data, status)


def start(api: Api, data: dict[str, Any], user: str = "responsible") -> int:
    response = api.post("/processes/regulation_amendment/instances", user, json={"data": data})
    assert response.status_code == 201, response.get_json()
    iid: int = response.get_json()["id"]
    task = api.open_task(user, iid, "Task_proposal")
    complete(api, user, task["id"], data)
    return iid


def through_council(api: Api, iid: int, support: int = 4) -> None:
    """Working-group comment and decision, legal review, council opinion (support from `support` members)."""
    comment = api.open_task("wg_member", iid, "Task_wg_comment")
    complete(api, "wg_member", comment["id"], {"comment": "Қолдаймын"})
    claim_and_complete(api, "wg_chair", iid, "Task_wg_decision", {"decision": "proceed"})
    claim_and_complete(api, "lawyer", iid, "Task_amendment_legal_review", {"decision": "approve"})
    for n, member in enumerate(COUNCIL):
        task = api.open_task(member, iid, "Task_council_opinion")
        decision = "support" if n < support else ("object" if n == support else "abstain")
        complete(api, member, task["id"], {"decision": decision, "comment": f"{member}: {decision}"})


def order_data(api: Api, iid: int, user: str = "responsible") -> tuple[int, dict[str, Any]]:
    draft = api.open_task(user, iid, "Task_draft")
    return draft["id"], api.get(f"/tasks/{draft['id']}", user).get_json()["data"]


def through_order(api: Api, iid: int, user: str = "responsible", director_status: int = 200) -> None:
    """The called order: the prefilled draft as it is, legal review, the director's approval."""
    draft_id, data = order_data(api, iid, user)
    fields = {k: data[k] for k in ("title", "order_type", "body", "basis") if data.get(k)}
    complete(api, user, draft_id, fields)
    claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    approve_order(api, iid, director_status)


def approve_order(api: Api, iid: int, status: int = 200) -> Any:
    return claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"}, status)
