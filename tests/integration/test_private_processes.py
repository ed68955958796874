"""The shared use cases consult the registry's private views, not a process they know by name.

A process registered there by a test (order drafting, normally public) disappears from others' task and
instance lists, its instance page answers 404 to whoever the hook refuses, and its task pages show only
what the hook lets through.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from service.platform.inbox import instances as instance_cases
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.private_view import PrivateView, TaskRedaction
from service.platform.persistence.models import ProcessInstance
from service.platform.runtime import Actor
from tests.conftest import Api, actor_named
from tests.integration.test_order_drafting_api import DRAFT, _complete, _start

PROCESS = "order_drafting"


def _drafter_only(session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    return actor.username == "wg_deputy"


def _nobody_lists_all(actor: Actor) -> bool:
    return False


def _without_body(
    session: Session, actor: Actor, instance: ProcessInstance, data: dict[str, Any]
) -> TaskRedaction:
    return TaskRedaction({k: v for k, v in data.items() if k != "body"}, hides_author=lambda schema: True)


PRIVATE = PrivateView(instance_visible=_drafter_only, lists_all=_nobody_lists_all, redact_task=_without_body)


def _listed_task_ids(api: Api, user: str, iid: int) -> set[int]:
    rows = api.get(f"/tasks?scope=all&status=any&instance_id={iid}", user).get_json()["tasks"]
    return {r["id"] for r in rows}


def _listed_instance_ids(api: Api, user: str) -> set[int]:
    rows = instance_cases.list_instances(api.rt, actor_named(api.rt, user), limit=200).rows
    return {i.id for i in rows}


def test_a_registered_private_process_is_hidden_by_the_shared_code(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    iid = int(_start(api)["id"])
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    assert _complete(api, "wg_deputy", draft["id"], DRAFT).status_code == 200
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    lawyer = actor_named(api.rt, "lawyer")

    # Public as shipped: the director oversees it, the lawyer's page shows the draft and its author.
    assert _listed_task_ids(api, "director", iid) == {draft["id"], review["id"]}
    assert iid in _listed_instance_ids(api, "director")
    assert api.get(f"/instances/{iid}", "director").status_code == 200
    detail = task_cases.get_task(api.rt, lawyer, review["id"])
    assert detail.data["body"] == DRAFT["body"]
    assert detail.earlier and all(step.completed_by for step in detail.earlier)

    monkeypatch.setitem(api.rt.features.private_views, PROCESS, PRIVATE)

    # Others' rows leave the lists; one's own stay.
    assert _listed_task_ids(api, "director", iid) == set()
    assert _listed_task_ids(api, "wg_deputy", iid) == {draft["id"]}
    assert iid not in _listed_instance_ids(api, "director")
    # The instance page follows the hook: the director is refused, the drafter is not.
    assert api.get(f"/instances/{iid}", "director").status_code == 404
    assert api.get(f"/instances/{iid}", "wg_deputy").status_code == 200
    # The task page shows what the hook lets through, to the API and to the page alike.
    detail = task_cases.get_task(api.rt, lawyer, review["id"])
    assert "body" not in detail.data and detail.data["title"] == DRAFT["title"]
    assert detail.earlier and not any(step.completed_by for step in detail.earlier)
    assert "body" not in api.get(f"/tasks/{review['id']}", "lawyer").get_json()["data"]
