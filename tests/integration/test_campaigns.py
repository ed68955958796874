"""Campaigns: per-person tasks outside the engine state. A process waits on one step that the campaign
completes exactly once (everyone responded, the deadline passed, or a manager closed it); each response
is one row's conditional update, audited, and a second click is a 409. Concurrent responders on SQLite
and PostgreSQL (TEST_DATABASE_URL) are each counted once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from service import create_app
from service.features import FEATURES
from service.platform.campaigns import store
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.errors import Conflict, Forbidden, NotFound
from service.platform.inbox.cancel import cancel_instance
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import (
    AuditEvent,
    Campaign,
    CampaignTask,
    HumanTask,
    Notification,
    User,
)
from service.platform.processes import deploy
from service.platform.registry import CampaignEnd, CampaignKind, Feature
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import Api, actor_named, csrf_from, login
from tests.threads import run_together

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "campaign_wait.bpmn"
ENDED: list[dict[str, Any]] = []


def _on_end(end: CampaignEnd) -> None:
    ENDED.append(dict(end.summary))


TITLES = {"kk": "Танысу: {title}", "ru": "Ознакомление: {title}", "en": "Acknowledge: {title}"}
PROBE = Feature(
    name="probe",
    campaign_kinds={
        "probe": CampaignKind(
            titles=TITLES,
            act_at=lambda c: ("inbox.tasks", {}),
            may_manage=lambda session, actor, campaign: actor.has("wg_chair"),
        ),
        "probe_free": CampaignKind(titles=TITLES, act_at=lambda c: ("inbox.tasks", {}), on_end=_on_end),
        # A task tracked to done: its deadline is a due date, never the campaign's end.
        "probe_due": CampaignKind(
            titles=TITLES, act_at=lambda c: ("inbox.tasks", {}), on_end=_on_end, ends_at_deadline=False
        ),
    },
)


@pytest.fixture
def campaign_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    config = {
        "DATABASE_URL": db_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "STORAGE_DIR": str(tmp_path / "storage"),
    }
    app = create_app(config, features=(*FEATURES, PROBE))
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), FIXTURE.read_bytes(), FIXTURE.name)
    ENDED.clear()
    yield app
    rt.db.dispose()


def _rt(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["runtime"]
    return runtime


def _start(rt: Runtime) -> tuple[int, Campaign]:
    iid = start_process(rt, actor_named(rt, "wg_chair"), "test_campaign")
    with rt.db.read() as session:
        campaign = session.execute(select(Campaign).where(Campaign.instance_id == iid)).scalar_one()
    return iid, campaign


def _count(rt: Runtime, model: Any, *where: Any) -> int:
    with rt.db.read() as session:
        return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def _step(rt: Runtime, iid: int, bpmn_id: str) -> HumanTask:
    with rt.db.read() as session:
        return session.execute(
            select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id)
        ).scalar_one()


def _audience(rt: Runtime, campaign_id: int) -> list[str]:
    with rt.db.read() as session:
        return list(
            session.execute(
                select(User.username)
                .join(CampaignTask, CampaignTask.user_id == User.id)
                .where(CampaignTask.campaign_id == campaign_id)
                .order_by(User.username)
            ).scalars()
        )


def test_the_process_waits_on_one_step_the_campaign_completes_once(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    api = Api(campaign_app, rt)
    iid, campaign = _start(rt)
    people = _audience(rt, campaign.id)
    assert campaign.audience == len(people) > 20 and "staff1" in people
    assert campaign.doc_version == "v1" and campaign.deadline_at is not None

    # The waiting step is nobody's task: no inbox, no claim, no completion by hand.
    wait = _step(rt, iid, "Wait_ack")
    assert wait.status == "waiting" and wait.assignee_id is None
    everything = api.get("/tasks?scope=all&status=any", "admin").get_json()["tasks"]
    assert all(t["bpmn_id"] != "Wait_ack" for t in everything)
    for who in ("admin", "wg_chair"):
        assert api.post(f"/tasks/{wait.id}/complete", who, json={"data": {}}).status_code in (403, 404, 409)
        assert api.get(f"/tasks/{wait.id}", who).status_code == 404

    # Each person sees their own pending task, in their language, beside their inbox rows.
    listed = api.get("/tasks", "staff1").get_json()["campaign_tasks"]
    assert [(t["campaign_id"], t["name"]) for t in listed] == [(campaign.id, "Танысу: Probe")]
    mine = listed[0]["id"]
    assert api.post(f"/campaign-tasks/{mine}/respond", "staff2", json={}).status_code == 404

    first = api.post(f"/campaign-tasks/{mine}/respond", "staff1", json={})
    assert first.status_code == 200 and first.get_json()["ended"] is False
    again = api.post(f"/campaign-tasks/{mine}/respond", "staff1", json={})
    assert again.status_code == 409 and again.get_json()["error"] == "already_responded"
    assert api.get("/tasks", "staff1").get_json()["campaign_tasks"] == []

    # Managers: progress, reminders to the pending only, a later deadline; others get 403.
    assert api.get(f"/campaigns/{campaign.id}", "staff1").status_code == 403
    seen = api.get(f"/campaigns/{campaign.id}", "wg_chair").get_json()
    assert (
        seen["responded"] == 1 and "staff1" not in seen["pending"] and len(seen["pending"]) == len(people) - 1
    )
    assert api.post(f"/campaigns/{campaign.id}/remind", "wg_chair").status_code == 200
    with rt.db.read() as session:
        reminded = set(
            session.execute(
                select(User.username)
                .join(Notification, Notification.user_id == User.id)
                .where(Notification.kind == "reminder")
            ).scalars()
        )
    assert reminded == set(people) - {"staff1"}
    past = (utcnow() - timedelta(days=1)).isoformat()
    assert (
        api.post(f"/campaigns/{campaign.id}/extend", "wg_chair", json={"deadline_at": past}).status_code
        == 400
    )
    later = (utcnow() + timedelta(days=10)).isoformat()
    moved = api.post(f"/campaigns/{campaign.id}/extend", "wg_chair", json={"deadline_at": later})
    assert moved.status_code == 200 and moved.get_json()["deadline_at"].startswith(later[:16])

    # Everyone else responds; the last response ends the campaign and moves the process on once.
    results = [
        campaigns.respond(rt, actor_named(rt, name), campaign.id) for name in people if name != "staff1"
    ]
    assert [r.ended for r in results] == [False] * (len(results) - 1) + [True]
    wait = _step(rt, iid, "Wait_ack")
    assert wait.status == "completed"
    summary = json.loads(wait.data_json or "{}")["campaign"]
    assert summary["outcome"] == "all_responded"
    assert (summary["audience"], summary["responded"], summary["non_responders"]) == (
        len(people),
        len(people),
        [],
    )
    assert _step(rt, iid, "Task_after").status == "open"
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.respond") == len(people)
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.step_complete") == 1
    assert api.post(f"/campaigns/{campaign.id}/close", "wg_chair").status_code == 409


def test_the_deadline_ends_it_with_the_list_of_who_did_not_respond(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    iid, campaign = _start(rt)
    people = _audience(rt, campaign.id)
    for name in ("staff1", "staff2"):
        campaigns.respond(rt, actor_named(rt, name), campaign.id)
    assert timers.run_due_timers(rt) == 0  # not due yet
    assert campaign.deadline_at is not None
    assert timers.run_due_timers(rt, campaign.deadline_at + timedelta(minutes=1)) == 1
    summary = json.loads(_step(rt, iid, "Wait_ack").data_json or "{}")["campaign"]
    assert summary["outcome"] == "deadline" and summary["responded"] == 2
    assert sorted(summary["non_responders"]) == [p for p in people if p not in ("staff1", "staff2")]
    assert _count(rt, CampaignTask, CampaignTask.status == "missed") == len(people) - 2
    with pytest.raises(Conflict) as late:
        campaigns.respond(rt, actor_named(rt, "staff3"), campaign.id)
    assert late.value.code == "campaign_ended"
    assert timers.run_due_timers(rt, campaign.deadline_at + timedelta(minutes=2)) == 0  # once
    assert _step(rt, iid, "Task_after").status == "open"


def test_a_manager_closes_it_and_nobody_else_may(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    iid, campaign = _start(rt)
    with pytest.raises(Forbidden):
        campaigns.close(rt, actor_named(rt, "staff1"), campaign.id)
    with pytest.raises(Forbidden):
        campaigns.remind(rt, actor_named(rt, "staff1"), campaign.id)
    assert campaigns.close(rt, actor_named(rt, "wg_chair"), campaign.id)
    with pytest.raises(Conflict):
        campaigns.close(rt, actor_named(rt, "wg_chair"), campaign.id)
    summary = json.loads(_step(rt, iid, "Wait_ack").data_json or "{}")["campaign"]
    assert summary["outcome"] == "closed" and summary["ended_by"] == "wg_chair"
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.end") == 1


def test_cancelling_the_instance_ends_its_campaign(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    iid, campaign = _start(rt)
    cancel_instance(rt, actor_named(rt, "admin"), iid, "wrong order")
    assert _step(rt, iid, "Wait_ack").status == "cancelled"
    assert _count(rt, CampaignTask, CampaignTask.status == "pending") == 0
    with pytest.raises(Conflict):
        campaigns.respond(rt, actor_named(rt, "staff1"), campaign.id)


def test_a_campaign_without_a_process_tells_its_feature_once(campaign_app: Flask) -> None:
    """A survey has no instance: the feature opens the campaign in its own use case and hears the end."""
    rt = _rt(campaign_app)
    with rt.db.session() as session:
        ids = list(session.execute(select(User.id).where(User.username.in_(["staff1", "staff2"]))).scalars())
        opened = store.open_campaign(
            session, rt.features, kind="probe_free", audience=ids, title="Survey", opened_by="responsible"
        )
        campaign_id = opened.id
    with pytest.raises(NotFound):
        campaigns.respond_task(rt, actor_named(rt, "staff3"), 1)
    with pytest.raises(Forbidden):
        campaigns.respond(rt, actor_named(rt, "staff3"), campaign_id)
    assert not campaigns.respond(rt, actor_named(rt, "staff1"), campaign_id).ended
    assert campaigns.respond(rt, actor_named(rt, "staff2"), campaign_id).ended
    assert [(e["outcome"], e["responded"]) for e in ENDED] == [("all_responded", 2)]
    with pytest.raises(Forbidden):  # no manager rule: admin only
        campaigns.progress_of(rt, actor_named(rt, "staff1"), campaign_id)


def test_a_kind_whose_deadline_is_a_due_date_stays_open_past_it(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    due = utcnow() + timedelta(days=1)
    with rt.db.session() as session:
        ids = list(session.execute(select(User.id).where(User.username == "staff1")).scalars())
        kept = store.open_campaign(session, rt.features, kind="probe_due", audience=ids, deadline_at=due).id
        ended = store.open_campaign(session, rt.features, kind="probe_free", audience=ids, deadline_at=due).id
    assert timers.run_due_timers(rt, due + timedelta(days=30)) == 1  # only the ordinary one ended
    with rt.db.read() as session:
        assert session.get(Campaign, kept).status == "open" and session.get(Campaign, ended).status == "done"
        late = [t for t in store.pending_for(session, ids[0]) if t.campaign_id == kept]
    assert len(late) == 1 and late[0].due_at == due  # still in the inbox, with its (passed) due date
    assert campaigns.respond(rt, actor_named(rt, "staff1"), kept).ended
    assert [(e["outcome"], e["responded"]) for e in ENDED] == [("deadline", 0), ("all_responded", 1)]


def test_the_inbox_page_lists_the_campaign_task(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    _start(rt)
    client = campaign_app.test_client()
    login(client, "staff1")
    page = client.get("/inbox").get_data(as_text=True)
    assert 'data-testid="campaign-tasks"' in page and "Танысу: Probe" in page
    assert csrf_from(page)
    # A reminder's link goes to where the person acts while the task is pending, else 404.
    with rt.db.read() as session:
        mine = session.execute(
            select(CampaignTask.id)
            .join(User, User.id == CampaignTask.user_id)
            .where(User.username == "staff1")
        ).scalar_one()
    assert client.get(f"/campaign-tasks/{mine}").headers["Location"].endswith("/inbox")
    other = campaign_app.test_client()
    login(other, "staff2")
    assert other.get(f"/campaign-tasks/{mine}").status_code == 404


@pytest.mark.timeout(300)
def test_simultaneous_responses_count_once_and_the_step_completes_once(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    iid, campaign = _start(rt)
    people = _audience(rt, campaign.id)
    actors = [actor_named(rt, name) for name in people]
    # Every person clicks twice at the same moment as everybody else.
    jobs: list[Callable[[], Any]] = [
        (lambda a=a: campaigns.respond(rt, a, campaign.id)) for a in actors for _ in range(2)
    ]
    results = run_together(jobs)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, campaigns.AlreadyResponded)
    ]
    assert unexpected == []
    done = [r for r in results if isinstance(r, campaigns.Response)]
    assert len(done) == len(people)
    assert sum(1 for r in done if r.ended) == 1
    assert _count(rt, CampaignTask, CampaignTask.status == "done") == len(people)
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.respond") == len(people)
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.end") == 1
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.step_complete") == 1
    summary = json.loads(_step(rt, iid, "Wait_ack").data_json or "{}")["campaign"]
    assert summary["responded"] == len(people) and summary["non_responders"] == []
    assert _step(rt, iid, "Task_after").status == "open"


def test_everyone_at_once_through_their_task_ids_on_three_campaigns_counts_once_and_ends_each_once(
    campaign_app: Flask,
) -> None:
    """The API's path (a task id, checked to be the caller's): every person of three campaigns clicks
    twice at the same moment. A response asks whether anyone else is still to come inside its own
    transaction; whoever asks last must still end the campaign, once, with every response counted."""
    rt = _rt(campaign_app)
    started = [_start(rt) for _ in range(3)]
    jobs: list[Callable[[], Any]] = []
    for _iid, campaign in started:
        with rt.db.read() as session:
            tasks = session.execute(
                select(CampaignTask.id, User.username)
                .join(User, User.id == CampaignTask.user_id)
                .where(CampaignTask.campaign_id == campaign.id)
            ).all()
        for task_id, name in tasks:
            who = actor_named(rt, name)
            jobs += [(lambda t=task_id, a=who: campaigns.respond_task(rt, a, t)) for _ in range(2)]
    results = run_together(jobs)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, campaigns.AlreadyResponded)
    ]
    assert unexpected == []
    done = [r for r in results if isinstance(r, campaigns.Response)]
    for iid, campaign in started:
        people = _audience(rt, campaign.id)
        mine = [r for r in done if r.campaign_id == campaign.id]
        assert len(mine) == len(people) and sum(1 for r in mine if r.ended) == 1
        summary = json.loads(_step(rt, iid, "Wait_ack").data_json or "{}")["campaign"]
        assert summary["responded"] == len(people) and summary["non_responders"] == []
        assert _step(rt, iid, "Task_after").status == "open"
    assert _count(rt, AuditEvent, AuditEvent.action == "campaign.step_complete") == 3
    assert _count(rt, CampaignTask, CampaignTask.status == "done") == len(done)


def test_someone_elses_task_id_is_not_found(campaign_app: Flask) -> None:
    rt = _rt(campaign_app)
    _iid, campaign = _start(rt)
    with rt.db.read() as session:
        task_id = session.execute(
            select(CampaignTask.id)
            .join(User, User.id == CampaignTask.user_id)
            .where(CampaignTask.campaign_id == campaign.id, User.username == "staff1")
        ).scalar_one()
    with pytest.raises(NotFound):
        campaigns.respond_task(rt, actor_named(rt, "staff2"), task_id)
    with pytest.raises(NotFound):
        campaigns.respond_task(rt, actor_named(rt, "staff1"), task_id + 10_000)
    assert campaigns.respond_task(rt, actor_named(rt, "staff1"), task_id).campaign_id == campaign.id


def _responses(rt: Runtime) -> list[AuditEvent]:
    with rt.db.read() as session:
        return list(
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "campaign.respond").order_by(AuditEvent.id)
            ).scalars()
        )


@pytest.mark.parametrize("tamper", ["edited", "newest_deleted", "reordered", "moved_to_the_instance"])
def test_responses_go_to_each_persons_stream_and_tampering_with_them_is_reported(
    campaign_app: Flask, tamper: str
) -> None:
    """A response is audited on its person's own stream (so responders never queue on the instance's
    stream head); `flask audit verify` checks those streams like any other: an edited response, the
    newest one of a person cut off, two of a person's responses swapped, or one moved onto the
    instance's stream are each reported."""
    rt = _rt(campaign_app)
    runner = campaign_app.test_cli_runner()
    (iid, first), (_, second) = _start(rt), _start(rt)
    for campaign in (first, second):
        campaigns.respond(rt, actor_named(rt, "staff1"), campaign.id)
    campaigns.respond(rt, actor_named(rt, "staff2"), first.id)  # the log's newest is not staff1's
    events = _responses(rt)
    assert [(e.actor, e.stream) for e in events] == [
        ("staff1", "actor:staff1"),
        ("staff1", "actor:staff1"),
        ("staff2", "actor:staff2"),
    ]
    assert events[0].instance_id == iid  # still on the instance's timeline
    with rt.db.read() as session:
        opened = session.execute(select(AuditEvent).where(AuditEvent.action == "campaign.open")).scalars()
        assert {e.stream for e in opened} == {f"instance:{iid}", f"instance:{iid + 1}"}
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "intact" in intact.output, intact.output

    one, two = events[0], events[1]
    with rt.db.session() as session:
        if tamper == "edited":
            session.execute(
                update(AuditEvent).where(AuditEvent.id == one.id).values(detail_json='{"campaign":999}')
            )
        elif tamper == "newest_deleted":
            session.execute(delete(AuditEvent).where(AuditEvent.id == two.id))
        elif tamper == "reordered":
            swapped = ("at", "detail_json", "instance_id", "prev_hash", "hash")
            for row, other in ((one, two), (two, one)):
                session.execute(
                    update(AuditEvent)
                    .where(AuditEvent.id == row.id)
                    .values(**{name: getattr(other, name) for name in swapped})
                )
        else:
            moved = update(AuditEvent).where(AuditEvent.id == one.id).values(stream=f"instance:{iid}")
            session.execute(moved)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1, broken.output
