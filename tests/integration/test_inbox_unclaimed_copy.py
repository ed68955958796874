"""The role rows' copy of "open and unclaimed" follows the task through every change (issue 16, item 2).

The role inbox, its badge and the landing page read `human_task_role.unclaimed_created_at` instead of
the task; each step below checks that the copy equals what `human_task` says, and that the role list
read from the copy is the one read from the tasks themselves.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from service.platform.errors import Conflict
from service.platform.inbox import cancel, queries, unclaimed
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import HumanTask, HumanTaskRole
from service.platform.runtime import Runtime
from tests.conftest import actor_named

DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
SCHOOL = 1


def _review(rt: Runtime) -> tuple[int, int]:
    """A new order whose draft is submitted: its legal review waits for the lawyers, unclaimed."""
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask.id).where(HumanTask.instance_id == iid)).scalar_one()
    task_cases.complete(rt, actor_named(rt, "wg_deputy"), draft, DRAFT)
    with rt.db.session() as session:
        review = session.execute(
            select(HumanTask.id).where(HumanTask.instance_id == iid, HumanTask.status == "open")
        ).scalar_one()
    return iid, review


def _waiting(rt: Runtime, roles: frozenset[str] = frozenset({"lawyer"})) -> list[int]:
    """The role list as the inbox reads it (from the copy), checked against the tasks themselves."""
    with rt.db.session() as session:
        assert unclaimed.drifted(session.connection(), SCHOOL) == []
        page = queries.list_tasks(session, 0, roles, queries.TaskFilter(scope="roles", limit=200))
        from_tasks = session.execute(
            select(HumanTask.id)
            .where(HumanTask.status == "open", queries.claimable_clause(roles))
            .order_by(HumanTask.created_at.desc(), HumanTask.id.desc())
        ).scalars()
        listed = [t.id for t in page.rows]
        assert listed == list(from_tasks) and page.total == len(listed)
        assert queries.inbox_counts(session, 0, roles)[1] == len(listed)
        if len(roles) == 1:
            counted = [w.count for w in queries.waiting_by_role(session, roles)]
            assert counted == ([len(listed)] if listed else [])
        return listed


def test_the_copy_follows_claim_release_reassignment_and_completion(seeded: Runtime) -> None:
    rt = seeded
    lawyer = actor_named(rt, "lawyer")
    _, review = _review(rt)
    assert review in _waiting(rt)  # projected with the copy
    task_cases.claim(rt, lawyer, review)
    assert review not in _waiting(rt)
    with pytest.raises(Conflict):
        task_cases.claim(rt, lawyer, review)  # a refused claim changes nothing
    task_cases.unclaim(rt, lawyer, review)
    assert review in _waiting(rt)
    task_cases.reassign(rt, actor_named(rt, "wg_chair"), review, "lawyer")
    assert review not in _waiting(rt)

    _, other = _review(rt)
    assert other in _waiting(rt)
    # Completed without a claim first: the completion takes it and the next step goes to the director.
    task_cases.complete(rt, lawyer, other, {"decision": "approve"})
    assert other not in _waiting(rt)
    assert _waiting(rt, frozenset({"director"}))  # the approval, projected unclaimed
    task_cases.complete(rt, lawyer, review, {"decision": "approve"})
    assert _waiting(rt, frozenset({"lawyer", "director"}))


def test_the_copy_follows_an_instance_cancelled_by_an_admin(seeded: Runtime) -> None:
    rt = seeded
    iid, review = _review(rt)
    _, kept = _review(rt)
    assert {review, kept} <= set(_waiting(rt))
    cancel.cancel_instance(rt, actor_named(rt, "admin"), iid, "Қате")
    assert _waiting(rt) == [kept]


def test_a_release_reads_the_task_as_written_and_drift_is_seen(seeded: Runtime) -> None:
    rt = seeded
    _, review = _review(rt)
    with rt.db.session() as session:
        # A completion that came between a release's read and its write: the task is closed, and the
        # release's refresh must copy that, not "unclaimed" from what it had read before.
        session.execute(update(HumanTask).where(HumanTask.id == review).values(status="completed"))
        unclaimed.refresh(session, SCHOOL, [review])
        assert unclaimed.drifted(session.connection(), SCHOOL) == []
        page = queries.list_tasks(session, 0, {"lawyer"}, queries.TaskFilter("roles"))
        assert review not in [t.id for t in page.rows]
        session.execute(update(HumanTask).where(HumanTask.id == review).values(status="open"))
        assert unclaimed.drifted(session.connection(), SCHOOL) == [review]  # the check sees a stale copy
        unclaimed.refresh(session, SCHOOL, [review])
        roles = session.execute(
            select(HumanTaskRole.unclaimed_created_at).where(HumanTaskRole.task_id == review)
        ).scalars()
        created = session.execute(select(HumanTask.created_at).where(HumanTask.id == review)).scalar_one()
        assert set(roles) == {created}
