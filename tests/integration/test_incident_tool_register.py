"""Incidents and the register of permitted tools: the report suggests registered tools, and a council's
withdraw/restrict decision changes the tool's status in the register."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Api, login
from tests.integration.test_incident_api import REPORT, escalate, incident_of, report, triage, vote
from tests.integration.test_tool_register import registered, tool_id_of

COUNCIL = ["council1", "council2", "council3", "council4", "council5"]


def _decide(api: Api, iid: int, decision: str, recommendations: str = "", **extra: str) -> None:
    for member in COUNCIL[:4]:
        assert vote(api, iid, member, decision).status_code == 200
    chair = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    done = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        json={"data": {"decision": decision, "recommendations": recommendations, **extra}},
    )
    assert done.status_code == 200, done.get_json()


def _tool(api: Api, tool_id: int) -> dict[str, object]:
    (row,) = [t for t in api.get("/tools", "director").get_json()["tools"] if t["id"] == tool_id]
    return dict(row)


def test_withdraw_decision_withdraws_the_registered_tool(api: Api) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve"] * 3))
    name = str(_tool(api, tool_id)["name"])
    iid = report(api, data={**REPORT, "tool": f"  {name.upper()} "})  # typed loosely
    assert triage(api, iid, {"severity": "serious", "decision": "escalate"}).status_code == 200
    _decide(api, iid, "withdraw_tool")
    assert _tool(api, tool_id)["status"] == "withdrawn"
    assert incident_of(api, iid)["outcome"] == "withdraw_tool"
    staff_view = [t["id"] for t in api.get("/tools", "staff1").get_json()["tools"]]
    assert tool_id not in staff_view


def test_restrict_decision_adds_the_restriction(api: Api) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve"] * 3))
    name = str(_tool(api, tool_id)["name"])
    iid = report(api, data={**REPORT, "tool": name})
    assert triage(api, iid, {"severity": "serious", "decision": "escalate"}).status_code == 200
    _decide(api, iid, "restrict_tool", tool_restriction="Оқушылардың жұмыстарын бағалауға қолданылмайды")
    tool = _tool(api, tool_id)
    assert tool["status"] == "permitted_with_restrictions"
    # What the chair wrote as the restriction, nothing else (issue 15 item 4).
    assert tool["restrictions"] == ["Оқушылардың жұмыстарын бағалауға қолданылмайды"]


def test_a_tool_not_in_the_register_changes_nothing(api: Api) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve"] * 3))
    iid = escalate(api)  # the report names "ChatGPT", which the register does not hold
    _decide(api, iid, "withdraw_tool")
    assert _tool(api, tool_id)["status"] == "permitted"
    assert incident_of(api, iid)["outcome"] == "withdraw_tool"


def test_the_report_form_suggests_permitted_tools(api: Api, client: FlaskClient) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve"] * 3))
    name = str(_tool(api, tool_id)["name"])
    started = api.post("/processes/incident_escalation/instances", "staff2")
    task = api.open_task("staff2", int(started.get_json()["id"]), "Task_report")
    login(client, "staff2")
    page = client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "<datalist" in page and 'list="' in page
    assert f'<option value="{name}">' in page
