"""Meeting notices: the invitation with its agenda, a changed agenda, a follow-up task given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def meeting_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """Subject and text of the e-mail: the meeting, when and where, the agenda; the platform adds the link."""
    lines = [
        title,
        "",
        str(params.get("title", "")),
        str(params.get("when", "")),
        str(params.get("where", "")),
    ]
    agenda = params.get("agenda") or []
    if agenda:
        lines += ["", *[f"{n}. {item}" for n, item in enumerate(agenda, start=1)]]
    if params.get("reason"):
        lines += ["", str(params["reason"])]
    if params.get("task"):
        lines += ["", str(params["task"]), str(params.get("due", ""))]
    return f"{title}: {params.get('title', '')}", "\n".join(lines) + "\n"


KINDS: dict[str, NotificationKind] = {
    "meeting_invited": NotificationKind(
        subjects={"kk": "Отырысқа шақыру", "ru": "Приглашение на заседание", "en": "Invitation to a meeting"},
        template="meetings/notifications/invited.html",
        mail=meeting_mail,
    ),
    "meeting_agenda_changed": NotificationKind(
        subjects={
            "kk": "Отырыстың күн тәртібі өзгерді",
            "ru": "Повестка заседания изменилась",
            "en": "The meeting's agenda has changed",
        },
        template="meetings/notifications/agenda_changed.html",
        mail=meeting_mail,
    ),
    "meeting_rescheduled": NotificationKind(
        subjects={
            "kk": "Отырыстың уақыты немесе орны өзгерді",
            "ru": "Заседание перенесено",
            "en": "The meeting has moved",
        },
        template="meetings/notifications/rescheduled.html",
        mail=meeting_mail,
    ),
    "meeting_cancelled": NotificationKind(
        subjects={"kk": "Отырыс болмайды", "ru": "Заседание отменено", "en": "The meeting is cancelled"},
        template="meetings/notifications/cancelled.html",
        mail=meeting_mail,
    ),
    "meeting_followup": NotificationKind(
        subjects={
            "kk": "Отырыс шешімі бойынша тапсырма",
            "ru": "Поручение по решению заседания",
            "en": "A task from a meeting's decision",
        },
        template="meetings/notifications/followup.html",
        mail=meeting_mail,
    ),
}
