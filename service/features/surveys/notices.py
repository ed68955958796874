"""The notice a survey's audience gets when it opens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def opened_mail(subject: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The survey's title in Kazakh (the e-mail's language is the subject's), and the closing day."""
    title = params.get("title") or {}
    lang = str(params.get("lang") or "kk")
    name = str(title.get(lang) or title.get("kk", "")) if isinstance(title, Mapping) else str(title)
    return f"{subject}: {name}", f"{subject}\n\n{name}\n{params.get('closes_on', '')}\n"


KINDS: dict[str, NotificationKind] = {
    "survey_opened": NotificationKind(
        subjects={"kk": "Жаңа сауалнама", "ru": "Новый опрос", "en": "A new survey"},
        template="surveys/notifications/opened.html",
        mail=opened_mail,
    ),
}
