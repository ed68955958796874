"""Notification e-mail goes through a real SMTP server (aiosmtpd) after the change commits."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import update

from service.platform.inbox.instances import start_process
from service.platform.notify import mailer
from service.platform.persistence.models import User
from service.platform.runtime import Runtime
from tests.conftest import actor_named, make_app


class Inbox(Message):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def handle_message(self, message: object) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def mailing_app(
    db_url: str, tmp_path: Path, commands: tuple[str, ...] = ("demo", "deploy")
) -> Iterator[tuple[Runtime, Inbox]]:
    """An application whose mail goes to a real SMTP server started here; `commands` seed it."""
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        runner = app.test_cli_runner()
        for command in commands:
            assert runner.invoke(args=[command]).exit_code == 0
        rt: Runtime = app.extensions["runtime"]
        try:
            yield rt, handler
        finally:
            rt.db.dispose()
    finally:
        controller.stop()


def test_assignment_mail_is_sent_once(db_url: str, tmp_path: Path) -> None:
    with mailing_app(db_url, tmp_path) as (rt, handler):
        start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
        assert mailer.send_pending(rt) == 1
        assert mailer.send_pending(rt) == 0  # marked sent, never twice
        assert len(handler.messages) == 1
        mail = handler.messages[0]
        assert mail["To"] == "wg_deputy@school.local"  # type: ignore[index]
        subject = str(make_header(decode_header(mail["Subject"])))  # type: ignore[index]
        assert subject.startswith("Жаңа тапсырма")


def test_a_russian_readers_assignment_mail_names_the_step_in_russian(db_url: str, tmp_path: Path) -> None:
    with mailing_app(db_url, tmp_path) as (rt, handler):
        with rt.db.session() as session:
            session.execute(update(User).where(User.username == "wg_deputy").values(language="ru"))
        start_process(rt, actor_named(rt, "wg_deputy"), "order_drafting")
        assert mailer.send_pending(rt) == 1
        mail = handler.messages[0]
        subject = str(make_header(decode_header(mail["Subject"])))  # type: ignore[index]
        assert subject.endswith(": Проект приказа"), subject
        body = mail.get_payload(decode=True).decode("utf-8")  # type: ignore[attr-defined]
        assert "Проект приказа" in body and "Бұйрық жобасын дайындау" not in body
