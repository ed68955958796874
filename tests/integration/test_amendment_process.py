"""An amendment of clause 8.1 through discussion, legal review, council and the director's order."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from service.features.acts import exports as act_documents
from service.features.acts import usecases as act_cases
from service.features.orders.models import Order
from service.platform.persistence.models import CampaignTask, HumanTask, User
from service.platform.timers import wake as timers
from tests.conftest import Api, actor_named, csrf_from, login, make_app
from tests.integration.amendment_steps import (
    NEW_81,
    OLD_81,
    claim_and_complete,
    complete,
    order_data,
    proposal,
    start,
    through_council,
    through_order,
)


def test_amendment_publishes_edition_2_from_the_orders_date_and_staff_acknowledge(api: Api) -> None:
    response = api.post("/processes/regulation_amendment/instances", "responsible", json={"data": proposal()})
    iid = response.get_json()["id"]
    task = api.open_task("responsible", iid, "Task_proposal")
    detail = api.get(f"/tasks/{task['id']}", "responsible").get_json()
    assert detail["data"]["current_text"] == OLD_81  # filled from the edition in force
    complete(api, "responsible", task["id"], proposal())

    through_council(api, iid)
    _, prefilled = order_data(api, iid)
    assert prefilled["order_type"] == "act_amendment"
    assert "8.1" in prefilled["body"] and NEW_81 in prefilled["body"]
    through_order(api, iid)

    with api.rt.db.session() as session:
        order = session.execute(select(Order).where(Order.instance_id == iid)).scalar_one()
        number, registered_on = order.number, order.registered_on
        # The order ends at registration: its own acknowledgement is replaced by the edition's.
        order_acks = session.execute(
            select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.bpmn_id == "Task_acknowledge")
        ).all()
        assert order_acks == []
    assert number and registered_on

    act = api.get("/acts/ai_regulation", "staff1").get_json()
    assert [(e["number"], e["status"]) for e in act["editions"]] == [(1, "historical"), (2, "in_force")]
    second = act["editions"][1]
    assert second["in_force_from"] == registered_on.isoformat() and second["order_number"] == number

    old = api.get("/acts/ai_regulation/editions/1", "staff1").get_json()
    new = api.get("/acts/ai_regulation/editions/2", "staff1").get_json()
    clause = {c["number"]: c["text"] for s in old["sections"] for c in s["clauses"]}
    assert clause["8.1"] == OLD_81
    clause = {c["number"]: c["text"] for s in new["sections"] for c in s["clauses"]}
    assert clause["8.1"] == NEW_81 and clause["5.2"].startswith("Тыйым салынады:")

    comparison = api.get("/acts/ai_regulation/compare?from=1&to=2", "staff1").get_json()["clauses"]
    changed = [c for c in comparison if c["changed"]]
    assert [c["clause"] for c in changed] == ["8.1"]
    inserted = [p["text"] for p in changed[0]["pieces"] if p["op"] == "insert"]
    deleted = [p["text"] for p in changed[0]["pieces"] if p["op"] == "delete"]
    assert inserted == ["және әріптестерінің "] and deleted == []

    body = api.get(f"/instances/{iid}", "director").get_json()
    assert body["tasks"] == []  # the process waits on the edition's acknowledgement campaign
    # staff1 acknowledges on the edition's page, where the inbox row links.
    row = api.get("/tasks", "staff1").get_json()["campaign_tasks"][0]
    assert row["url"] == "/acts/ai_regulation/editions/2" and row["name"].startswith(
        "Жаңа редакциямен танысу"
    )
    staff_page = api.client.application.test_client()
    login(staff_page, "staff1")
    token = csrf_from(staff_page.get(row["url"]).get_data(as_text=True))
    refused = staff_page.post(f"{row['url']}/acknowledge", data={"csrf_token": token, "comment": "Иә"})
    assert refused.status_code == 422 and "Иә" in refused.get_data(as_text=True)
    done = staff_page.post(f"{row['url']}/acknowledge", data={"csrf_token": token, "acknowledged": "true"})
    assert done.status_code == 302
    reader = actor_named(api.rt, "staff1")
    view = act_cases.get_edition(api.rt, reader, "ai_regulation", 2)
    progress = act_cases.edition_acknowledgements(api.rt, view.edition)
    assert progress is not None and (progress.total, progress.done, len(progress.pending)) == (30, 1, 29)
    form = act_documents.acknowledgement_file(api.rt, reader, "ai_regulation", 2)
    assert form.content.startswith(b"%PDF")
    browser = api.client.application.test_client()
    login(browser, "wg_chair")
    page = browser.get("/acts/ai_regulation/editions/2").get_data(as_text=True)
    assert 'data-testid="edition-acks"' in page and "1</strong> / 30" in page
    assert browser.get("/acts/ai_regulation/editions/2/acknowledgements.pdf").status_code == 200
    assert browser.get("/acts/ai_regulation/editions/1/acknowledgements.pdf").status_code == 404
    with api.rt.db.read() as session:
        others = (
            session.execute(
                select(User.username)
                .join(CampaignTask, CampaignTask.user_id == User.id)
                .where(CampaignTask.status == "pending")
            )
            .scalars()
            .all()
        )
    assert len(others) == 29
    for name in others:
        act_cases.acknowledge_edition(
            api.rt, actor_named(api.rt, name), "ai_regulation", 2, {"acknowledged": True}
        )
    assert api.get(f"/instances/{iid}", "responsible").get_json()["status"] == "completed"
    amendment = api.get(f"/amendments/{iid}", "staff1").get_json()
    assert amendment["status"] == "published" and amendment["published_edition"] == 2
    # The enacting order is an ordinary registered order of type act_amendment, with its documents.
    order_id = act["editions"][1]["order_id"]
    order = api.get(f"/orders/{order_id}", "staff1").get_json()
    assert order["order_type"] == "act_amendment" and order["number"] == number
    pdf = api.get(f"/orders/{order_id}/document.pdf", "director")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    edition_pdf = api.get("/acts/ai_regulation/editions/2/document.pdf", "staff1")
    assert edition_pdf.status_code == 200 and edition_pdf.data.startswith(b"%PDF")


def test_chair_returns_for_rework_and_the_council_majority_decides(api: Api) -> None:
    iid = start(api, proposal())
    comment = api.open_task("wg_member", iid, "Task_wg_comment")
    complete(api, "wg_member", comment["id"], {})  # a comment is optional
    claim_and_complete(
        api, "wg_chair", iid, "Task_wg_decision", {"decision": "rework", "comment": "Нақтылаңыз"}
    )
    rework = api.open_task("responsible", iid, "Task_amendment_rework")
    data = api.get(f"/tasks/{rework['id']}", "responsible").get_json()["data"]
    assert data["current_text"] == OLD_81 and data["proposed_text"] == NEW_81
    complete(api, "responsible", rework["id"], {**proposal(), "decision": "resubmit"})
    # Council objects by majority: back to the proposer, who withdraws.
    through_council(api, iid, support=1)
    rework = api.open_task("responsible", iid, "Task_amendment_rework")
    complete(api, "responsible", rework["id"], {**proposal(), "decision": "withdraw"})
    assert api.get(f"/instances/{iid}", "responsible").get_json()["status"] == "completed"
    assert api.get(f"/amendments/{iid}", "responsible").get_json()["status"] == "dropped"
    assert [e["number"] for e in api.get("/acts/ai_regulation", "staff1").get_json()["editions"]] == [1]


def test_a_proposal_for_a_clause_that_does_not_exist_is_refused_per_field(api: Api) -> None:
    response = api.post("/processes/regulation_amendment/instances", "wg_chair", json={"data": {}})
    iid = response.get_json()["id"]
    task = api.open_task("wg_chair", iid, "Task_proposal")
    result = complete(api, "wg_chair", task["id"], proposal(clause="8.9"), status=422)
    assert "clause" in result["fields"]
    complete(api, "wg_chair", task["id"], proposal(clause="8.3", change="add", text="Жаңа тармақ."))
    assert api.get(f"/amendments/{iid}", "wg_chair").get_json()["current_text"] == ""


def test_the_council_deadline_tallies_the_opinions_given_so_far(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, DEADLINES={"vote_deadline": "PT1S"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt = app.extensions["runtime"]
    api = Api(app, rt)
    try:
        iid = start(api, proposal())
        comment = api.open_task("wg_member", iid, "Task_wg_comment")
        complete(api, "wg_member", comment["id"], {})
        claim_and_complete(api, "wg_chair", iid, "Task_wg_decision", {"decision": "proceed"})
        claim_and_complete(api, "lawyer", iid, "Task_amendment_legal_review", {"decision": "approve"})
        for member, decision in (("council1", "support"), ("council2", "support"), ("council3", "object")):
            task = api.open_task(member, iid, "Task_council_opinion")
            complete(api, member, task["id"], {"decision": decision})
        time.sleep(1.2)
        assert timers.run_due_timers(rt) == 1
        # Three of six answered before the deadline: 2 support, 1 object → supported; the rest closed.
        assert order_data(api, iid)[1]["order_type"] == "act_amendment"
        with rt.db.session() as session:
            statuses = (
                session.execute(
                    select(HumanTask.status).where(
                        HumanTask.instance_id == iid, HumanTask.bpmn_id == "Task_council_opinion"
                    )
                )
                .scalars()
                .all()
            )
        assert sorted(statuses) == ["cancelled"] * 3 + ["completed"] * 3
    finally:
        rt.db.dispose()
