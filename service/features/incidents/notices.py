"""Incident notifications: the data-disclosure alert, a triage gone overdue, the outcome for the reporter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def incident_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The e-mail names the incident's number, type and tool, never the reporter (it may be anonymous)."""
    number = params.get("incident", "")
    body = f"{title}\n\n#{number} {params.get('type', '')} {params.get('tool', '')}\n"
    return f"{title}: #{number}", body


def outcome_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """To the reporter: the journal number and the outcome in their language, nothing about who decided."""
    number = params.get("number") or f"#{params.get('incident', '')}"
    names = params.get("outcome_names") or {}
    outcome = names.get(str(params.get("lang") or "kk")) or names.get("kk") or params.get("outcome", "")
    return f"{title}: {number}", f"{title}\n\n{number}: {outcome}\n"


KINDS: dict[str, NotificationKind] = {
    "incident_alert": NotificationKind(
        subjects={
            "kk": "Шұғыл: дербес деректердің жария болуы туралы хабарлама",
            "ru": "Срочно: сообщение о раскрытии персональных данных",
            "en": "Urgent: personal data disclosure reported",
        },
        template="incidents/notifications/alert.html",
        mail=incident_mail,
    ),
    "incident_triage_overdue": NotificationKind(
        subjects={
            "kk": "Инцидент уақытында сараланбады",
            "ru": "Инцидент не рассмотрен в срок",
            "en": "Incident not triaged in time",
        },
        template="incidents/notifications/triage_overdue.html",
        mail=incident_mail,
    ),
    "incident_outcome": NotificationKind(
        subjects={
            "kk": "Сіз хабарлаған инцидент бойынша шешім",
            "ru": "Решение по инциденту, о котором вы сообщили",
            "en": "The outcome of the incident you reported",
        },
        template="incidents/notifications/outcome.html",
        mail=outcome_mail,
    ),
}
