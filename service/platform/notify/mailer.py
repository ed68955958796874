"""Sends queued notification e-mails over SMTP after the transactions that queued them committed."""

from __future__ import annotations

import json
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import or_, select

from service.platform.clock import utcnow
from service.platform.notify.texts import catalog
from service.platform.persistence.models import Notification, User
from service.platform.roles import role_name
from service.platform.runtime import Runtime

log = logging.getLogger(__name__)

SUBJECTS = {
    "task_assigned": {"kk": "Жаңа тапсырма", "ru": "Новая задача", "en": "New task"},
    "reminder": {"kk": "Еске салу", "ru": "Напоминание", "en": "Reminder"},
    "task_withdrawn": {"kk": "Тапсырма алынып тасталды", "ru": "Задача отозвана", "en": "Task withdrawn"},
    "task_waiting": {
        "kk": "Рөліңізге тапсырма күтуде",
        "ru": "Задача ждёт вашу роль",
        "en": "A task is waiting for your role",
    },
    "task_unheld": {
        "kk": "Тапсырма ешкімде жоқ рөлді күтуде",
        "ru": "Задача ждёт роль, которой ни у кого нет",
        "en": "A task is waiting for a role nobody holds",
    },
    "audit_checkpoint": {
        "kk": "Аудит журналының тәуліктік бақылау нүктесі",
        "ru": "Суточная контрольная точка журнала аудита",
        "en": "Daily checkpoint of the audit log",
    },
}
# A failed send is retried after 1, 2, 4, 8 minutes; then it is marked failed for good.
MAX_ATTEMPTS = 5


def _link(rt: Runtime, path: str) -> str:
    return f"{str(rt.settings.get('PUBLIC_URL') or '').rstrip('/')}{path}"


def _digest(rt: Runtime, lang: str, params: dict[str, Any]) -> tuple[str, str]:
    """The daily digest: counts, then one line per listed task with its link."""
    t = catalog(str(rt.settings.get("BABEL_TRANSLATION_DIRECTORIES") or ""), lang)
    subject = t.gettext("Daily summary")
    counts = t.gettext(
        "%(mine)s assigned to you, %(waiting)s waiting for your roles, %(overdue)s overdue"
    ) % {
        "mine": params.get("mine", 0),
        "waiting": params.get("waiting", 0),
        "overdue": params.get("overdue", 0),
    }
    lines = [f"{subject}: {counts}", ""]
    for task in params.get("tasks") or []:
        titles = task.get("titles") or {}
        name = titles.get(lang) or titles.get("kk") or task.get("task", "")
        mark = f" ({t.gettext('overdue')})" if task.get("overdue") else ""
        lines.append(f"- {name} — {task.get('instance', '')}{mark}")
        lines.append(f"  {_link(rt, '/tasks/' + str(task.get('id')))}")
    lines += ["", _link(rt, "/")]
    return f"{subject}: {counts}", "\n".join(lines) + "\n"


def _message(rt: Runtime, note: Notification, user: User) -> EmailMessage:
    params = json.loads(note.body or "{}")
    lang = user.language if user.language in ("kk", "ru", "en") else "kk"
    kind = rt.features.notification_kinds.get(note.kind)
    subjects = kind.subjects if kind is not None else SUBJECTS.get(note.kind, {})
    title = subjects.get(lang, note.kind)
    msg = EmailMessage()
    msg["From"] = rt.mail_from
    msg["To"] = str(user.email)
    if note.kind == "digest":
        subject, body = _digest(rt, lang, params)
    elif kind is not None and kind.mail is not None:
        # The reader's language travels with the params, for texts a feature keeps per language.
        subject, body = kind.mail(title, {**params, "lang": lang})
    elif note.kind == "audit_checkpoint":
        # Kept by the director outside the database: what `audit verify` compares the chain with.
        subject = f"{title}: {params.get('date', '')}"
        lines = (title, "", str(params.get("date", "")), f"events: {params.get('events', '')}")
        body = "\n".join((*lines, f"head: {params.get('head', '')}", ""))
    else:
        titles = params.get("titles") or {}  # the step's title by language, when the note kept it
        task = titles.get(lang) or titles.get("kk") or params.get("task") or ""
        subject = f"{title}: {task or note.subject}"
        body = f"{title}\n\n{task}\n{params.get('instance', '')}\n"
        if params.get("roles"):
            body += ", ".join(role_name(r, lang) for r in params["roles"]) + "\n"
    if note.task_id is not None:
        # Every message about a task carries the way to it.
        body += f"\n{_link(rt, f'/tasks/{note.task_id}')}\n"
    elif str(params.get("path") or "").startswith("/"):
        # A feature's notice names the page it is about (an order, an incident, a consultation).
        body += f"\n{_link(rt, str(params['path']))}\n"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def send_pending(rt: Runtime, limit: int = 50) -> int:
    """Send up to `limit` queued mails; each is marked sent or failed in its own transaction."""
    if not rt.smtp_host:
        return 0
    sent = 0
    with rt.db.session() as session:
        now = utcnow()
        query = (
            select(Notification)
            .where(
                Notification.email_state == "pending",
                or_(Notification.email_next_at.is_(None), Notification.email_next_at <= now),
            )
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
                note.email_attempts = (note.email_attempts or 0) + 1
                if note.email_attempts >= MAX_ATTEMPTS:
                    log.warning("mail to %s failed for good: %s", user.email, err)
                    note.email_state = "failed"
                else:
                    log.info("mail to %s failed, will retry: %s", user.email, err)
                    note.email_next_at = now + timedelta(minutes=2 ** (note.email_attempts - 1))
    return sent
