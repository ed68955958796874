"""Consultation notices: a new request for the responsible person, the scheduled date for the teacher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def consultation_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The topic, and the date once scheduled; the platform adds the link to the consultation."""
    when = f"\n{params['date']}" if params.get("date") else ""
    who = f"\n{params['staff']}" if params.get("staff") else ""
    return f"{title}: {params.get('topic', '')}", f"{title}\n\n{params.get('topic', '')}{who}{when}\n"


KINDS: dict[str, NotificationKind] = {
    "consultation_requested": NotificationKind(
        subjects={
            "kk": "Жаңа кеңес сұрауы",
            "ru": "Новый запрос на консультацию",
            "en": "A new consultation request",
        },
        template="consultations/notifications/requested.html",
        mail=consultation_mail,
    ),
    "consultation_scheduled": NotificationKind(
        subjects={
            "kk": "Кеңес күні белгіленді",
            "ru": "Консультация назначена",
            "en": "Your consultation is scheduled",
        },
        template="consultations/notifications/scheduled.html",
        mail=consultation_mail,
    ),
}
