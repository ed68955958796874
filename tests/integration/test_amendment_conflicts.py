"""Two amendments of one act in flight: the second sees the first's text and never publishes over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from service.features.orders.models import Order
from service.platform.errors import Conflict
from service.platform.inbox import tasks as task_cases
from service.platform.persistence.models import Campaign
from tests.conftest import Api, actor_named, make_app
from tests.integration.amendment_steps import (
    NEW_81,
    OLD_81,
    approve_order,
    claim_and_complete,
    complete,
    order_data,
    proposal,
    start,
    through_council,
    through_order,
)
from tests.threads import run_together

OTHER_81 = "Педагогтер оқушылардың дербес деректерін ашық ЖИ сервистеріне енгізбейді."
MERGED_81 = "Педагогтер ашық ЖИ сервистеріне оқушылардың және әріптестерінің дербес деректерін енгізбейді."


def _editions(api: Api) -> list[tuple[int, str]]:
    return [
        (e["number"], e["status"]) for e in api.get("/acts/ai_regulation", "staff1").get_json()["editions"]
    ]


def _clause(api: Api, edition: int, number: str = "8.1") -> str:
    body = api.get(f"/acts/ai_regulation/editions/{edition}", "staff1").get_json()
    return next(c["text"] for s in body["sections"] for c in s["clauses"] if c["number"] == number)


def test_the_second_is_refreshed_and_sent_back_to_its_proposer_before_its_order(api: Api) -> None:
    first = start(api, proposal())
    second = start(api, proposal(text=OTHER_81), user="wg_chair")
    through_council(api, first)
    through_order(api, first)
    assert _editions(api) == [(1, "historical"), (2, "in_force")]

    seen = api.get(f"/amendments/{second}", "wg_chair").get_json()
    assert seen["current_text"] == NEW_81  # refreshed when the first was published
    assert (seen["base_edition"], seen["current_edition"]) == (1, 2) and "edition 2" in seen["conflict"]

    # The council supports it, but the act changed under it: back to its proposer, not to an order.
    through_council(api, second)
    rework = api.open_task("wg_chair", second, "Task_amendment_rework")
    data = api.get(f"/tasks/{rework['id']}", "wg_chair").get_json()["data"]
    assert data["current_text"] == NEW_81 and data["proposed_text"] == OTHER_81
    with api.rt.db.session() as session:
        assert session.execute(select(Order).where(Order.instance_id == second)).first() is None

    complete(api, "wg_chair", rework["id"], {**proposal(text=MERGED_81), "decision": "resubmit"})
    assert api.get(f"/amendments/{second}", "wg_chair").get_json()["conflict"] is None
    through_council(api, second)
    through_order(api, second, user="wg_chair")
    assert _editions(api) == [(1, "historical"), (2, "historical"), (3, "in_force")]
    assert (_clause(api, 1), _clause(api, 2), _clause(api, 3)) == (OLD_81, NEW_81, MERGED_81)


def test_an_order_approved_after_the_act_changed_is_refused_and_nothing_is_overwritten(api: Api) -> None:
    first = start(api, proposal())
    second = start(api, proposal(text=OTHER_81), user="wg_chair")
    for iid in (first, second):
        through_council(api, iid)
    # Both orders are drafted and legally reviewed before either is approved.
    for iid, user in ((first, "responsible"), (second, "wg_chair")):
        draft_id, data = order_data(api, iid, user)
        complete(api, user, draft_id, {k: data[k] for k in ("title", "order_type", "body", "basis")})
        claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    approve_order(api, first)
    refused = approve_order(api, second, status=409)
    assert refused["error"] == "act_changed" and refused["conflict"] == {
        "act": "ai_regulation",
        "base": 1,
        "current": 2,
    }
    assert "2" in refused["message"]
    assert _editions(api) == [(1, "historical"), (2, "in_force")] and _clause(api, 2) == NEW_81
    with api.rt.db.session() as session:
        order = session.execute(select(Order).where(Order.instance_id == second)).scalar_one()
        assert order.number is None  # the refused approval registered nothing either

    # The director rejects that order; the proposer gets the amendment back with the text in force.
    task = api.open_task("director", second, "Task_director_approval", scope="mine")
    complete(api, "director", task["id"], {"decision": "reject", "comment": "Акт өзгерді"})
    rework = api.open_task("wg_chair", second, "Task_amendment_rework")
    assert api.get(f"/tasks/{rework['id']}", "wg_chair").get_json()["data"]["current_text"] == NEW_81


def _race_two_director_approvals(api: Api) -> list[Any]:
    first = start(api, proposal())
    second = start(api, proposal(text=OTHER_81), user="wg_chair")
    ids = []
    for iid, user in ((first, "responsible"), (second, "wg_chair")):
        through_council(api, iid)
        draft_id, data = order_data(api, iid, user)
        complete(api, user, draft_id, {k: data[k] for k in ("title", "order_type", "body", "basis")})
        claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
        task = api.open_task("director", iid, "Task_director_approval", scope="roles")
        assert api.post(f"/tasks/{task['id']}/claim", "director").status_code == 200
        ids.append(task["id"])
    director = actor_named(api.rt, "director")
    return run_together(
        [(lambda t=t: task_cases.complete(api.rt, director, t, {"decision": "approve"}).id) for t in ids]
    )


def _assert_one_published(api: Api, results: list[Any]) -> None:
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1 and sum(isinstance(r, int) for r in results) == 1, results
    assert _editions(api) == [(1, "historical"), (2, "in_force")]
    with api.rt.db.session() as session:
        numbers = session.execute(select(Order.number).where(Order.number.is_not(None))).scalars().all()
        assert len(numbers) == 1
        # One acknowledgement campaign, of the one published edition, asking all 30 staff.
        asked = session.execute(select(Campaign.subject_ref, Campaign.audience)).all()
        assert [tuple(a) for a in asked] == [("ai_regulation/2", 30)]


def test_two_directors_approving_at_once_publish_exactly_one_edition(api: Api) -> None:
    _assert_one_published(api, _race_two_director_approvals(api))


@pytest.mark.postgres
def test_two_approvals_at_once_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app: Flask = make_app(pg_url, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    api = Api(app, app.extensions["runtime"])
    try:
        _assert_one_published(api, _race_two_director_approvals(api))
    finally:
        app.extensions["runtime"].db.dispose()
