"""The incident process through the API: report, alert, triage, council vote, decision, minutes, follow-up."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, HumanTask, Notification, User
from tests.conftest import Api
from tests.integration.audit_probe import printed_anchor

PROCESS = "incident_escalation"
REPORT = {
    "type": "data_disclosure",
    "tool": "ChatGPT",
    "occurred_on": "2026-11-30",
    "description": "A teacher pasted a class list with marks into a chatbot.",
    "affected": "pupils of 7B",
    "anonymous": True,
}


def report(api: Api, user: str = "staff1", data: dict[str, Any] | None = None) -> int:
    started = api.post(f"/processes/{PROCESS}/instances", user)
    assert started.status_code == 201, started.get_json()
    iid = int(started.get_json()["id"])
    task = api.open_task(user, iid, "Task_report")
    done = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data or REPORT})
    assert done.status_code == 200, done.get_json()
    return iid


def incident_of(api: Api, iid: int, user: str = "responsible") -> dict[str, Any]:
    rows = api.get("/incidents", user).get_json()["incidents"]
    found = [r for r in rows if r["instance_id"] == iid]
    assert found, rows
    return found[0]


def triage(api: Api, iid: int, data: dict[str, Any], user: str = "responsible") -> Any:
    task = api.open_task(user, iid, "Task_triage", scope="roles")
    return api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})


def vote(api: Api, iid: int, user: str, decision: str, comment: str = "") -> Any:
    task = api.open_task(user, iid, "Task_vote")
    return api.post(
        f"/tasks/{task['id']}/complete", user, json={"data": {"decision": decision, "comment": comment}}
    )


def notifications(api: Api, user: str) -> dict[str, Any]:
    response = api.get("/notifications", user)
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def test_data_disclosure_alerts_the_director_in_the_same_request(api: Api) -> None:
    before = notifications(api, "director")["unread"]
    iid = report(api)
    after = notifications(api, "director")
    assert after["unread"] == before + 1
    alert = after["notifications"][0]
    assert alert["kind"] == "incident_alert" and alert["instance_id"] == iid
    # The responsible person also hears of the triage task waiting for her role.
    kinds = [n["kind"] for n in notifications(api, "responsible")["notifications"]]
    assert "incident_alert" in kinds and "task_waiting" in kinds
    # The alert does not carry the reporter's name (the report is anonymous).
    assert "staff1" not in json.dumps(after) and "Staff" not in json.dumps(alert)


def test_other_types_do_not_alert(api: Api) -> None:
    before = notifications(api, "director")["unread"]
    report(api, data={**REPORT, "type": "academic_integrity"})
    assert notifications(api, "director")["unread"] == before


def test_minor_incident_is_resolved_with_a_corrective_action_and_numbered(api: Api) -> None:
    first = report(api, data={**REPORT, "type": "other"})
    second = report(api, "staff2", data={**REPORT, "type": "other"})
    bad = triage(api, first, {"severity": "serious", "decision": "resolve", "corrective_action": "x"})
    assert bad.status_code == 422 and "decision" in bad.get_json()["fields"]
    missing = triage(api, first, {"severity": "minor", "decision": "resolve"})
    assert missing.status_code == 422 and "corrective_action" in missing.get_json()["fields"]
    assert (
        triage(
            api, second, {"severity": "minor", "decision": "resolve", "corrective_action": "Talk"}
        ).status_code
        == 200
    )
    assert (
        triage(
            api, first, {"severity": "minor", "decision": "resolve", "corrective_action": "Talk"}
        ).status_code
        == 200
    )
    a, b = incident_of(api, first), incident_of(api, second)
    year = utcnow().year
    assert b["number"] == f"{year}/1" and a["number"] == f"{year}/2"
    assert a["status"] == "closed" and a["outcome"] == "resolved" and a["severity"] == "minor"
    assert api.get(f"/instances/{first}", "responsible").get_json()["status"] == "completed"


def escalate(api: Api) -> int:
    iid = report(api)
    done = triage(api, iid, {"severity": "serious", "decision": "escalate"})
    assert done.status_code == 200, done.get_json()
    return iid


def test_council_vote_decides_closes_early_and_follow_ups_close_the_incident(api: Api) -> None:
    iid = escalate(api)
    members = ["council1", "council2", "council3", "council4", "council5", "wg_chair"]
    for member in members:
        api.open_task(member, iid, "Task_vote")  # every council member has a vote
    assert vote(api, iid, "council1", "training", "needs a course").status_code == 200
    assert vote(api, iid, "council2", "warning").status_code == 200
    assert vote(api, iid, "council3", "warning").status_code == 200
    assert vote(api, iid, "council4", "abstain").status_code == 200
    # 4 of 6 present (quorum 4), warning 2 of 3 counted: council5 and the chair could still tie it.
    assert vote(api, iid, "council5", "warning", "clear breach").status_code == 200
    # warning 3 of 4 counted with one member left: settled, the vote closes early.
    left = api.get(f"/tasks?scope=mine&instance_id={iid}", "wg_chair").get_json()["tasks"]
    assert [t for t in left if t["bpmn_id"] == "Task_vote"] == []
    with api.rt.db.session() as session:
        cancelled = (
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == iid,
                    HumanTask.bpmn_id == "Task_vote",
                    HumanTask.status == "cancelled",
                )
            )
            .scalars()
            .all()
        )
        assert len(cancelled) == 1
    detail = api.get(f"/incidents/{incident_of(api, iid)['id']}", "council2").get_json()
    assert detail["vote"]["decision"] == "warning" and detail["vote"]["status"] == "decided"
    assert {v["member"] for v in detail["votes"]} == {
        "council1",
        "council2",
        "council3",
        "council4",
        "council5",
    }
    # Another decision than the vote's needs the chair's reason (issue 15 item 13).
    chair_task = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    wrong = api.post(
        f"/tasks/{chair_task['id']}/complete", "wg_chair", json={"data": {"decision": "training"}}
    )
    assert wrong.status_code == 422 and "decision_change_reason" in wrong.get_json()["fields"]
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    recs = (
        f"ict; {due}; Check the chatbot settings\n"
        f"staff3; {due}; Attend the data protection course\nnobody; x; y"
    )
    bad = api.post(
        f"/tasks/{chair_task['id']}/complete",
        "wg_chair",
        json={"data": {"decision": "warning", "recommendations": recs}},
    )
    assert bad.status_code == 422 and "recommendations" in bad.get_json()["fields"]
    recs = "\n".join(recs.splitlines()[:2])
    ok = api.post(
        f"/tasks/{chair_task['id']}/complete",
        "wg_chair",
        json={"data": {"decision": "warning", "recommendations": recs}},
    )
    assert ok.status_code == 200, ok.get_json()
    incident = incident_of(api, iid)
    assert incident["status"] == "follow_up" and incident["outcome"] == "warning"
    minutes = api.get(f"/incidents/{incident['id']}/minutes.pdf", "director")
    assert minutes.status_code == 200 and minutes.data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(minutes.data)).pages)
    with api.rt.db.session() as session:
        names = dict(session.execute(select(User.username, User.full_name)).all())
    for member in ("council1", "council2", "council3", "council4", "council5"):
        assert names[member] in text  # every member who voted, with their vote
    present, signature = text.split("Кеңес төрағасы")
    assert names["wg_chair"] not in present and names["wg_chair"] in signature  # signs, did not vote
    assert "Ескерту" in text and "Қалыс қалу" in text and "clear breach" in text
    assert "Check the chatbot settings" in text and "Кворум: 5 / 6" in text
    assert f"Check the chatbot settings — {names['ict']}" in text  # the owner's name, not the login
    with api.rt.db.session() as session:  # the chain up to the decision is printed: length and hash
        decided = session.execute(
            select(AuditEvent).where(AuditEvent.action == "incident.decision", AuditEvent.instance_id == iid)
        ).scalar_one()
        assert printed_anchor(session, decided.id) in text
    assert api.get(f"/incidents/{incident['id']}/minutes.pdf", "director").data == minutes.data
    assert api.get(f"/incidents/{incident['id']}/minutes.pdf", "staff2").status_code == 404
    # Follow-up tasks for the named people, due on the day the chair set; done → closed.
    for person in ("ict", "staff3"):
        task = api.open_task(person, iid, "Task_follow_up")
        assert task["due_at"] is not None and task["due_at"].startswith(due)
        assert (
            api.post(
                f"/tasks/{task['id']}/complete", person, json={"data": {"done": True, "comment": "done"}}
            ).status_code
            == 200
        )
    incident = incident_of(api, iid)
    assert incident["status"] == "closed" and incident["outcome"] == "warning"
    detail = api.get(f"/incidents/{incident['id']}", "director").get_json()
    assert [f["status"] for f in detail["follow_ups"]] == ["done", "done"]


def test_visibility_404_reporter_limited_and_anonymous_name(api: Api) -> None:
    iid = escalate(api)
    incident_id = incident_of(api, iid)["id"]
    # A staff member who did not report it: 404 and not in lists.
    assert api.get(f"/incidents/{incident_id}", "staff2").status_code == 404
    assert api.get("/incidents", "staff2").get_json()["incidents"] == []
    assert api.get(f"/instances/{iid}", "staff2").status_code == 404
    # The reporter: status and outcome only.
    own = api.get(f"/incidents/{incident_id}", "staff1").get_json()
    assert set(own) <= {
        "id",
        "number",
        "instance_id",
        "reported_at",
        "type",
        "severity",
        "status",
        "tool",
        "outcome",
    }
    # The council sees the details but not an anonymous reporter's name; responsible sees it.
    council = api.get(f"/incidents/{incident_id}", "council1").get_json()
    assert council["description"] == REPORT["description"] and council["reporter"] is None
    assert "staff1" not in json.dumps(council)
    assert api.get(f"/incidents/{incident_id}", "responsible").get_json()["reporter"] == "staff1"
    task = api.open_task("council1", iid, "Task_vote")
    seen = api.get(f"/tasks/{task['id']}", "council1").get_json()
    with api.rt.db.session() as session:
        name = session.execute(select(User.full_name).where(User.username == "staff1")).scalar_one()
    assert "staff1" not in json.dumps(seen) and name not in json.dumps(seen)


def test_bad_report_is_refused_field_by_field_and_the_draft_kept(api: Api) -> None:
    started = api.post(f"/processes/{PROCESS}/instances", "staff1")
    iid = int(started.get_json()["id"])
    task = api.open_task("staff1", iid, "Task_report")
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    bad = api.post(
        f"/tasks/{task['id']}/complete",
        "staff1",
        json={"data": {**REPORT, "type": "alien", "occurred_on": future}},
    )
    assert bad.status_code == 422 and "type" in bad.get_json()["fields"]
    bad = api.post(
        f"/tasks/{task['id']}/complete", "staff1", json={"data": {**REPORT, "occurred_on": future}}
    )
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"occurred_on"}
    assert api.open_task("staff1", iid, "Task_report")["status"] == "open"
    with api.rt.db.session() as session:
        alerts = select(Notification).where(
            Notification.instance_id == iid, Notification.kind == "incident_alert"
        )
        assert session.execute(alerts).first() is None  # nothing was reported, nobody alerted


def test_responsible_reopens_a_closed_incident_with_a_reason(api: Api) -> None:
    iid = report(api, data={**REPORT, "type": "other"})
    triage(api, iid, {"severity": "minor", "decision": "resolve", "corrective_action": "Talked to the class"})
    incident = incident_of(api, iid)
    assert incident["status"] == "closed"
    path = f"/incidents/{incident['id']}/reopen"
    assert api.post(path, "council1", json={"reason": "x"}).status_code == 403
    assert api.post(path, "staff2", json={"reason": "x"}).status_code == 404
    assert api.post(path, "responsible", json={"reason": " "}).status_code == 422
    # Starting the process with reopen data directly does not bypass the rule.
    sneaky = api.post(
        f"/processes/{PROCESS}/instances", "staff1", json={"data": {"reopen_of": incident["id"]}}
    )
    assert sneaky.status_code == 403
    reopened = api.post(path, "responsible", json={"reason": "The same class again"})
    assert reopened.status_code == 201, reopened.get_json()
    new_iid = reopened.get_json()["instance_id"]
    again = incident_of(api, new_iid)
    assert again["id"] == incident["id"] and again["number"] == incident["number"]
    assert again["status"] == "reported" and again["outcome"] is None
    # Back in triage, this time escalated; the journal keeps one row.
    assert triage(api, new_iid, {"severity": "serious", "decision": "escalate"}).status_code == 200
    assert incident_of(api, new_iid)["status"] == "voting"
    assert len(api.get("/incidents", "director").get_json()["incidents"]) == 1
    detail = api.get(f"/incidents/{incident['id']}", "responsible").get_json()
    assert detail["reopen_count"] == 1 and detail["reopen_reason"] == "The same class again"
    assert api.post(path, "responsible", json={"reason": "again"}).status_code == 409


def test_task_lists_do_not_show_others_incident_tasks(api: Api) -> None:
    iid = escalate(api)
    for user in ("staff2", "director", "wg_chair", "admin"):
        rows = api.get("/tasks?scope=all&status=any&limit=200", user).get_json()["tasks"]
        theirs = [r for r in rows if r["instance_id"] == iid]
        assert all(r["assignee"] in (user, None) for r in theirs), (user, theirs)
        assert not [r for r in theirs if r["bpmn_id"] == "Task_report"]
    rows = api.get("/tasks?scope=all&status=any&limit=200", "responsible").get_json()["tasks"]
    assert [r for r in rows if r["instance_id"] == iid and r["bpmn_id"] == "Task_report"]


def test_journal_filters(api: Api) -> None:
    escalate(api)
    report(api, "staff2", data={**REPORT, "type": "other"})
    rows = api.get("/incidents?type=data_disclosure", "director").get_json()["incidents"]
    assert [r["type"] for r in rows] == ["data_disclosure"]
    assert [
        r["severity"] for r in api.get("/incidents?severity=serious", "director").get_json()["incidents"]
    ] == ["serious"]
    assert len(api.get("/incidents?status=reported", "director").get_json()["incidents"]) == 1
    assert api.get(f"/incidents?year={utcnow().year + 1}", "director").get_json()["incidents"] == []
    bad = api.get("/incidents?type=alien", "director")
    assert bad.status_code == 422 and "type" in bad.get_json()["fields"]
