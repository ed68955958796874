"""Out-of-office substitution (issue 14, item 5): a deputy works on an absent person's tasks for a date
range, the history names both, and a vote is never delegated (403 with the reason)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from service.platform.errors import Conflict, Forbidden, ValidationFailed
from service.platform.inbox import deputies
from service.platform.inbox import tasks as task_cases
from service.platform.persistence.models import AuditEvent
from tests.conftest import Api, actor_named, csrf_from, login
from tests.integration.test_incident_api import escalate
from tests.threads import run_together

DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}


def _days(api: Api, first: int, last: int) -> tuple[str, str]:
    today = deputies.today(api.rt)
    return (today + timedelta(days=first)).isoformat(), (today + timedelta(days=last)).isoformat()


def _away(api: Api, who: str, deputy: str, first: int = 0, last: int = 3) -> int:
    start, end = _days(api, first, last)
    return deputies.name_deputy(api.rt, actor_named(api.rt, who), who, deputy, start, end).id


def _order_at_review(api: Api) -> int:
    iid = int(api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"])
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": DRAFT}).status_code == 200
    return iid


def _history(api: Api, iid: int, user: str) -> list[dict[str, object]]:
    return list(api.get(f"/instances/{iid}", user).get_json()["history"])


def test_a_deputy_does_the_absent_lawyers_review_and_the_history_names_both(api: Api) -> None:
    iid = _order_at_review(api)
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    # Before the lawyer is away, the HR specialist has nothing to do with it (not even its existence).
    assert api.post(f"/tasks/{review['id']}/claim", "hr").status_code == 404
    assert task_cases.inbox_counts(api.rt, actor_named(api.rt, "hr"))[1] == 0
    _away(api, "lawyer", "hr")
    assert task_cases.inbox_counts(api.rt, actor_named(api.rt, "hr"))[1] == 1  # the badge counts it
    landing = task_cases.landing(api.rt, actor_named(api.rt, "hr"))
    assert [t.bpmn_id for t in landing.waiting] == ["Task_legal_review"]
    listed = api.get(f"/tasks?scope=roles&instance_id={iid}", "hr").get_json()["tasks"]
    assert [t["bpmn_id"] for t in listed] == ["Task_legal_review"]  # it reaches the deputy
    assert api.post(f"/tasks/{review['id']}/claim", "hr").status_code == 200
    done = api.post(
        f"/tasks/{review['id']}/complete", "hr", json={"data": {"decision": "return", "comment": "Түзетіңіз"}}
    )
    assert done.status_code == 200, done.get_json()

    # A task assigned to the absent drafter reaches their deputy too, with no claim needed.
    _away(api, "wg_deputy", "wg_member")
    rework = api.open_task("wg_member", iid, "Task_rework")
    assert rework["assignee"] == "wg_deputy"
    assert api.post(f"/tasks/{rework['id']}/complete", "wg_member", json={"data": DRAFT}).status_code == 200

    history = _history(api, iid, "wg_chair")
    acted = [(h["actor"], h.get("on_behalf_of"), h["action"]) for h in history if h.get("on_behalf_of")]
    assert acted == [
        ("hr", "lawyer", "task.claim"),
        ("hr", "lawyer", "task.complete"),
        ("wg_member", "wg_deputy", "task.complete"),
    ]
    names = {h["on_behalf_of_name"] for h in history if h.get("on_behalf_of")}
    assert names == {"Сәуле Оразқызы", "Мәдина Асқарқызы"}  # full names, not codes


def test_the_instance_page_shows_both_names(app: Flask, api: Api) -> None:
    iid = _order_at_review(api)
    _away(api, "lawyer", "hr")
    review = api.open_task("hr", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{review['id']}/claim", "hr")
    api.post(f"/tasks/{review['id']}/complete", "hr", json={"data": {"decision": "approve"}})
    client = app.test_client()
    assert login(client, "wg_chair").status_code == 302
    html = client.get(f"/instances/{iid}").get_data(as_text=True)
    history = api.get(f"/instances/{iid}", "wg_chair").get_json()["history"]
    lawyer_name = [h["on_behalf_of_name"] for h in history if h.get("on_behalf_of")][-1]
    assert lawyer_name == "Сәуле Оразқызы"
    assert f"({lawyer_name} үшін)" in html  # "Жанар (Бауыржан үшін)": both, in Kazakh


def test_a_council_vote_is_never_delegated(api: Api) -> None:
    iid = escalate(api)
    _away(api, "council1", "hr")
    vote = api.open_task("council1", iid, "Task_vote")
    mine = api.get(f"/tasks?scope=mine&instance_id={iid}", "hr").get_json()
    assert mine["tasks"] == [] and mine["total"] == 0  # the member's vote does not reach the deputy
    refused = api.post(f"/tasks/{vote['id']}/complete", "hr", json={"data": {"decision": "warning"}})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "not_delegable"
    assert "жеке" in refused.get_json()["message"]  # why, in the member's language
    with api.rt.db.session() as session:
        by_deputy = session.execute(
            select(AuditEvent).where(AuditEvent.actor == "hr", AuditEvent.instance_id == iid)
        ).first()
    assert by_deputy is None  # nothing was recorded
    # The member votes themselves as usual.
    assert (
        api.post(
            f"/tasks/{vote['id']}/complete", "council1", json={"data": {"decision": "warning"}}
        ).status_code
        == 200
    )


def test_only_while_it_runs_and_only_who_may_name_it(api: Api) -> None:
    iid = _order_at_review(api)
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    rt = api.rt
    future = _away(api, "lawyer", "hr", first=2, last=4)  # not yet
    assert api.post(f"/tasks/{review['id']}/claim", "hr").status_code == 404
    with pytest.raises(Conflict):
        _away(api, "lawyer", "wg_member", first=3, last=5)  # overlaps the named one
    start, end = _days(api, 0, 1)
    with pytest.raises(Forbidden):
        deputies.name_deputy(rt, actor_named(rt, "hr"), "lawyer", "hr", start, end)  # not for someone else
    with pytest.raises(ValidationFailed) as refused:
        deputies.name_deputy(rt, actor_named(rt, "lawyer"), "lawyer", "lawyer", end, start)
    assert {k: v.code for k, v in refused.value.fields.items()} == {
        "deputy": "same_person",
        "ends_on": "before_start",
    }
    deputies.cancel(rt, actor_named(rt, "lawyer"), future)
    made = deputies.name_deputy(
        rt, actor_named(rt, "admin"), "lawyer", "hr", start, end
    )  # the admin for them
    assert api.post(f"/tasks/{review['id']}/claim", "hr").status_code == 200
    with rt.db.read() as session:
        details = [
            json.loads(d)
            for d in session.execute(
                select(AuditEvent.detail_json)
                .where(AuditEvent.action.in_(("substitution.create", "substitution.cancel")))
                .order_by(AuditEvent.id)
            ).scalars()
        ]
    assert [d["deputy"] for d in details] == ["hr", "hr", "hr"] and details[-1]["starts_on"] == start
    assert made.active


def test_the_page_names_a_deputy_and_keeps_what_was_typed(app: Flask, api: Api) -> None:
    client = app.test_client()
    assert login(client, "lawyer").status_code == 302
    page = client.get("/deputies").get_data(as_text=True)
    start, end = _days(api, 0, 2)
    bad = client.post(
        "/deputies", data={"csrf_token": csrf_from(page), "deputy": "", "starts_on": start, "ends_on": "x"}
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert f'value="{start}"' in html and 'id="dp-deputy-error"' in html and 'id="dp-ends_on-error"' in html
    good = client.post(
        "/deputies", data={"csrf_token": csrf_from(page), "deputy": "hr", "starts_on": start, "ends_on": end}
    )
    assert good.status_code == 302
    listed = client.get("/deputies").get_data(as_text=True)
    assert "Жанар Сейітқызы" in listed


@pytest.mark.timeout(300)
def test_two_deputies_named_at_the_same_moment_one_wins(api: Api) -> None:
    """Run with TEST_DATABASE_URL: the absent person's row is locked, so overlapping ranges named at
    once never both stand; the other is told 409."""
    rt = api.rt
    start, end = _days(api, 0, 3)
    lawyer = actor_named(rt, "lawyer")
    results = run_together(
        [
            lambda d=d: deputies.name_deputy(rt, lawyer, "lawyer", d, start, end)  # type: ignore[misc]
            for d in ("hr", "wg_member", "ict")
        ]
    )
    won = [r for r in results if isinstance(r, deputies.SubstitutionView)]
    assert len(won) == 1 and all(isinstance(r, Conflict) for r in results if r not in won), results
    assert [v.deputy for v in deputies.listing(rt, actor_named(rt, "lawyer"))] == [won[0].deputy]


def test_the_api_names_lists_and_ends_a_substitution(api: Api) -> None:
    start, end = _days(api, 0, 2)
    refused = api.post(
        "/deputies", "lawyer", json={"deputy": "nobody", "starts_on": start, "ends_on": "soon"}
    )
    assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"deputy", "ends_on"}
    assert (
        api.post(
            "/deputies", "hr", json={"absent": "lawyer", "deputy": "hr", "starts_on": start, "ends_on": end}
        ).status_code
        == 403
    )
    made = api.post("/deputies", "lawyer", json={"deputy": "hr", "starts_on": start, "ends_on": end})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["absent"], body["deputy"], body["active"]) == ("lawyer", "hr", True)
    assert (
        api.post(
            "/deputies", "lawyer", json={"deputy": "ict", "starts_on": start, "ends_on": end}
        ).status_code
        == 409
    )
    assert [s["deputy"] for s in api.get("/deputies", "hr").get_json()["substitutions"]] == ["hr"]
    assert api.get("/deputies", "ict").get_json()["substitutions"] == []
    assert api.post(f"/deputies/{body['id']}/cancel", "hr").status_code == 403  # the deputy cannot end it
    ended = api.post(f"/deputies/{body['id']}/cancel", "lawyer")
    assert ended.status_code == 200 and ended.get_json()["substitutions"] == []
