"""Sends queued notification e-mails over SMTP after the transactions that queued them committed."""

from __future__ import annotations

import json
import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy import select

from service.db.models import Notification, User
from service.workflows.runtime import Runtime

log = logging.getLogger(__name__)

SUBJECTS = {
    "task_assigned": {"kk": "Жаңа тапсырма", "ru": "Новая задача", "en": "New task"},
    "reminder": {"kk": "Еске салу", "ru": "Напоминание", "en": "Reminder"},
    "task_withdrawn": {"kk": "Тапсырма алынып тасталды", "ru": "Задача отозвана", "en": "Task withdrawn"},
}


def _message(rt: Runtime, note: Notification, user: User) -> EmailMessage:
    params = json.loads(note.body or "{}")
    lang = user.language if user.language in ("kk", "ru", "en") else "kk"
    title = SUBJECTS.get(note.kind, {}).get(lang, note.kind)
    msg = EmailMessage()
    msg["From"] = rt.mail_from
    msg["To"] = str(user.email)
    msg["Subject"] = f"{title}: {params.get('task') or note.subject}"
    msg.set_content(f"{title}\n\n{params.get('task', '')}\n{params.get('instance', '')}\n")
    return msg


def send_pending(rt: Runtime, limit: int = 50) -> int:
    """Send up to `limit` queued mails; each is marked sent or failed in its own transaction."""
    if not rt.smtp_host:
        return 0
    sent = 0
    with rt.db.session() as session:
        query = (
            select(Notification)
            .where(Notification.email_state == "pending")
            .order_by(Notification.id)
            .limit(limit)
        )
        if rt.db.is_postgres:
            query = query.with_for_update(skip_locked=True)
        notes = list(session.execute(query).scalars())
        for note in notes:
            user = session.get(User, note.user_id)
            if user is None or not user.email:
                note.email_state = "none"
                continue
            try:
                with smtplib.SMTP(rt.smtp_host, rt.smtp_port, timeout=10) as smtp:
                    smtp.send_message(_message(rt, note, user))
                note.email_state = "sent"
                sent += 1
            except (OSError, smtplib.SMTPException) as err:
                log.warning("mail to %s failed: %s", user.email, err)
                note.email_state = "failed"
    return sent
