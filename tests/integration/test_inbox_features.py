"""Around the inbox: reassigning, comments, notifications, attachments, and retrying a failed instance."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from service.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed
from service.platform.files import storage as files
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import get_instance, start_process
from service.platform.notify import news as inbox_news
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers
from tests.conftest import actor_named

DRAFT = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}


def _review_task(rt: Runtime) -> tuple[int, int]:
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    task_cases.complete(rt, actor_named(rt, "wg_deputy"), draft.id, DRAFT)
    with rt.db.session() as session:
        review = session.execute(
            select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.status == "open")
        ).scalar_one()
    return iid, review.id


def test_chair_reassigns_and_others_may_not(seeded: Runtime) -> None:
    rt = seeded
    _, review = _review_task(rt)
    with pytest.raises(Forbidden):
        task_cases.reassign(rt, actor_named(rt, "lawyer"), review, "lawyer")
    with pytest.raises(ValidationFailed):
        task_cases.reassign(rt, actor_named(rt, "wg_chair"), review, "staff3")  # not a lawyer
    task_cases.reassign(rt, actor_named(rt, "wg_chair"), review, "lawyer")
    detail = task_cases.get_task(rt, actor_named(rt, "lawyer"), review)
    assert detail.task.assignee is not None and detail.task.assignee.username == "lawyer"
    with pytest.raises(Conflict):
        task_cases.unclaim(
            rt, actor_named(rt, "lawyer"), review
        )  # given by the chair


def test_comments_are_kept_on_the_instance_and_audited(seeded: Runtime) -> None:
    rt = seeded
    iid, review = _review_task(rt)
    task_cases.add_comment(rt, actor_named(rt, "lawyer"), iid, "5-тармақты қараңыз", task_id=review)
    with pytest.raises(ValidationFailed):
        task_cases.add_comment(rt, actor_named(rt, "lawyer"), iid, "   ")
    with pytest.raises(NotFound):
        task_cases.add_comment(rt, actor_named(rt, "staff4"), iid, "hello")
    view = get_instance(rt, actor_named(rt, "wg_deputy"), iid)
    assert [c.body for c in view.comments] == ["5-тармақты қараңыз"]
    assert any(h.action == "comment.add" and h.comment == "5-тармақты қараңыз" for h in view.history)


def test_direct_assignment_notifies_the_person(seeded: Runtime) -> None:
    rt = seeded
    start_process(rt, actor_named(rt, "responsible"), "order_drafting")
    me = actor_named(rt, "responsible")
    assert inbox_news.unread_count(rt, me) == 1
    assert inbox_news.my_notifications(rt, me)[0].kind == "task_assigned"
    inbox_news.mark_all_read(rt, me)
    assert inbox_news.unread_count(rt, me) == 0


def test_attachments_are_stored_by_hash_and_shown_only_to_those_involved(seeded: Runtime) -> None:
    rt = seeded
    lawyer = actor_named(rt, "lawyer")
    pdf = b"%PDF-1.4 test content"
    ref = files.store_upload(rt, lawyer, "evidence", "дәлел.pdf", "application/pdf", pdf)
    assert ref.startswith("sha256:")
    sha = ref.removeprefix("sha256:")
    meta, content = files.open_file(rt, lawyer, sha)
    assert content == pdf and meta.filename == "дәлел.pdf"
    with pytest.raises(NotFound):
        files.open_file(rt, actor_named(rt, "staff1"), sha)
    with pytest.raises(ValidationFailed):
        files.store_upload(rt, lawyer, "evidence", "x.exe", "application/x-msdownload", b"MZ")
    with pytest.raises(ValidationFailed):
        files.store_upload(rt, lawyer, "evidence", "fake.pdf", "application/pdf", b"not a pdf")


def test_admin_retries_an_instance_stopped_by_an_error(seeded: Runtime) -> None:
    rt = seeded
    iid, _ = _review_task(rt)
    with rt.db.session() as session:
        session.execute(
            update(ProcessInstance).where(ProcessInstance.id == iid).values(status="error", error="boom")
        )
    with pytest.raises(Forbidden):
        timers.retry_instance(rt, "lawyer", False, iid)
    timers.retry_instance(rt, "admin", True, iid)
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, iid)
        assert instance is not None and instance.status == "running" and instance.error is None
    with pytest.raises(Conflict):
        timers.retry_instance(rt, "admin", True, iid)


def test_a_form_cannot_name_a_file_its_submitter_never_had(seeded: Runtime) -> None:
    """A reference typed into an API call for someone else's upload is refused (422) and grants nothing."""
    rt = seeded
    secret = files.store_upload(
        rt, actor_named(rt, "responsible"), "evidence", "secret.pdf", "application/pdf", b"%PDF-1.4 secret"
    )
    drafter = actor_named(rt, "wg_deputy")
    iid = start_process(rt, drafter, "order_drafting")
    with rt.db.session() as session:
        draft = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
    with pytest.raises(ValidationFailed) as refused:
        task_cases.complete(rt, drafter, draft.id, {**DRAFT, "attachment": secret})
    assert refused.value.fields["attachment"].code == "file_not_yours"
    with pytest.raises(NotFound):  # and nothing was recorded that would open it
        files.open_file(rt, actor_named(rt, "lawyer"), secret.removeprefix("sha256:"))

    own = files.store_upload(rt, drafter, "attachment", "annex.pdf", "application/pdf", b"%PDF-1.4 annex")
    task_cases.complete(rt, drafter, draft.id, {**DRAFT, "attachment": own})
    # The lawyer reviewing the order reads the attachment through the instance it belongs to.
    meta, _content = files.open_file(rt, actor_named(rt, "lawyer"), own.removeprefix("sha256:"))
    assert meta.filename == "annex.pdf"
    with pytest.raises(NotFound):
        files.open_file(rt, actor_named(rt, "staff3"), own.removeprefix("sha256:"))
