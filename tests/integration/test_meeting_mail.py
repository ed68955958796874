"""The invitation by e-mail through a real SMTP server (aiosmtpd): subject in the reader's language, the
meeting, its time and place and the numbered agenda in the body, one mail per invitee with an address."""

from __future__ import annotations

from email.header import decode_header, make_header
from pathlib import Path

from service.features.meetings import usecases as meetings
from service.platform.notify import mailer
from tests.conftest import actor_named
from tests.integration.meeting_steps import WG_MEETING, soon
from tests.integration.test_mail import mailing_app


def test_invitations_go_out_by_mail_with_the_agenda(db_url: str, tmp_path: Path) -> None:
    with mailing_app(db_url, tmp_path, ("demo",)) as (rt, handler):
        data = {**WG_MEETING, "invited_roles": [], "invitees": ["ict", "staff1"], "starts_at": soon()}
        meetings.create_meeting(rt, actor_named(rt, "wg_chair"), data)
        assert mailer.send_pending(rt) == 3  # ict, staff1 and the secretary; not the chair who called it
        assert mailer.send_pending(rt) == 0
    received = {str(m["To"]): m for m in handler.messages}  # type: ignore[index]
    assert set(received) == {"ict@school.local", "staff1@school.local", "wg_member@school.local"}
    mail = received["staff1@school.local"]
    subject = str(make_header(decode_header(mail["Subject"])))  # type: ignore[index]
    assert subject.startswith("Отырысқа шақыру") and WG_MEETING["title"] in subject
    body = mail.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    assert "1. Жоспардың І тоқсандағы орындалуы" in body and "2. ЖИ құралдарын бағалау нәтижелері" in body
    assert WG_MEETING["place"] in body
