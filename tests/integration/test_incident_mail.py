"""The data-disclosure alert by e-mail through a real SMTP server (aiosmtpd), retried when it is down."""

from __future__ import annotations

from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import start_process
from service.platform.notify import mailer
from service.platform.persistence.models import HumanTask, Notification
from service.platform.runtime import Runtime
from tests.conftest import actor_named, make_app
from tests.integration.test_mail import Inbox, _free_port

REPORT = {
    "type": "data_disclosure",
    "tool": "Chatbot",
    "occurred_on": "2026-11-03",
    "description": "Marks of a class pasted into a chatbot.",
    "anonymous": True,
}


def _alerts(rt: Runtime) -> list[Notification]:
    with rt.db.session() as session:
        return list(
            session.execute(select(Notification).where(Notification.kind == "incident_alert")).scalars()
        )


def test_alert_mail_is_retried_until_the_server_answers(db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    app = make_app(db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    iid = start_process(rt, actor_named(rt, "staff1"), "incident_escalation")
    with rt.db.session() as session:
        report = session.execute(select(HumanTask).where(HumanTask.instance_id == iid)).scalar_one()
        session.execute(update(Notification).values(email_state="none"))  # only the alerts matter here
    task_cases.complete(rt, actor_named(rt, "staff1"), report.id, REPORT)
    with rt.db.session() as session:  # the triage task's mail to the role's holders is another test's
        session.execute(
            update(Notification).where(Notification.kind != "incident_alert").values(email_state="none")
        )
    assert {n.email_state for n in _alerts(rt)} == {"pending"} and len(_alerts(rt)) == 2

    # Nobody listens yet: the mails stay queued with a later retry time, not lost.
    assert mailer.send_pending(rt) == 0
    assert {(n.email_state, n.email_attempts) for n in _alerts(rt)} == {("pending", 1)}
    assert mailer.send_pending(rt) == 0  # not due again yet: nothing is tried
    assert {n.email_attempts for n in _alerts(rt)} == {1}

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with rt.db.session() as session:  # the retry time has come
            session.execute(update(Notification).values(email_next_at=None))
        assert mailer.send_pending(rt) == 2
        assert mailer.send_pending(rt) == 0
    finally:
        controller.stop()
    received = {str(m["To"]): m for m in handler.messages}  # type: ignore[index]
    assert set(received) == {"director@school.local", "responsible@school.local"}
    mail = received["director@school.local"]
    subject = str(make_header(decode_header(mail["Subject"])))  # type: ignore[index]
    assert subject.startswith("Шұғыл")
    body = mail.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    assert "staff1" not in body and "data_disclosure" in body
    rt.db.dispose()


def test_a_mail_that_keeps_failing_is_marked_failed(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["deploy"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    start_process(rt, actor_named(rt, "staff1"), "incident_escalation")  # queues one assignment mail
    for _ in range(mailer.MAX_ATTEMPTS):
        with rt.db.session() as session:
            session.execute(update(Notification).values(email_next_at=None))
        mailer.send_pending(rt)
    with rt.db.session() as session:
        note = session.execute(select(Notification)).scalar_one()
        assert (note.email_state, note.email_attempts) == ("failed", mailer.MAX_ATTEMPTS)
    rt.db.dispose()


def test_mail_server_setting_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from service.config import load_settings

    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.delenv("SMTP_PORT", raising=False)
    monkeypatch.setenv("MAIL_SERVER", "mail.school.kz")
    monkeypatch.setenv("MAIL_PORT", "2525")
    settings = load_settings(tmp_path)
    assert (settings["SMTP_HOST"], settings["SMTP_PORT"]) == ("mail.school.kz", 2525)
