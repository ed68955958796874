"""The incident notifications: an urgent data-disclosure alert and a triage gone overdue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def incident_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The e-mail names the incident's number, type and tool, never the reporter (it may be anonymous)."""
    number = params.get("incident", "")
    body = f"{title}\n\n#{number} {params.get('type', '')} {params.get('tool', '')}\n"
    return f"{title}: #{number}", body


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
}
