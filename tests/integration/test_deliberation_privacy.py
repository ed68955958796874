"""Issue 15 item 5: the deliberation of a registered order and of a tool evaluation (drafts, reviews,
returns, comments) is for those who took part and the overseers; a person holding only `staff` reads the
registered result. Checked on every way in: the order's page and API, the instance page and API, the task
pages and API, the timeline."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, login
from tests.integration.test_tool_evaluation_api import MEMBERS, start_to_vote, vote, vote_data

FIRST_BODY = "Алғашқы жоба: барлық мұғалімдер ЖИ құралдарын еркін қолданады."
FINAL_BODY = "Мектепте тек рұқсат етілген ЖИ құралдары қолданылады."
LAWYER_COMMENT = "Заңгердің ескертуі: бірінші нұсқа Ережеге қайшы"


def _claim_and_complete(api: Api, user: str, iid: int, step: str, data: dict[str, Any]) -> None:
    task = api.open_task(user, iid, step, scope="roles")
    api.post(f"/tasks/{task['id']}/claim", user)
    reply = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
    assert reply.status_code == 200, reply.get_json()


def registered_order_with_a_return(api: Api) -> tuple[int, int, list[int]]:
    """(order id, instance id, ids of its drafting tasks): drafted, returned by the lawyer, reworked,
    approved and registered."""
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    data = {"title": "ЖИ құралдары туралы", "order_type": "ai_ethics", "body": FIRST_BODY}
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": data}).status_code == 200
    _claim_and_complete(
        api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": LAWYER_COMMENT}
    )
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    reply = api.post(
        f"/tasks/{rework['id']}/complete", "wg_deputy", json={"data": {**data, "body": FINAL_BODY}}
    )
    assert reply.status_code == 200, reply.get_json()
    _claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    _claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"})
    order = next(o for o in api.get("/orders", "director").get_json()["orders"] if o["instance_id"] == iid)
    assert order["status"] == "registered"
    tasks = api.get(f"/tasks?scope=all&status=completed&instance_id={iid}", "director").get_json()["tasks"]
    return int(order["id"]), iid, [int(t["id"]) for t in tasks]


def test_staff_read_the_registered_order_not_how_it_was_drafted(api: Api) -> None:
    order_id, iid, task_ids = registered_order_with_a_return(api)
    assert len(task_ids) >= 4

    # A teacher: the final text only, no decisions, no earlier draft; the process is not there for them.
    body = api.get(f"/orders/{order_id}", "staff1").get_json()
    assert [(e["number"], e["body"]) for e in body["editions"]] == [(2, FINAL_BODY)]
    assert body["approval_history"] == []
    assert api.get(f"/instances/{iid}", "staff1").status_code == 404
    for task_id in task_ids:
        assert api.get(f"/tasks/{task_id}", "staff1").status_code == 404

    client = api.client.application.test_client()
    login(client, "staff1")
    page = client.get(f"/orders/{order_id}").get_data(as_text=True)
    assert FINAL_BODY in page and "/document.pdf" in page
    assert FIRST_BODY not in page and LAWYER_COMMENT not in page
    assert 'data-testid="approval-history"' not in page and f"/instances/{iid}" not in page
    assert "Бұйрықпен таныстым" in page  # the box names what is acknowledged (kk by default)
    assert client.get(f"/instances/{iid}").status_code == 404
    assert client.get(f"/instances/{iid}/diagram.json").status_code == 404
    for task_id in task_ids:
        assert client.get(f"/tasks/{task_id}").status_code == 404

    # Those who took part and the overseers keep the whole deliberation.
    for reader in ("wg_deputy", "lawyer", "director", "wg_chair"):
        detail = api.get(f"/orders/{order_id}", reader).get_json()
        assert [e["number"] for e in detail["editions"]] == [1, 2], reader
        assert ("lawyer", "return") in [(h["actor"], h["decision"]) for h in detail["approval_history"]]
        history = api.get(f"/instances/{iid}", reader)
        assert history.status_code == 200, reader
    reviewer = api.client.application.test_client()
    login(reviewer, "lawyer")
    page = reviewer.get(f"/orders/{order_id}").get_data(as_text=True)
    assert FIRST_BODY in page and LAWYER_COMMENT in page


def test_a_tool_evaluation_is_read_by_its_participants_not_by_every_teacher(api: Api) -> None:
    iid = start_to_vote(api, proposer="staff2")
    for member in MEMBERS[:3]:
        assert vote(api, member, iid, vote_data("approve")).status_code == 200
    tasks = api.get(f"/tasks?scope=all&status=completed&instance_id={iid}", "wg_chair").get_json()["tasks"]
    assert tasks

    assert api.get(f"/instances/{iid}", "staff1").status_code == 404
    for task in tasks:
        assert api.get(f"/tasks/{task['id']}", "staff1").status_code == 404
    client = api.client.application.test_client()
    login(client, "staff1")
    assert client.get(f"/instances/{iid}").status_code == 404

    # The proposer, the ICT specialist, a member who voted and the chair still read it.
    for reader in ("staff2", "ict", "commission1", "wg_chair", "director"):
        assert api.get(f"/instances/{iid}", reader).status_code == 200, reader
