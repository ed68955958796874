"""The worker serves every school of a region: it acts as a school only where something is due, fires a
school's timer in that school, and writes each school's daily checkpoint once."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence import tenancy
from service.platform.persistence.models import Counter, HumanTask, Notification
from service.platform.runtime import Runtime
from service.platform.timers.worker import worker_pass
from tests.conftest import actor_named, make_app
from tests.integration.school_steps import add_school


def test_one_pass_serves_every_school_and_acts_only_where_something_is_due(
    db_url: str, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, DEADLINES={"legal_review_reminder": "PT1S"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    second = add_school(rt)
    with tenancy.acting_as(second):
        iid = start_process(rt, actor_named(rt, "school2.wg_deputy"), "order_drafting")
        with rt.db.session() as session:
            draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
        data = {"title": "T", "order_type": "other", "body": "B"}
        task_cases.complete(rt, actor_named(rt, "school2.wg_deputy"), draft.id, data)
    rt.db.default_school = None  # region mode: no school is the default, the worker names each one
    try:
        time.sleep(1.2)
        assert worker_pass(rt).fired == 1  # school2's reminder, woken acting as school2
        assert worker_pass(rt).fired == 0  # once
        with tenancy.all_schools(), rt.db.read() as session:
            reminders = session.execute(
                select(Notification.school_id).where(Notification.kind == "reminder")
            ).scalars()
            assert set(reminders) == {second}
            checkpoints = session.execute(
                select(Counter.school_id, Counter.value).where(Counter.name.like("audit_checkpoint:%"))
            ).all()
        # Each school's checkpoint written once, the second pass did not even ask (it remembers the day).
        assert sorted(checkpoints) == [(tenancy.DEFAULT_SCHOOL, 1), (second, 1)]
    finally:
        rt.db.dispose()
