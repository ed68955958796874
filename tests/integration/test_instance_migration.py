"""Moving running order-drafting instances to a new version (issue 14, item 2), on SQLite and PostgreSQL.

Ten instances wait at different steps (drafting, legal review in two rounds, rework, the director's
approval, claimed or not, the acknowledgement campaign); version 2 renames the director's step and adds
a reminder timer to it. The dry run says all can move and what changes; the move keeps every completed
step, comment and inbox row (with the new label); the reminder then fires on the moved instances, and
each runs to its end on version 2. An instance waiting on a step that version 3 removes cannot move and
says why, until the admin maps the step.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.platform.campaigns import usecases as campaign_cases
from service.platform.clock import utcnow
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import (
    AuditEvent,
    Campaign,
    HumanTask,
    Notification,
    ProcessDefinition,
    ProcessInstance,
    User,
)
from service.platform.processes import deploy
from service.platform.processes import migrations as moves
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from service.platform.web.migrations import reason_text
from tests.conftest import Api, actor_named, csrf_from, login, make_app
from tests.integration.migration_steps import (
    NEW_LABEL,
    OLD_LABEL,
    order_renaming,
    order_v2,
    order_without_review_reminder,
    order_without_rework,
)
from tests.integration.test_incident_api import escalate, vote
from tests.threads import run_together

ROOT = Path(__file__).resolve().parents[2]
ORDER_FILE = ROOT / "bpmn" / "order_drafting.bpmn"
DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін", "basis": "Жоспар"}


def _open(api: Api, iid: int, bpmn_id: str | None = None) -> list[HumanTask]:
    with api.rt.db.read() as session:
        query = select(HumanTask).where(
            HumanTask.instance_id == iid, HumanTask.status.in_(("open", "waiting"))
        )
        if bpmn_id is not None:
            query = query.where(HumanTask.bpmn_id == bpmn_id)
        return list(session.execute(query.order_by(HumanTask.id)).scalars())


def _do(api: Api, iid: int, bpmn_id: str, who: str, data: dict[str, Any], claim: bool = True) -> None:
    rt = api.rt
    task = _open(api, iid, bpmn_id)[0]
    if claim and task.assignee is None:
        task_cases.claim(rt, actor_named(rt, who), task.id)
    task_cases.complete(rt, actor_named(rt, who), task.id, data)


def _start(api: Api) -> int:
    return start_process(api.rt, actor_named(api.rt, "wg_deputy"), "order_drafting")


def _at(api: Api, where: str) -> int:
    """A new instance moved forward to `where`."""
    iid = _start(api)
    if where == "draft":
        return iid
    _do(api, iid, "Task_draft", "wg_deputy", DRAFT)
    if where == "review":
        return iid
    if where == "review_claimed":
        task_cases.claim(api.rt, actor_named(api.rt, "lawyer"), _open(api, iid, "Task_legal_review")[0].id)
        return iid
    _do(api, iid, "Task_legal_review", "lawyer", {"decision": "return", "comment": "Негізін нақтылаңыз"})
    if where == "rework":
        return iid
    _do(api, iid, "Task_rework", "wg_deputy", {**DRAFT, "basis": "Жоспардың 3-тармағы"})
    if where == "review2":
        return iid
    _do(api, iid, "Task_legal_review", "lawyer", {"decision": "approve"})
    if where == "director":
        return iid
    if where == "director_claimed":
        task_cases.claim(
            api.rt, actor_named(api.rt, "director"), _open(api, iid, "Task_director_approval")[0].id
        )
        return iid
    if where == "director_returned":
        _do(
            api, iid, "Task_director_approval", "director", {"decision": "return", "comment": "Қайта қараңыз"}
        )
        return iid
    _do(api, iid, "Task_director_approval", "director", {"decision": "approve"})
    assert where == "acknowledgement"
    return iid


STEPS = (
    "draft",
    "review",
    "review_claimed",
    "rework",
    "review2",
    "director",
    "director_claimed",
    "director_returned",
    "acknowledgement",
    "acknowledgement",
)


def _finish(api: Api, iid: int) -> None:
    """Run the instance to its end on whatever version it is on, approving every step."""
    rt = api.rt
    for _ in range(12):
        rows = _open(api, iid)
        if not rows:
            break
        row = rows[0]
        if row.status == "waiting":
            with rt.db.read() as session:
                campaign_id = session.execute(
                    select(Campaign.id).where(Campaign.instance_id == iid, Campaign.status == "open")
                ).scalar_one()
            campaign_cases.close(rt, actor_named(rt, "admin"), campaign_id)
        elif row.bpmn_id in ("Task_draft", "Task_rework"):
            _do(api, iid, row.bpmn_id, "wg_deputy", DRAFT, claim=False)
        elif row.bpmn_id == "Task_legal_review":
            _do(api, iid, row.bpmn_id, "lawyer", {"decision": "approve"})
        else:
            assert row.bpmn_id == "Task_director_approval", row.bpmn_id
            _do(api, iid, row.bpmn_id, "director", {"decision": "approve"})
    with rt.db.read() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.status == "completed", (iid, instance and instance.error)


def _history(api: Api, iid: int) -> list[tuple[str, str, str]]:
    with api.rt.db.read() as session:
        return [
            (t.bpmn_id, t.status, t.engine_task_id)
            for t in session.execute(
                select(HumanTask).where(HumanTask.instance_id == iid).order_by(HumanTask.id)
            ).scalars()
        ]


def _version_of(api: Api, iid: int) -> int:
    with api.rt.db.read() as session:
        return int(
            session.execute(
                select(ProcessDefinition.version)
                .join(ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id)
                .where(ProcessInstance.id == iid)
            ).scalar_one()
        )


def test_ten_running_orders_move_to_a_version_with_a_new_label_and_reminder(api: Api) -> None:
    rt = api.rt
    admin = actor_named(rt, "admin")
    ids = [_at(api, where) for where in STEPS]
    before = {iid: _history(api, iid) for iid in ids}
    claimed = {iid: [(t.bpmn_id, t.assignee_id) for t in _open(api, iid)] for iid in ids}
    assert deploy.deploy_bpmn(rt, admin, order_v2(), "order_drafting.bpmn").version == 2
    later = _start(api)  # started on version 2: not a candidate

    dry = moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2, dry_run=True))
    assert [r.instance_id for r in dry] == ids
    assert all(r.can_move and not r.moved for r in dry), [(r.instance_id, r.reason) for r in dry]
    by_id = {r.instance_id: r for r in dry}
    waiting_director = by_id[ids[STEPS.index("director")]]
    assert ("renamed", OLD_LABEL, NEW_LABEL) in [
        (c.kind, c.name, c.new_name) for c in waiting_director.changes
    ]
    added = [c.name for c in waiting_director.changes if c.kind == "added"]
    assert "Директорға еске салу" in added and "End_director_reminder" not in added  # labels, no ids
    assert all(_version_of(api, iid) == 1 for iid in ids)  # a dry run changes nothing

    moved = moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2, dry_run=False))
    assert [(r.instance_id, r.moved) for r in moved] == [(iid, True) for iid in ids]
    assert all(_version_of(api, iid) == 2 for iid in ids) and _version_of(api, later) == 2
    for iid in ids:
        # Every inbox row stays (the same engine tasks, nothing cancelled), and so does who holds it.
        assert _history(api, iid) == before[iid]
        assert [(t.bpmn_id, t.assignee_id) for t in _open(api, iid)] == claimed[iid]
    director_rows = _open(api, ids[STEPS.index("director_claimed")], "Task_director_approval")
    assert director_rows[0].name == NEW_LABEL and director_rows[0].assignee_id is not None
    with rt.db.read() as session:
        audits = session.execute(
            select(AuditEvent.instance_id, AuditEvent.detail_json).where(
                AuditEvent.action == "instance.migrate"
            )
        ).all()
        assert sorted(i for i, _ in audits) == sorted(ids)
        details = [json.loads(d) for _, d in audits]
        assert all(d["from_version"] == 1 and d["to_version"] == 2 for d in details), details
        # The reminder the new version added counts from the move on the instances waiting for the
        # director (legal_review_reminder: two days).
        for step in ("director", "director_claimed"):
            instance = session.get(ProcessInstance, ids[STEPS.index(step)])
            assert instance is not None and instance.next_timer_at is not None
            assert timedelta(days=1) < instance.next_timer_at - utcnow() < timedelta(days=3)

    # Moving again finds nothing left on version 1.
    assert moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2, dry_run=False)) == []

    for iid in ids:
        _finish(api, iid)
    with rt.db.read() as session:
        comments = session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.instance_id == ids[STEPS.index("rework")], AuditEvent.action == "task.complete")
        ).scalar_one()
    assert comments >= 4  # draft, the lawyer's return with its comment, rework, and the steps after the move


def test_an_instance_waiting_on_a_removed_step_cannot_move_until_mapped(api: Api) -> None:
    rt = api.rt
    admin = actor_named(rt, "admin")
    drafting = _at(api, "draft")
    director = _at(api, "director")
    passed = _at(api, "acknowledgement")
    deploy.deploy_bpmn(
        rt, admin, order_renaming("Task_director_approval", "Task_director_sign"), "order_drafting.bpmn"
    )

    rows = {
        r.instance_id: r for r in moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2))
    }
    assert rows[drafting].can_move
    assert not rows[director].can_move and rows[director].reason == "waiting_step_removed"
    assert rows[director].reason_step == OLD_LABEL
    # The library lines the passed step up with its replacement by its place in the flow: history kept.
    assert rows[passed].can_move

    done = moves.migrate(
        rt, admin, moves.MigrationRequest("order_drafting", 1, 2, instance_ids=[director], dry_run=False)
    )
    assert [(r.instance_id, r.moved, r.reason) for r in done] == [(director, False, "waiting_step_removed")]
    assert _version_of(api, director) == 1  # it stays as it was

    mapped = moves.migrate(
        rt,
        admin,
        moves.MigrationRequest(
            "order_drafting",
            1,
            2,
            instance_ids=[director, passed],
            mapping={"Task_director_approval": "Task_director_sign"},
            dry_run=False,
        ),
    )
    assert [(r.instance_id, r.moved) for r in mapped] == [(director, True), (passed, True)]
    assert [t.bpmn_id for t in _open(api, director)] == ["Task_director_sign"]
    _do(api, director, "Task_director_sign", "director", {"decision": "approve"})
    rows_after = _open(api, director)
    assert [t.status for t in rows_after] == ["waiting"]  # on to the acknowledgement campaign


def test_the_added_reminder_fires_on_a_moved_instance(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, DEADLINES={"legal_review_reminder": "PT1S"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    api = Api(app, rt)
    iid = _at(api, "director")
    time.sleep(1.2)
    timers.run_due_timers(rt)  # version 1's lawyer reminder, long cancelled, wakes nothing
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), order_v2(), "order_drafting.bpmn")
    moved = moves.migrate(
        rt, actor_named(rt, "admin"), moves.MigrationRequest("order_drafting", 1, 2, dry_run=False)
    )
    assert [(r.instance_id, r.moved) for r in moved] == [(iid, True)]
    time.sleep(1.2)
    assert timers.run_due_timers(rt) == 1
    with rt.db.read() as session:
        reminded = session.execute(
            select(Notification.user_id).where(
                Notification.kind == "reminder", Notification.instance_id == iid
            )
        ).all()
        director = session.execute(select(User.id).where(User.username == "director")).scalar_one()
    assert [r.user_id for r in reminded] == [director]  # version 2's new timer told the director
    assert [t.status for t in _open(api, iid)] == ["open"]  # a reminder keeps the step open
    _finish(api, iid)
    rt.db.dispose()


def test_the_api_moves_for_admin_only_and_says_why_in_the_callers_language(api: Api) -> None:
    rt = api.rt
    drafting = _at(api, "draft")
    director = _at(api, "director")
    deploy.deploy_bpmn(
        rt,
        actor_named(rt, "admin"),
        order_renaming("Task_director_approval", "Task_director_sign"),
        "order_drafting.bpmn",
    )
    url = "/processes/order_drafting/migrations"
    body = {"from_version": 1, "to_version": 2}
    assert api.post(url, "director", json=body).status_code == 403
    refused = api.post(url, "admin", json={"from_version": 1, "to_version": 1, "dry_run": "no"})
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"to_version", "dry_run"}
    assert api.post(url, "admin", json={**body, "instance_ids": ["x"]}).status_code == 422
    assert api.post(url, "admin", json={**body, "mapping": {"Task_nope": "Task_x"}}).status_code == 422
    assert api.post(url, "admin", json={"from_version": 1, "to_version": 9}).status_code == 404

    dry = api.post(url, "admin", json=body)
    assert dry.status_code == 200
    rows = {r["id"]: r for r in dry.get_json()["instances"]}
    assert rows[drafting]["can_move"] and rows[drafting]["reason"] is None and not rows[drafting]["moved"]
    assert not rows[director]["can_move"] and rows[director]["reason_code"] == "waiting_step_removed"
    assert OLD_LABEL in rows[director]["reason"] and "нұсқада жоқ" in rows[director]["reason"]  # kk default

    with rt.db.session() as session:
        user = session.execute(select(User).where(User.username == "admin")).scalar_one()
        user.language = "ru"
    in_russian = api.post(url, "admin", json={**body, "instance_ids": [director]}).get_json()
    assert "нет в версии 2" in in_russian["instances"][0]["reason"]

    moved = api.post(url, "admin", json={**body, "dry_run": False}).get_json()["instances"]
    assert [(r["id"], r["moved"]) for r in moved] == [(drafting, True), (director, False)]
    assert _version_of(api, drafting) == 2 and _version_of(api, director) == 1
    mapped = api.post(
        url,
        "admin",
        json={**body, "dry_run": False, "mapping": {"Task_director_approval": "Task_director_sign"}},
    ).get_json()["instances"]
    assert [(r["id"], r["moved"]) for r in mapped] == [(director, True)]


def test_the_versions_page_moves_the_ticked_instances(app: Flask, api: Api) -> None:
    rt = api.rt
    first = _at(api, "review")
    second = _at(api, "director")
    director = _at(api, "director")
    deploy.deploy_bpmn(
        rt,
        actor_named(rt, "admin"),
        order_renaming("Task_director_approval", "Task_director_sign"),
        "order_drafting.bpmn",
    )
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    versions = client.get("/admin/editor/order_drafting/versions").get_data(as_text=True)
    assert "/admin/editor/order_drafting/migrate" in versions
    page = client.get("/admin/editor/order_drafting/migrate")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-instance="{first}" data-can-move="1"' in html
    assert f'data-instance="{director}" data-can-move="0"' in html
    assert "жаңа нұсқаның бір қадамымен сәйкестендіріңіз" in html  # why, in Kazakh
    assert "Task_director" not in html.split('data-testid="migration-rows"')[1]  # no codes in the table
    assert client.get("/admin/editor/order_drafting/migrate", headers={}).status_code == 200

    other = app.test_client()
    assert login(other, "director").status_code == 302
    assert other.get("/admin/editor/order_drafting/migrate").status_code == 403

    token = csrf_from(html)
    url = "/admin/editor/order_drafting/migrate?from=1&to=2"
    nothing = client.post(url, data={"csrf_token": token})
    assert nothing.status_code == 422
    sent = client.post(
        url,
        data={
            "csrf_token": token,
            "instance": [str(first), str(second)],
            "map-Task_director_approval": "Task_director_sign",
        },
    )
    assert sent.status_code == 200
    done = sent.get_data(as_text=True)
    assert (
        f'data-instance="{first}" data-moved="1"' in done
        and f'data-instance="{second}" data-moved="1"' in done
    )
    assert _version_of(api, first) == 2 and _version_of(api, second) == 2 and _version_of(api, director) == 1




@pytest.mark.timeout(300)
def test_moves_and_completions_at_the_same_moment_each_happen_once(api: Api) -> None:
    """Two admins move the same instances while the lawyer and the director complete their steps:
    every instance moves once, every completion counts, nothing fails (run with TEST_DATABASE_URL)."""
    rt = api.rt
    admin = actor_named(rt, "admin")
    review, director = _at(api, "review_claimed"), _at(api, "director_claimed")
    deploy.deploy_bpmn(rt, admin, order_v2(), "order_drafting.bpmn")
    review_task = _open(api, review, "Task_legal_review")[0].id
    director_task = _open(api, director, "Task_director_approval")[0].id
    request = moves.MigrationRequest("order_drafting", 1, 2, dry_run=False)
    results = run_together(
        [
            lambda: moves.migrate(rt, admin, request),
            lambda: moves.migrate(rt, admin, request),
            lambda: task_cases.complete(rt, actor_named(rt, "lawyer"), review_task, {"decision": "approve"}),
            lambda: task_cases.complete(
                rt, actor_named(rt, "director"), director_task, {"decision": "approve"}
            ),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    moved = [(r.instance_id, r.moved) for batch in results[:2] for r in batch if r.moved]
    assert sorted(moved) == [(review, True), (director, True)]  # each instance moved by one admin only
    with rt.db.read() as session:
        audits = session.execute(
            select(AuditEvent.instance_id).where(AuditEvent.action == "instance.migrate")
        ).scalars()
        assert sorted(audits) == [review, director]
        statuses = dict(
            session.execute(
                select(HumanTask.id, HumanTask.status).where(HumanTask.id.in_([review_task, director_task]))
            ).all()
        )
    assert statuses == {review_task: "completed", director_task: "completed"}
    assert _version_of(api, review) == 2 and _version_of(api, director) == 2
    assert [t.bpmn_id for t in _open(api, review)] == ["Task_director_approval"]
    assert [t.status for t in _open(api, director)] == ["waiting"]  # the acknowledgement campaign
    _finish(api, review)
    _finish(api, director)


def test_a_removed_step_stops_the_instances_waiting_on_it_or_past_it(api: Api) -> None:
    """Version 2 drops the rework step: an instance waiting on it, or one that went through it (its
    history would have no step to stand on), cannot move and says which step; the others move."""
    rt = api.rt
    admin = actor_named(rt, "admin")
    drafting, rework, reworked = _at(api, "draft"), _at(api, "rework"), _at(api, "review2")
    deploy.deploy_bpmn(rt, admin, order_without_rework(), "order_drafting.bpmn")
    rows = {
        r.instance_id: r for r in moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2))
    }
    assert rows[drafting].can_move
    assert ("removed", "Бұйрық жобасын пысықтау") in [(c.kind, c.name) for c in rows[drafting].changes]
    assert (rows[rework].reason, rows[rework].reason_step) == (
        "waiting_step_removed",
        "Бұйрық жобасын пысықтау",
    )
    assert (rows[reworked].reason, rows[reworked].reason_step) == (
        "passed_step_removed",
        "Бұйрық жобасын пысықтау",
    )
    moved = moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 1, 2, dry_run=False))
    assert {r.instance_id: r.moved for r in moved} == {drafting: True, rework: False, reworked: False}
    assert _version_of(api, rework) == 1 and _version_of(api, reworked) == 1
    _finish(api, drafting)  # on version 2
    _finish(api, rework)  # on version 1, as if nothing happened
    _finish(api, reworked)


def test_a_council_vote_in_progress_moves_and_every_vote_still_counts(api: Api) -> None:
    """A multi-instance step (each council member's vote): the library's own reset would give every
    member's vote task the parent's data and forget whose it is; the move keeps them as they were."""
    rt = api.rt
    iid = escalate(api)
    assert vote(api, iid, "council1", "warning").status_code == 200  # one vote before the move
    xml = (ROOT / "bpmn" / "incident_escalation.bpmn").read_text(encoding="utf-8")
    renamed = xml.replace('name="Кеңес мүшесінің дауысы"', 'name="Кеңес мүшесінің дауысы (жаңа)"')
    deploy.deploy_bpmn(rt, actor_named(rt, "admin"), renamed.encode("utf-8"), "incident_escalation.bpmn")
    dry = moves.migrate(rt, actor_named(rt, "admin"), moves.MigrationRequest("incident_escalation", 1, 2))
    assert [(r.can_move, r.waiting) for r in dry] == [(True, ("Кеңес мүшесінің дауысы",))]
    assert len(dry[0].changes) == 1  # one rename, however many members wait on it
    moves.migrate(
        rt, actor_named(rt, "admin"), moves.MigrationRequest("incident_escalation", 1, 2, dry_run=False)
    )
    assert _version_of(api, iid) == 2
    votes = {t.assignee.username: t.name for t in _open(api, iid, "Task_vote") if t.assignee is not None}
    assert sorted(votes) == ["council2", "council3", "council4", "council5", "wg_chair"]
    assert set(votes.values()) == {"Кеңес мүшесінің дауысы (жаңа)"}
    for member in ("council2", "council3", "council4"):
        assert vote(api, iid, member, "warning").status_code == 200
    # Four warnings of six members (council1's from before the move included): settled, closed early.
    assert _open(api, iid, "Task_vote") == []
    assert _open(api, iid), "the process goes on to the chair's decision"


def test_a_timer_taken_away_from_a_reached_step_is_named_by_the_step(app: Flask, api: Api) -> None:
    """The library's split around a step with a timer has no counterpart once the timer is gone: the
    instances that reached the step stay, and the reason names the step, never the library's spec."""
    rt = api.rt
    admin = actor_named(rt, "admin")
    drafting, review, director = _at(api, "draft"), _at(api, "review"), _at(api, "director")
    deploy.deploy_bpmn(rt, admin, order_without_review_reminder(), "order_drafting.bpmn")
    request = moves.MigrationRequest("order_drafting", 1, 2)
    rows = {r.instance_id: r for r in moves.migrate(rt, admin, request)}
    assert rows[drafting].can_move
    assert (rows[director].reason, rows[director].reason_step) == (
        "step_events_changed",
        "Құқықтық сараптама",
    )
    assert not rows[review].can_move and "BoundaryEvent" not in rows[review].reason_step
    with app.test_request_context("/", headers={"Accept-Language": "kk"}):
        text = reason_text(rows[director], request)
    assert "Құқықтық сараптама" in text and "BoundaryEvent" not in text


def test_orders_acknowledging_on_the_old_multi_instance_diagram_stay_and_say_why(api: Api) -> None:
    """The diagram before campaigns had a per-person acknowledgement step; the shipped one waits on a
    campaign instead. An order already acknowledging that way cannot move (its step is gone); one still
    being drafted moves and acknowledges through a campaign."""
    rt = api.rt
    admin = actor_named(rt, "admin")
    old = ROOT / "tests" / "fixtures" / "order_drafting_multi_instance.bpmn"
    assert deploy.deploy_bpmn(rt, admin, old.read_bytes(), "order_drafting.bpmn").version == 2
    drafting = _start(api)
    acknowledging = _start(api)
    _do(api, acknowledging, "Task_draft", "wg_deputy", DRAFT)
    _do(api, acknowledging, "Task_legal_review", "lawyer", {"decision": "approve"})
    _do(api, acknowledging, "Task_director_approval", "director", {"decision": "approve"})
    assert len(_open(api, acknowledging, "Task_acknowledge")) == 30
    assert deploy.deploy_bpmn(rt, admin, ORDER_FILE.read_bytes(), "order_drafting.bpmn").version == 3
    moved = moves.migrate(rt, admin, moves.MigrationRequest("order_drafting", 2, 3, dry_run=False))
    rows = {r.instance_id: r for r in moved}
    assert rows[drafting].moved
    assert (rows[acknowledging].moved, rows[acknowledging].reason) == (False, "waiting_step_removed")
    assert rows[acknowledging].reason_step == "Бұйрықпен танысу"
    assert len(_open(api, acknowledging, "Task_acknowledge")) == 30  # untouched: it finishes on version 2
    _finish(api, drafting)  # through a campaign on version 3
