"""AI tool evaluation through the API with the demo users: proposal, assessment, signed votes, register."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from service.features.tools.models import Tool, ToolVote
from service.platform.auth.demo import DEMO_PASSWORD
from service.platform.persistence.models import AuditEvent, HumanTask
from tests.conftest import Api, make_app

MEMBERS = [f"commission{i}" for i in range(1, 6)]
PROPOSAL = {
    "name": "ChatHelper",
    "vendor": "Example Ltd",
    "url": "https://chat.example.com",
    "purpose": "Drafting letters and lesson plans",
    "processes": ["text_preparation", "translation"],
    "data_processed": "Texts typed by staff",
    "personal_data": False,
    "age_limit": "18+",
    "cost": "free",
}
ASSESSMENT = {
    "security": 4,
    "data_protection": 3,
    "functionality": 5,
    "limitations": 3,
    "findings": "Data stored abroad; no student accounts.",
    "decision": "approve",
}


def vote_data(decision: str, restrictions: str = "", signed: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "security": 4,
        "data_protection": 3,
        "functionality": 4,
        "limitations": 3,
        "decision": decision,
        "comment": f"{decision} by test",
    }
    if restrictions:
        data["restrictions"] = restrictions
    if signed:
        data["signed"] = True
    return data


def start_to_vote(api: Api, proposer: str = "staff1") -> int:
    """A proposal that passed technical assessment: the commission's vote tasks are open."""
    started = api.post("/processes/tool_evaluation/instances", proposer)
    assert started.status_code == 201, started.get_json()
    iid = int(started.get_json()["id"])
    task = api.open_task(proposer, iid, "Task_proposal")
    assert api.post(f"/tasks/{task['id']}/complete", proposer, {"data": PROPOSAL}).status_code == 200
    ict = api.open_task("ict", iid, "Task_ict_assessment", scope="roles")
    reply = api.post(f"/tasks/{ict['id']}/complete", "ict", {"data": ASSESSMENT})
    assert reply.status_code == 200, reply.get_json()
    return iid


def vote(api: Api, member: str, iid: int, data: dict[str, Any], **extra: Any) -> Any:
    task = api.open_task(member, iid, "Task_member_vote")
    return api.post(f"/tasks/{task['id']}/complete", member, {"data": data, **extra})


def test_five_members_approve_and_the_tool_enters_the_register(api: Api) -> None:
    iid = start_to_vote(api)
    for member in MEMBERS:
        api.open_task(member, iid, "Task_member_vote")  # every member has their own task
    assert vote(api, "commission1", iid, vote_data("reject")).status_code == 200
    r = vote(api, "commission2", iid, vote_data("approve_with_restrictions", "No personal data of pupils"))
    assert r.status_code == 200
    for member in MEMBERS[2:]:
        assert vote(api, member, iid, vote_data("approve")).status_code == 200, member
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    r = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        {"data": {"decision": "approve", "conclusion": "Permitted."}},
    )
    assert r.status_code == 200, r.get_json()
    tools = api.get("/tools", "staff2").get_json()["tools"]
    assert [t["name"] for t in tools] == ["ChatHelper"]
    tool = tools[0]
    assert tool["status"] == "permitted"
    assert tool["restrictions"] == ["No personal data of pupils"]
    assert tool["allowed_uses"] == ["text_preparation", "translation"]
    assert tool["personal_data_allowed"] is False
    assert tool["instance_id"] == iid and tool["review_date"]
    memo = api.open_task("responsible", iid, "Task_memo", scope="roles")
    assert memo["bpmn_id"] == "Task_memo"


def test_signature_is_audited_with_its_time_and_the_password_is_never_stored(api: Api) -> None:
    iid = start_to_vote(api)
    r = vote(
        api, "commission1", iid, vote_data("approve", signed=False), signature={"password": DEMO_PASSWORD}
    )
    assert r.status_code == 200, r.get_json()
    r = vote(api, "commission2", iid, vote_data("approve"))
    assert r.status_code == 200
    with api.rt.db.session() as session:
        signs = list(
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "tool.vote.sign").order_by(AuditEvent.id)
            ).scalars()
        )
        assert [(e.actor, json.loads(e.detail_json)["method"]) for e in signs] == [
            ("commission1", "password"),
            ("commission2", "statement"),
        ]
        assert all(json.loads(e.detail_json)["signed_at"] for e in signs)
        votes = {v.member: v for v in session.execute(select(ToolVote)).scalars()}
        assert votes["commission1"].signature_method == "password" and votes["commission1"].signed_at
        everything = " ".join(
            [e.detail_json for e in session.execute(select(AuditEvent)).scalars()]
            + [t.data_json or "" for t in session.execute(select(HumanTask)).scalars()]
        )
        assert DEMO_PASSWORD not in everything
        from service.platform.persistence.models import ProcessInstance

        instance = session.get(ProcessInstance, iid)
        assert instance is not None and DEMO_PASSWORD not in instance.state_json


def test_an_unsigned_vote_or_a_wrong_password_is_refused(api: Api) -> None:
    iid = start_to_vote(api)
    r = vote(api, "commission1", iid, vote_data("approve", signed=False))
    assert r.status_code == 422 and "signed" in r.get_json()["fields"]
    r = vote(
        api, "commission1", iid, vote_data("approve", signed=False), signature={"password": "wrong-password"}
    )
    assert r.status_code == 422 and "password" in r.get_json()["fields"]
    r = vote(api, "commission1", iid, {**vote_data("approve"), "password": DEMO_PASSWORD})
    assert r.status_code == 422  # a password inside the form data is an unknown field, never kept
    r = vote(api, "commission1", iid, vote_data("approve_with_restrictions"))
    assert r.status_code == 422 and "restrictions" in r.get_json()["fields"]
    with api.rt.db.session() as session:
        assert session.execute(select(ToolVote)).first() is None


def test_three_rejects_close_the_vote_early_and_withdraw_the_rest(api: Api) -> None:
    iid = start_to_vote(api)
    late = {m: api.open_task(m, iid, "Task_member_vote")["id"] for m in ("commission4", "commission5")}
    for member in MEMBERS[:3]:
        assert vote(api, member, iid, vote_data("reject")).status_code == 200
    for member, task_id in late.items():
        mine = api.get(f"/tasks?scope=mine&instance_id={iid}", member).get_json()["tasks"]
        assert mine == []  # gone from the inbox
        r = api.post(f"/tasks/{task_id}/complete", member, {"data": vote_data("approve")})
        assert r.status_code == 409
        assert r.get_json()["error"] == "task_withdrawn"
    with api.rt.db.session() as session:
        notes = [
            json.loads(e.detail_json)
            for e in session.execute(
                select(AuditEvent).where(AuditEvent.action == "tool.vote.withdrawn")
            ).scalars()
        ]
        assert sorted(n["member"] for n in notes) == ["commission4", "commission5"]
        assert all("closed early" in n["note"] for n in notes)
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    r = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        {"data": {"decision": "approve", "conclusion": "Rejected."}},
    )
    assert r.status_code == 200
    staff_view = api.get("/tools", "staff2").get_json()["tools"]
    assert staff_view == []  # staff see permitted tools only
    full = api.get("/tools", "commission1").get_json()["tools"]
    assert [(t["name"], t["status"]) for t in full] == [("ChatHelper", "rejected")]


def test_members_vote_once_on_their_own_task_and_outsiders_not_at_all(api: Api) -> None:
    iid = start_to_vote(api)
    own = api.open_task("commission1", iid, "Task_member_vote")
    other = api.open_task("commission2", iid, "Task_member_vote")
    r = api.post(f"/tasks/{other['id']}/complete", "commission1", {"data": vote_data("approve")})
    assert r.status_code == 403
    r = api.post(f"/tasks/{own['id']}/complete", "staff3", {"data": vote_data("approve")})
    assert r.status_code in (403, 404)
    assert (
        api.post(f"/tasks/{own['id']}/complete", "commission1", {"data": vote_data("approve")}).status_code
        == 200
    )
    r = api.post(f"/tasks/{own['id']}/complete", "commission1", {"data": vote_data("reject")})
    assert r.status_code == 409
    # Even a task reassigned by the chair does not let someone outside the commission vote.
    third = api.open_task("commission3", iid, "Task_member_vote")
    from service.platform.inbox import tasks as task_cases
    from tests.conftest import actor_named

    task_cases.reassign(api.rt, actor_named(api.rt, "wg_chair"), third["id"], "staff3")
    r = api.post(f"/tasks/{third['id']}/complete", "staff3", {"data": vote_data("approve")})
    assert r.status_code == 403
    with api.rt.db.session() as session:
        votes = list(session.execute(select(ToolVote)).scalars())
        assert [(v.member, v.decision) for v in votes] == [("commission1", "approve")]


def test_ict_may_return_the_proposal_for_missing_information(api: Api) -> None:
    started = api.post("/processes/tool_evaluation/instances", "staff1").get_json()
    iid = started["id"]
    task = api.open_task("staff1", iid, "Task_proposal")
    api.post(f"/tasks/{task['id']}/complete", "staff1", {"data": PROPOSAL})
    ict = api.open_task("ict", iid, "Task_ict_assessment", scope="roles")
    r = api.post(f"/tasks/{ict['id']}/complete", "ict", {"data": {**ASSESSMENT, "decision": "return"}})
    assert r.status_code == 200
    rework = api.open_task("staff1", iid, "Task_proposal_rework")
    r = api.post(f"/tasks/{rework['id']}/complete", "staff1", {"data": {**PROPOSAL, "vendor": "Example LLP"}})
    assert r.status_code == 200
    api.open_task("ict", iid, "Task_ict_assessment", scope="roles")
    tool = api.get("/tools", "ict").get_json()["tools"][0]
    assert tool["vendor"] == "Example LLP" and tool["status"] == "under_review"


def test_repeated_wrong_signature_passwords_are_throttled(api: Api) -> None:
    iid = start_to_vote(api)
    unsigned = vote_data("approve", signed=False)
    for _ in range(5):
        r = vote(api, "commission1", iid, unsigned, signature={"password": "guess"})
        assert r.status_code == 422 and r.get_json()["fields"]["password"]
    r = vote(api, "commission1", iid, unsigned, signature={"password": DEMO_PASSWORD})
    assert r.status_code == 422  # locked for a while, even with the right password
    with api.rt.db.session() as session:
        failures = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "auth.failed")).scalars().all()
        )
        assert len(failures) == 5 and all(json.loads(e.detail_json) == {"signature": True} for e in failures)
        assert session.execute(select(ToolVote)).first() is None
    api.open_task("commission1", iid, "Task_member_vote")  # still open


def test_configured_quorum_changes_when_the_vote_closes(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, TOOL_VOTE_QUORUM="2/3")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    api = Api(app, app.extensions["runtime"])
    iid = start_to_vote(api)
    for member in MEMBERS[:3]:
        assert vote(api, member, iid, vote_data("reject")).status_code == 200
    api.open_task("commission4", iid, "Task_member_vote")  # 3 of 5 is no quorum under "more than 2/3"
    assert vote(api, "commission4", iid, vote_data("reject")).status_code == 200
    assert api.get(f"/tasks?scope=mine&instance_id={iid}", "commission5").get_json()["tasks"] == []
    with api.rt.db.session() as session:
        tool = session.execute(select(Tool).where(Tool.instance_id == iid)).scalar_one()
        assert tool.outcome == "rejected" and "2/3" in tool.rule
    app.extensions["runtime"].db.dispose()


def test_a_nonsense_voting_setting_stops_the_start(db_url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_app(db_url, tmp_path, TOOL_VOTE_MAJORITY="3/2")
