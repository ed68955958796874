"""The council's decision on an incident leads to an amendment of a local act, linked both ways."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from service.platform.persistence.models import AuditEvent
from tests.conftest import Api, csrf_from, login
from tests.integration.amendment_steps import NEW_81, complete
from tests.integration.test_incident_api import REPORT, escalate, incident_of
from tests.integration.test_incident_tool_register import _decide

PROPOSAL = {"act": "ai_regulation", "clause": "8.1", "change": "change", "proposed_text": NEW_81}


def decided_incident(api: Api) -> dict[str, Any]:
    iid = escalate(api)
    _decide(api, iid, "warning")
    row = incident_of(api, iid)
    assert row["status"] in ("decided", "closed") and row["outcome"] == "warning", row
    return row


def propose(api: Api, incident_id: int, user: str = "wg_chair", **data: Any) -> Any:
    return api.post(f"/incidents/{incident_id}/amendments", user, json={"data": {**PROPOSAL, **data}})


def test_the_chair_proposes_from_the_decision_and_both_sides_link(api: Api) -> None:
    incident = decided_incident(api)
    started = propose(api, incident["id"], reason="Оқытуды күшейту")
    assert started.status_code == 201, started.get_json()
    amendment_iid = started.get_json()["instance_id"]
    task = api.open_task("wg_chair", amendment_iid, "Task_proposal")
    data = api.get(f"/tasks/{task['id']}", "wg_chair").get_json()["data"]
    assert data["source"] == "council_recommendation"
    assert incident["number"] in data["reason"] and data["reason"].endswith("Оқытуды күшейту")
    complete(api, "wg_chair", task["id"], {"source": data["source"], "reason": data["reason"], **PROPOSAL})

    # The incident lists the amendment (with the act and clause once the proposal is recorded) ...
    detail = api.get(f"/incidents/{incident['id']}", "responsible").get_json()
    assert [(a["instance_id"], a["act"], a["clause"], a["status"]) for a in detail["amendments"]] == [
        (amendment_iid, "ai_regulation", "8.1", "proposed")
    ]
    # ... and the amendment names the incident to those who read incidents.
    body = api.get(f"/amendments/{amendment_iid}", "director").get_json()
    assert body["source"] == "council_recommendation"
    assert body["incident"] == {"id": incident["id"], "number": incident["number"]}

    # The lawyer reviews the amendment but may not know about the incident: no link, and the reason
    # says nothing of it beyond the journal number.
    other = api.get(f"/amendments/{amendment_iid}", "lawyer").get_json()
    assert other["incident"] is None
    assert REPORT["description"] not in other["reason"] and REPORT["tool"] not in other["reason"]
    assert api.get(f"/incidents/{incident['id']}", "lawyer").status_code == 404

    with api.rt.db.session() as session:
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "incident.amendment.start"))
            .scalars()
            .all()
        )
        assert [(e.actor, e.instance_id) for e in events] == [("wg_chair", amendment_iid)]


def test_who_and_when(api: Api) -> None:
    undecided = incident_of(api, escalate(api))  # the council is still voting
    assert propose(api, undecided["id"], user="responsible").status_code == 409
    incident = decided_incident(api)
    # council members read the incident but carry no decision forward; others may not know it exists.
    assert propose(api, incident["id"], user="council1").status_code == 403
    assert propose(api, incident["id"], user="staff3").status_code == 404
    assert propose(api, incident["id"], user="lawyer").status_code == 404
    assert propose(api, 999_999, user="responsible").status_code == 404
    bad = propose(api, incident["id"], user="responsible", clause="99.9")
    assert bad.status_code == 422 and "clause" in bad.get_json()["fields"]
    assert api.get(f"/incidents/{incident['id']}", "responsible").get_json()["amendments"] == []
    assert propose(api, incident["id"], user="responsible").status_code == 201


def test_the_page_opens_the_prefilled_proposal_and_links_back(api: Api, client: FlaskClient) -> None:
    incident = decided_incident(api)
    page_url = f"/incidents/{incident['id']}"
    login(client, "council1")
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-testid="propose-amendment"' not in page
    assert client.post(f"{page_url}/amend", data={"csrf_token": csrf_from(page)}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get(page_url).get_data(as_text=True))})

    login(client, "responsible")
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-testid="propose-amendment"' in page
    opened = client.post(f"{page_url}/amend", data={"csrf_token": csrf_from(page)})
    assert opened.status_code == 302 and "/tasks/" in opened.headers["Location"], opened.headers
    task_page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert incident["number"] in task_page and "council_recommendation" in task_page

    (link,) = api.get(page_url, "responsible").get_json()["amendments"]
    assert link["status"] == "draft" and link["act"] is None  # the proposer has not chosen yet
    page = client.get(page_url).get_data(as_text=True)
    assert f'/instances/{link["instance_id"]}"' in page and 'data-testid="incident-amendment"' in page
    instance_page = client.get(f"/instances/{link['instance_id']}").get_data(as_text=True)
    assert f'href="/incidents/{incident["id"]}" data-testid="source-incident"' in instance_page


def test_the_amendment_page_hides_the_incident_from_others(api: Api, client: FlaskClient) -> None:
    incident = decided_incident(api)
    amendment_iid = propose(api, incident["id"]).get_json()["instance_id"]
    task = api.open_task("wg_chair", amendment_iid, "Task_proposal")
    data = api.get(f"/tasks/{task['id']}", "wg_chair").get_json()["data"]
    complete(api, "wg_chair", task["id"], {"source": data["source"], "reason": data["reason"], **PROPOSAL})
    # The working-group member has a comment task on the amendment, so sees its page, not the incident.
    api.open_task("wg_member", amendment_iid, "Task_wg_comment")
    login(client, "wg_member")
    page = client.get(f"/instances/{amendment_iid}")
    assert page.status_code == 200
    assert b"source-incident" not in page.data and f"/incidents/{incident['id']}".encode() not in page.data
    assert client.get(f"/incidents/{incident['id']}").status_code == 404
