"""A task sent to a role reaches every holder (in-app and by mail, with a link); the landing page shows
what waits for my roles first; the daily digest goes once per person and day, even with several workers."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask import Flask
from sqlalchemy import func, select, update

from service.platform.inbox import tasks as task_cases
from service.platform.inbox import unclaimed
from service.platform.inbox.digest import digest_time, send_daily_digests
from service.platform.inbox.instances import start_process
from service.platform.notify import mailer
from service.platform.notify import news as inbox_news
from service.platform.persistence.models import HumanTask, Notification, NotificationDigest, User
from service.platform.runtime import Runtime
from tests.conftest import actor_named, csrf_from, login, make_app
from tests.threads import run_together

DRAFT = {"title": "Оқу жоспары туралы бұйрық", "order_type": "other", "body": "Мәтін"}


def _open_task(rt: Runtime, iid: int, bpmn_id: str) -> HumanTask:
    with rt.db.session() as session:
        return session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == iid, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
            )
        ).scalar_one()


def _to_director(rt: Runtime) -> tuple[int, int]:
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    task_cases.complete(rt, actor_named(rt, "wg_deputy"), _open_task(rt, iid, "Task_draft").id, DRAFT)
    review = _open_task(rt, iid, "Task_legal_review")
    task_cases.complete(rt, actor_named(rt, "lawyer"), review.id, {"decision": "approve"})
    return iid, _open_task(rt, iid, "Task_director_approval").id


def _second_director(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "director2", "--name", "Әсел Нұрланқызы", "--role", "director"],
        input="long-enough-pass-1\nlong-enough-pass-1\n",
    )
    assert result.exit_code == 0, result.output


def test_every_holder_of_the_role_is_notified_with_a_link(app: Flask, seeded: Runtime) -> None:
    rt = seeded
    _second_director(app)
    iid, task_id = _to_director(rt)
    for name in ("director", "director2"):
        notes = inbox_news.my_notifications(rt, actor_named(rt, name))
        waiting = [n for n in notes if n.kind == "task_waiting"]
        assert len(waiting) == 1, (name, notes)
        assert waiting[0].task_id == task_id and waiting[0].instance_id == iid
        assert waiting[0].params["roles"] == ["director"]
    # Nobody outside the role hears of it.
    assert not [
        n for n in inbox_news.my_notifications(rt, actor_named(rt, "staff1")) if n.kind == "task_waiting"
    ]
    client = app.test_client()
    assert login(client, "director2", "long-enough-pass-1").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert "Мектеп директоры" in page and f"/tasks/{task_id}" in page


def test_the_landing_page_shows_my_roles_work_first(app: Flask, seeded: Runtime) -> None:
    rt = seeded
    _iid, task_id = _to_director(rt)
    with rt.db.session() as session:  # it has waited two days
        session.execute(
            update(HumanTask)
            .where(HumanTask.id == task_id)
            .values(created_at=datetime.now(UTC) - timedelta(days=2, hours=1))
        )
        unclaimed.refresh(session, 1, [task_id])  # the role rows' copy of it, as the projection writes it
    client = app.test_client()
    assert login(client, "director").status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert page.index('data-testid="waiting-for-roles"') < page.index('data-testid="home-mine"')
    waiting = page[page.index('data-testid="waiting-for-roles"') : page.index('data-testid="home-mine"')]
    assert "Менің рөлдерімді күтуде" in waiting
    assert "Мектеп директоры" in waiting and "1 тапсырма" in waiting
    assert "2 күн" in waiting  # the oldest waiting time
    assert f"/tasks/{task_id}" in waiting and DRAFT["title"] in waiting
    assert 'data-testid="home-notifications"' in page  # the role notification, unread
    # Someone without the role sees nothing waiting.
    other = app.test_client()
    assert login(other, "staff1").status_code == 302
    assert DRAFT["title"] not in other.get("/").get_data(as_text=True)


def test_the_digest_is_one_message_per_person_after_its_time(seeded: Runtime) -> None:
    rt = seeded
    _iid, task_id = _to_director(rt)
    # 07:59 in Almaty (UTC+5) is before the default 08:00: nothing yet.
    early = datetime(2026, 12, 4, 2, 59, tzinfo=UTC)
    with rt.db.session() as session:  # overdue since the day before the digest (not before the wall clock)
        session.execute(
            update(HumanTask).where(HumanTask.id == task_id).values(due_at=early - timedelta(days=1))
        )
    start_process(rt, actor_named(rt, "responsible"), "order_drafting")  # a draft of her own
    assert send_daily_digests(rt, early) == 0
    later = early + timedelta(minutes=2)
    written = send_daily_digests(rt, later)
    assert send_daily_digests(rt, later + timedelta(hours=3)) == 0  # once a day
    with rt.db.session() as session:
        director = session.execute(select(User).where(User.username == "director")).scalar_one()
        digests = list(
            session.execute(
                select(Notification).where(Notification.user_id == director.id, Notification.kind == "digest")
            ).scalars()
        )
        everyone = session.execute(select(func.count()).select_from(User)).scalar_one()
        considered = session.execute(select(func.count()).select_from(NotificationDigest)).scalar_one()
    assert considered == everyone  # people with nothing waiting are considered once, and get nothing
    assert len(digests) == 1
    note = inbox_news.my_notifications(rt, actor_named(rt, "director"))[0]
    assert note.kind == "digest"
    assert (note.params["mine"], note.params["waiting"], note.params["overdue"]) == (0, 1, 1)
    assert note.params["tasks"][0]["id"] == task_id
    own = inbox_news.my_notifications(rt, actor_named(rt, "responsible"))[0]
    assert own.kind == "digest" and (own.params["mine"], own.params["overdue"]) == (1, 0)
    assert written == 2  # the director and the responsible person; nobody else has work
    for idle in ("lawyer", "staff1"):
        assert not [n for n in inbox_news.my_notifications(rt, actor_named(rt, idle)) if n.kind == "digest"]
    # The next school day brings the next digest.
    assert send_daily_digests(rt, later + timedelta(days=1)) == written


def test_the_digest_time_is_a_setting(db_url: str, tmp_path: Path) -> None:
    assert digest_time("06:30").hour == 6
    with pytest.raises(ValueError):
        digest_time("half past six")
    app = make_app(db_url, tmp_path, DIGEST_TIME="21:15")
    rt: Runtime = app.extensions["runtime"]
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["deploy"]).exit_code == 0
    start_process(rt, actor_named(rt, "responsible"), "order_drafting")
    assert send_daily_digests(rt, datetime(2026, 12, 4, 16, 0, tzinfo=UTC)) == 0  # 21:00 in Almaty
    assert send_daily_digests(rt, datetime(2026, 12, 4, 16, 20, tzinfo=UTC)) == 1
    rt.db.dispose()
    with pytest.raises(ValueError):
        make_app(db_url, tmp_path / "bad", DIGEST_TIME="25")


class _Inbox(Message):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_role_task_and_digest_mails_carry_links(db_url: str, tmp_path: Path) -> None:
    handler = _Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(
            db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port, PUBLIC_URL="https://ai.school.kz"
        )
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        assert app.test_cli_runner().invoke(args=["deploy"]).exit_code == 0
        rt: Runtime = app.extensions["runtime"]
        iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
        task_cases.complete(rt, actor_named(rt, "wg_deputy"), _open_task(rt, iid, "Task_draft").id, DRAFT)
        review = _open_task(rt, iid, "Task_legal_review")
        mailer.send_pending(rt)
        to_lawyer = [m for m in handler.messages if m["To"] == "lawyer@school.local"]
        assert len(to_lawyer) == 1
        subject = str(make_header(decode_header(to_lawyer[0]["Subject"])))
        assert subject.startswith("Рөліңізге тапсырма күтуде")
        assert f"https://ai.school.kz/tasks/{review.id}" in to_lawyer[0].get_payload(decode=True).decode()
        handler.messages.clear()
        assert send_daily_digests(rt, datetime(2026, 12, 4, 4, 0, tzinfo=UTC)) >= 1
        mailer.send_pending(rt)
        to_lawyer = [m for m in handler.messages if m["To"] == "lawyer@school.local"]
        assert len(to_lawyer) == 1  # one message, not one per task
        body = to_lawyer[0].get_payload(decode=True).decode()
        assert "Күнделікті шолу" in body and f"https://ai.school.kz/tasks/{review.id}" in body
        rt.db.dispose()
    finally:
        controller.stop()


def test_several_workers_send_each_digest_once_on_postgres(pg_url: str, tmp_path: Path) -> None:
    apps = [make_app(pg_url, tmp_path / f"w{i}") for i in range(4)]
    rt0: Runtime = apps[0].extensions["runtime"]
    assert apps[0].test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert apps[0].test_cli_runner().invoke(args=["deploy"]).exit_code == 0
    _to_director(rt0)
    for name in ("wg_deputy", "responsible", "wg_chair"):  # assigned drafts for several people
        start_process(rt0, actor_named(rt0, name), "order_drafting")
    at = datetime(2026, 12, 4, 5, 0, tzinfo=UTC)
    workers: list[Runtime] = [a.extensions["runtime"] for a in apps]
    results = run_together([(lambda w=w: send_daily_digests(w, at)) for w in workers])
    assert not [r for r in results if isinstance(r, Exception)], results
    with rt0.db.session() as session:
        per_user = dict(
            session.execute(
                select(Notification.user_id, func.count())
                .where(Notification.kind == "digest")
                .group_by(Notification.user_id)
            ).all()
        )
        names = dict(session.execute(select(User.id, User.username)).all())
    assert sum(results) == len(per_user)
    assert set(per_user.values()) == {1}
    assert {"director", "wg_deputy", "responsible", "wg_chair"} <= {names[u] for u in per_user}
    for a in apps:
        a.extensions["runtime"].db.dispose()


def test_a_task_for_a_role_nobody_holds_reaches_the_admins(app: Flask, seeded: Runtime) -> None:
    """The only lawyer left the school: the legal review would wait unseen, so the admin is told."""
    rt = seeded
    with rt.db.session() as session:
        session.execute(update(User).where(User.username == "lawyer").values(is_active=False))
    iid = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    task_cases.complete(rt, actor_named(rt, "wg_deputy"), _open_task(rt, iid, "Task_draft").id, DRAFT)
    review = _open_task(rt, iid, "Task_legal_review")
    unheld = [n for n in inbox_news.my_notifications(rt, actor_named(rt, "admin")) if n.kind == "task_unheld"]
    assert len(unheld) == 1 and unheld[0].task_id == review.id and unheld[0].params["roles"] == ["lawyer"]
    # A role that has holders troubles nobody else: the admin hears only of the unheld one.
    assert not [
        n for n in inbox_news.my_notifications(rt, actor_named(rt, "admin")) if n.kind == "task_waiting"
    ]
    client = app.test_client()
    login(client, "admin")
    for lang, words in (("kk", "Заңгер"), ("ru", "Юрист")):
        client.post(
            "/language", data={"lang": lang, "csrf_token": csrf_from(client.get("/").get_data(as_text=True))}
        )
        page = client.get("/notifications").get_data(as_text=True)
        assert words in page and "/admin/users" in page and f"/tasks/{review.id}" in page
        assert "task_unheld" not in page and "lawyer" not in page.split("<main", 1)[-1]


def _close_account(client: Any, username: str) -> str:
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    response = client.post(f"/admin/users/{username}/active", data={"active": "0", "csrf_token": token})
    assert response.status_code == 302
    return str(client.get(response.headers["Location"]).get_data(as_text=True))


def test_closing_an_account_hands_its_open_tasks_on(app: Flask, seeded: Runtime) -> None:
    """A claimed task goes back to its role (the other holders told); one given to the person alone
    goes to the admins; nothing stays with someone who can no longer sign in."""
    rt = seeded
    result = app.test_cli_runner().invoke(
        args=["users", "create", "lawyer2", "--name", "Дана Асқарқызы", "--role", "lawyer"],
        input="long-enough-pass-1\nlong-enough-pass-1\n",
    )
    assert result.exit_code == 0, result.output
    drafted = start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
    draft = _open_task(rt, drafted, "Task_draft")  # the process gave it to its drafter
    reviewed = start_process(rt, actor_named(rt, "responsible"), "order_drafting")
    task_cases.complete(rt, actor_named(rt, "responsible"), _open_task(rt, reviewed, "Task_draft").id, DRAFT)
    review = _open_task(rt, reviewed, "Task_legal_review")
    task_cases.claim(rt, actor_named(rt, "lawyer"), review.id)
    client = app.test_client()
    login(client, "admin")
    page = _close_account(client, "lawyer")
    assert "1 тапсырма өз рөлдеріне қайтарылды" in page
    assert _open_task(rt, reviewed, "Task_legal_review").assignee_id is None
    told = [n for n in inbox_news.my_notifications(rt, actor_named(rt, "lawyer2")) if n.task_id == review.id]
    # told when the review arrived, and again now that it waits once more
    assert [n.kind for n in told] == ["task_waiting", "task_waiting"]
    page = _close_account(client, "wg_deputy")
    assert "1 тапсырма тек осы адамға берілген" in page
    notes = [n for n in inbox_news.my_notifications(rt, actor_named(rt, "admin")) if n.task_id == draft.id]
    assert [n.kind for n in notes] == ["task_unheld"] and notes[0].params["person"] != "wg_deputy"
    assert notes[0].params["person"] in client.get("/notifications").get_data(as_text=True)
