"""A school year's worth of real processes for the annual report tests, driven through the API."""

from __future__ import annotations

from typing import Any

from service.platform.clock import utcnow
from tests.conftest import Api
from tests.integration import amendment_steps as amend
from tests.integration.test_incident_api import report, triage, vote
from tests.integration.test_tool_evaluation_api import MEMBERS, start_to_vote, vote_data
from tests.integration.test_tool_evaluation_api import vote as tool_vote

SECRET_DESCRIPTION = "Mukhtarova pasted the 9A marks list into a chatbot"
ORDER = {
    "title": "ЖИ құралдарын пайдалану тәртібі туралы",
    "order_type": "ai_ethics",
    "body": "Рұқсат етілген құралдар тізімін бекіту.",
    "basis": "Жоспардың 5-тармағы",
}


def incident_report(**changes: Any) -> dict[str, Any]:
    return {
        "type": "academic_integrity",
        "tool": "ChatGPT",
        "occurred_on": utcnow().date().isoformat(),
        "description": SECRET_DESCRIPTION,
        "affected": "pupils of 9A",
        "anonymous": False,
        **changes,
    }


def register_order(api: Api, acknowledged: int) -> int:
    """An order drafted, reviewed, approved and registered; `acknowledged` staff members acknowledge it."""
    started = api.post("/processes/order_drafting/instances", "wg_deputy")
    assert started.status_code == 201, started.get_json()
    iid = int(started.get_json()["id"])
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    amend.complete(api, "wg_deputy", draft["id"], ORDER)
    amend.claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    amend.claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"})
    # Staff acknowledge in the order's campaign (their own rows, listed beside their inbox).
    for name in ("staff1", "staff2", "staff3", "staff4", "staff5", "staff6")[:acknowledged]:
        rows = [r for r in api.get("/tasks", name).get_json()["campaign_tasks"] if r["instance_id"] == iid]
        done = api.post(
            f"/campaign-tasks/{rows[0]['id']}/respond", name, json={"data": {"acknowledged": True}}
        )
        assert done.status_code == 200, done.get_json()
    return iid


def resolved_incident(api: Api, user: str = "staff1") -> int:
    iid = report(api, user, incident_report())
    done = triage(api, iid, {"severity": "minor", "decision": "resolve", "corrective_action": "Talked"})
    assert done.status_code == 200, done.get_json()
    return iid


def decided_incident(api: Api) -> int:
    """Escalated, four warnings of six council members (settled), the chair records the warning."""
    iid = report(api, "staff2", incident_report(type="data_disclosure"))
    assert triage(api, iid, {"severity": "serious", "decision": "escalate"}).status_code == 200
    for member in ("council1", "council2", "council3", "council4"):
        assert vote(api, iid, member, "warning").status_code == 200
    chair = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    amend.complete(api, "wg_chair", chair["id"], {"decision": "warning"})
    return iid


def permitted_tool(api: Api) -> int:
    iid = start_to_vote(api)
    for member in MEMBERS[:3]:
        assert tool_vote(api, member, iid, vote_data("approve")).status_code == 200
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    amend.complete(api, "wg_chair", chair["id"], {"decision": "approve", "conclusion": "Permitted."})
    return iid


def published_amendment(api: Api, acknowledged: int) -> int:
    """An amendment of the AI regulation through to its new edition; `acknowledged` staff acknowledge it."""
    iid = amend.start(api, amend.proposal())
    amend.through_council(api, iid)
    amend.through_order(api, iid)
    # Staff acknowledge the edition in its campaign (their own rows, listed beside their inbox).
    for name in ("staff1", "staff2", "staff3", "staff4", "staff5", "staff6")[:acknowledged]:
        rows = [r for r in api.get("/tasks", name).get_json()["campaign_tasks"] if r["instance_id"] == iid]
        assert rows, name
        done = api.post(
            f"/campaign-tasks/{rows[0]['id']}/respond", name, json={"data": {"acknowledged": True}}
        )
        assert done.status_code == 200, done.get_json()
    return iid
