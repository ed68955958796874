"""Orders and amendments started before acknowledgements moved to campaigns finish on their diagram.

Deployed versions never change and an instance keeps its definition, so an order whose process was
started on the multi-instance diagram (`tests/fixtures/order_drafting_multi_instance.bpmn`, the shipped
diagram before campaigns) still acknowledges through its per-person engine tasks; the order page, the
chair's reminders and the acknowledgement form read those tasks; an order started after the new
version was deployed uses a campaign. Nothing is migrated.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from service.features.orders import exports
from service.features.orders import usecases as order_cases
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import Campaign, HumanTask, ProcessInstance
from service.platform.processes import deploy
from tests.conftest import Api, actor_named
from tests.integration import amendment_steps as amend

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests" / "fixtures" / "order_drafting_multi_instance.bpmn"
NEW = ROOT / "bpmn" / "order_drafting.bpmn"
DRAFT = {"title": "Ескі бұйрық", "order_type": "other", "body": "Мәтін"}


def _open(api: Api, iid: int, bpmn_id: str) -> list[HumanTask]:
    with api.rt.db.read() as session:
        return list(
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
                )
            ).scalars()
        )


def _to_registration(api: Api, iid: int) -> None:
    rt = api.rt
    task_cases.complete(rt, actor_named(rt, "wg_deputy"), _open(api, iid, "Task_draft")[0].id, DRAFT)
    for who, step in (("lawyer", "Task_legal_review"), ("director", "Task_director_approval")):
        task = _open(api, iid, step)[0]
        task_cases.claim(rt, actor_named(rt, who), task.id)
        task_cases.complete(rt, actor_named(rt, who), task.id, {"decision": "approve"})


def test_an_instance_of_the_old_diagram_finishes_on_its_multi_instance_tasks(api: Api) -> None:
    rt = api.rt
    admin = actor_named(rt, "admin")
    deploy.deploy_bpmn(rt, admin, OLD.read_bytes(), "order_drafting.bpmn")
    old = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    deploy.deploy_bpmn(rt, admin, NEW.read_bytes(), "order_drafting.bpmn")
    new = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    with rt.db.read() as session:
        definitions = dict(
            session.execute(
                select(ProcessInstance.id, ProcessInstance.definition_id).where(
                    ProcessInstance.id.in_([old, new])
                )
            ).all()
        )
    assert definitions[old] != definitions[new]

    _to_registration(api, old)
    acks = _open(api, old, "Task_acknowledge")
    assert len(acks) == 30
    with rt.db.read() as session:
        assert session.execute(select(func.count()).select_from(Campaign)).scalar_one() == 0
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    view = order_cases.get_order(rt, actor_named(rt, "wg_chair"), order_id)
    assert view.acknowledgements is not None and view.acknowledgements.campaign_id is None
    assert view.acknowledgements.total == 30 and view.acknowledgements.done == 0
    assert order_cases.remind_pending(rt, actor_named(rt, "wg_chair"), order_id) == 30

    # A teacher's old acknowledgement task shows its own form, not the drafts and reviews before it
    # (issue 15 item 5); answering it does not open the drafting history to them.
    teacher = next(t for t in acks if t.assignee is not None and t.assignee.username == "staff1")
    assert task_cases.get_task(rt, actor_named(rt, "staff1"), teacher.id).earlier == []
    assert task_cases.get_task(rt, actor_named(rt, "director"), teacher.id).earlier != []
    for task in acks:
        assert task.assignee is not None
        task_cases.complete(rt, actor_named(rt, task.assignee.username), task.id, {"acknowledged": True})
    assert api.get(f"/instances/{old}", "staff1").status_code == 404
    assert api.get(f"/tasks/{teacher.id}", "staff1").status_code == 404
    assert api.get(f"/instances/{old}", "lawyer").status_code == 200
    with rt.db.read() as session:
        instance = session.get(ProcessInstance, old)
        assert instance is not None and instance.status == "completed"
    form = exports.acknowledgement_list(rt, actor_named(rt, "wg_chair"), order_id)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(form.content)).pages)
    assert "—" not in text.split("Ескі бұйрық", 1)[1]  # everyone has a time of acknowledgement

    # The order started after the new version acknowledges in a campaign.
    _to_registration(api, new)
    assert _open(api, new, "Task_acknowledge") == []
    with rt.db.read() as session:
        campaign = session.execute(select(Campaign).where(Campaign.instance_id == new)).scalar_one()
    assert campaign.audience == 30 and campaign.status == "open"


OLD_AMENDMENT = ROOT / "tests" / "fixtures" / "regulation_amendment_multi_instance.bpmn"
NEW_AMENDMENT = ROOT / "bpmn" / "regulation_amendment.bpmn"


def test_an_amendment_of_the_old_diagram_finishes_on_its_multi_instance_tasks(api: Api) -> None:
    rt = api.rt
    admin = actor_named(rt, "admin")
    deploy.deploy_bpmn(rt, admin, OLD_AMENDMENT.read_bytes(), "regulation_amendment.bpmn")
    iid = amend.start(api, amend.proposal())
    deploy.deploy_bpmn(rt, admin, NEW_AMENDMENT.read_bytes(), "regulation_amendment.bpmn")
    amend.through_council(api, iid)
    amend.through_order(api, iid)
    acks = _open(api, iid, "Task_acknowledge_edition")
    assert len(acks) == 30
    with rt.db.read() as session:
        assert session.execute(select(func.count()).select_from(Campaign)).scalar_one() == 0
    for task in acks:
        assert task.assignee is not None
        task_cases.complete(rt, actor_named(rt, task.assignee.username), task.id, {"acknowledged": True})
    with rt.db.read() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.status == "completed"
