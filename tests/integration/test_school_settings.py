"""School settings (issue 14, item 3): deadlines and voting rules the admin changes without code.

The environment is the default, the admin's value wins, each change is audited, bad values are refused
field by field in the admin's language, and a running instance reads a deadline when its timer is set.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, select

from service.features.tools.signed_votes import vote_rule
from service.platform import settings
from service.platform.clock import utcnow
from service.platform.engine import instance_data
from service.platform.errors import ConcurrentChange, ValidationFailed
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import (
    AuditEvent,
    HumanTask,
    Notification,
    ProcessDefinition,
    ProcessInstance,
)
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import Api, actor_named, csrf_from, login, make_app
from tests.integration.test_incident_api import escalate
from tests.threads import run_together


def _seeded(db_url: str, tmp_path: Path, **config: object) -> tuple[Flask, Runtime]:
    app = make_app(db_url, tmp_path, **config)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    return app, app.extensions["runtime"]


def _values(rt: Runtime) -> dict[str, tuple[str, str]]:
    return {r.name: (r.value, r.source) for r in settings.listing(rt, actor_named(rt, "admin"))}


def test_the_environment_is_the_default_and_the_admins_value_wins(db_url: str, tmp_path: Path) -> None:
    _app, rt = _seeded(db_url, tmp_path, DEADLINES={"triage_deadline": "PT6H"}, TOOL_VOTE_QUORUM="1/3")
    admin = actor_named(rt, "admin")
    values = _values(rt)
    assert values["triage_deadline"] == ("PT6H", "environment")
    assert values["tool_vote_quorum"] == ("1/3", "environment")
    assert values["vote_deadline"] == ("P5D", "default")
    assert values["council_tie_break"] == ("chair", "default")

    assert settings.change(rt, admin, {"triage_deadline": "pt12h", "tool_vote_quorum": "1/2"}) == [
        "triage_deadline",
        "tool_vote_quorum",
    ]
    values = _values(rt)
    assert values["triage_deadline"] == ("PT12H", "school") and values["tool_vote_quorum"] == (
        "1/2",
        "school",
    )
    with rt.db.session() as session:
        assert vote_rule(rt, session).quorum == Fraction(1, 2)  # the commission's rule follows
        events = [
            json.loads(d)
            for d in session.execute(
                select(AuditEvent.detail_json)
                .where(AuditEvent.action == "settings.change")
                .order_by(AuditEvent.id)
            ).scalars()
        ]
    assert events == [
        {"name": "triage_deadline", "old": None, "new": "PT12H"},
        {"name": "tool_vote_quorum", "old": None, "new": "1/2"},
    ]
    # Empty: back to the environment's value; the same value again changes nothing.
    assert settings.change(rt, admin, {"triage_deadline": "", "tool_vote_quorum": "1/2"}) == [
        "triage_deadline"
    ]
    assert _values(rt)["triage_deadline"] == ("PT6H", "environment")
    with pytest.raises(ValidationFailed) as refused:
        settings.change(
            rt, admin, {"vote_deadline": "5 days", "council_quorum": "3/2", "council_tie_break": "x"}
        )
    assert {k: v.code for k, v in refused.value.fields.items()} == {
        "vote_deadline": "duration",
        "council_quorum": "fraction",
        "council_tie_break": "enum",
    }
    assert _values(rt)["vote_deadline"] == ("P5D", "default")  # all or nothing
    rt.db.dispose()


def test_a_bad_environment_value_stops_the_start(db_url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="legal_review_reminder"):
        make_app(db_url, tmp_path, DEADLINES={"legal_review_reminder": "2 days"})


def test_a_running_order_reads_the_reminder_when_its_timer_is_set(db_url: str, tmp_path: Path) -> None:
    _app, rt = _seeded(db_url, tmp_path)
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")  # loads the settings: P2D
    settings.change(rt, actor_named(rt, "admin"), {"legal_review_reminder": "PT1S"})
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    task_cases.complete(
        rt, actor_named(rt, "wg_deputy"), draft.id, {"title": "T", "order_type": "other", "body": "B"}
    )
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.next_timer_at is not None
        assert instance.next_timer_at - utcnow() < timedelta(seconds=30)  # not two days
    time.sleep(1.2)
    assert timers.run_due_timers(rt) == 1
    with rt.db.session() as session:
        reminded = session.execute(
            select(Notification.id).where(Notification.kind == "reminder", Notification.instance_id == iid)
        ).all()
    assert len(reminded) == 1
    rt.db.dispose()


def test_a_completion_reads_the_settings_with_its_lock_and_sees_a_change_made_just_before(
    db_url: str, tmp_path: Path
) -> None:
    """The task's lock statement brings the school's stored settings; no statement reads them on its own."""
    _app, rt = _seeded(db_url, tmp_path)
    deputy = actor_named(rt, "wg_deputy")
    iid = start_process(rt, deputy, "order_drafting")
    settings.change(rt, actor_named(rt, "admin"), {"legal_review_reminder": "PT1S"})
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(rt.db.engine, "before_cursor_execute", record)
    try:
        task_cases.complete(rt, deputy, draft.id, {"title": "T", "order_type": "other", "body": "B"})
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", record)
    reads = [s for s in seen if "FROM school_setting" in s]
    assert len(reads) == 1 and "FROM human_task" in reads[0]  # one read, inside the lock's statement
    with rt.db.read() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.next_timer_at is not None
        assert instance.next_timer_at - utcnow() < timedelta(seconds=30)  # the admin's PT1S, not P2D
    rt.db.dispose()


def _vote_rule_of(api: Api, iid: int) -> dict[str, str]:
    with api.rt.db.read() as session:
        task = (
            session.execute(
                select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.bpmn_id == "Task_vote")
            )
            .scalars()
            .first()
        )
        assert task is not None
        state = session.execute(
            select(ProcessInstance.state_json).where(ProcessInstance.id == iid)
        ).scalar_one()
        spec = session.execute(
            select(ProcessDefinition.spec_json)
            .join(ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id)
            .where(ProcessInstance.id == iid)
        ).scalar_one()
    return dict(instance_data(spec, state, task.engine_task_id)["vote_rule"])


def test_the_councils_quorum_and_tie_rule_come_from_the_settings(api: Api) -> None:
    before = escalate(api)
    assert {k: _vote_rule_of(api, before)[k] for k in ("quorum", "tie_break")} == {
        "quorum": "2/3",
        "tie_break": "chair",
    }  # the diagram's parameters while nothing is set
    settings.change(
        api.rt, actor_named(api.rt, "admin"), {"council_quorum": "1/2", "council_tie_break": "none"}
    )
    after = escalate(api)
    assert {k: _vote_rule_of(api, after)[k] for k in ("quorum", "tie_break")} == {
        "quorum": "1/2",
        "tie_break": "none",
    }


def test_the_settings_page_keeps_what_was_typed_and_names_each_bad_field(app: Flask, api: Api) -> None:
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    page = client.get("/admin/settings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (
        "Кеңестің кворумы" in html and 'legal_review_reminder"' in html
    )  # names in Kazakh, codes only as field names
    sent = client.post(
        "/admin/settings",
        data={"csrf_token": csrf_from(html), "vote_deadline": "бес күн", "council_quorum": "1/2"},
    )
    refused = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert 'value="бес күн"' in refused and 'value="1/2"' in refused  # nothing typed is lost
    assert "P3D (үш күн)" in refused  # the duration's rule in Kazakh, beside the field
    assert _values(api.rt)["council_quorum"] == ("2/3", "default")
    saved = client.post("/admin/settings", data={"csrf_token": csrf_from(html), "vote_deadline": "P2D"})
    assert saved.status_code == 302
    assert _values(api.rt)["vote_deadline"] == ("P2D", "school")
    other = app.test_client()
    assert login(other, "director").status_code == 302
    assert other.get("/admin/settings").status_code == 403
    assert other.post(
        "/admin/settings", data={"csrf_token": csrf_from(html), "vote_deadline": "P1D"}
    ).status_code in (
        400,
        403,
    )


def test_the_api_reads_and_changes_settings_for_admin_only(api: Api) -> None:
    listed = api.get("/settings", "admin")
    assert listed.status_code == 200
    rows = {r["name"]: r for r in listed.get_json()["settings"]}
    assert (
        rows["tool_vote_majority"]["kind"] == "fraction" and rows["tool_vote_majority"]["source"] == "default"
    )
    assert api.get("/settings", "director").status_code == 403
    assert (
        api.call("PUT", "/settings", "director", json={"values": {"vote_deadline": "P1D"}}).status_code == 403
    )
    bad = api.call("PUT", "/settings", "admin", json={"values": {"vote_deadline": "P0D", "nope": "1"}})
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"vote_deadline", "nope"}
    good = api.call("PUT", "/settings", "admin", json={"values": {"council_tie_break": "none"}})
    assert good.status_code == 200
    assert {r["name"]: r["value"] for r in good.get_json()["settings"]}["council_tie_break"] == "none"


@pytest.mark.timeout(300)
def test_admins_saving_at_the_same_moment_never_lose_an_audited_change(api: Api) -> None:
    """Run with TEST_DATABASE_URL: concurrent first saves of one setting meet the primary key (409 for
    the loser, nothing half-saved); every saved value has its audit event and the last one stands."""
    rt = api.rt
    admin = actor_named(rt, "admin")
    values = ["1/5", "1/4", "1/3", "2/5"]
    results = run_together(
        [lambda v=v: settings.change(rt, admin, {"tool_vote_quorum": v}) for v in values]  # type: ignore[misc]
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ConcurrentChange) for r in refused), results
    assert len(refused) < len(values)
    with rt.db.read() as session:
        events = [
            json.loads(d)
            for d in session.execute(
                select(AuditEvent.detail_json)
                .where(AuditEvent.action == "settings.change")
                .order_by(AuditEvent.id)
            ).scalars()
        ]
    saved = [values[i] for i, r in enumerate(results) if not isinstance(r, Exception)]
    assert sorted(e["new"] for e in events) == sorted(saved)
    assert _values(rt)["tool_vote_quorum"] == (events[-1]["new"], "school")
    assert [e["old"] for e in events][1:] == [e["new"] for e in events][:-1]  # a chain: none lost
