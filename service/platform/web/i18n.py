"""Language and time zone selection, and the translated texts of error codes."""

from __future__ import annotations

import json
from typing import Any

from flask import g, request, session
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from service.platform.errors import FieldError
from service.platform.web.context import LANGUAGES, runtime

FIELD_MESSAGES: dict[str, Any] = {
    "required": lazy_gettext("This field is required."),
    "type": lazy_gettext("This value has the wrong type."),
    "enum": lazy_gettext("Choose one of the offered options."),
    "min_length": lazy_gettext("Too short: at least %(limit)s characters."),
    "max_length": lazy_gettext("Too long: at most %(limit)s characters."),
    "minimum": lazy_gettext("Must be at least %(limit)s."),
    "maximum": lazy_gettext("Must be at most %(limit)s."),
    "pattern": lazy_gettext("The format is not valid."),
    "date": lazy_gettext("Enter a real date (YYYY-MM-DD)."),
    "file": lazy_gettext("The attachment is not valid."),
    "file_not_yours": lazy_gettext("Attach a file you uploaded yourself."),
    "unknown_field": lazy_gettext("This form has no such field."),
    "unknown_user": lazy_gettext("No such user."),
    "not_in_role": lazy_gettext("This person does not hold the task's role."),
    "wrong_password": lazy_gettext("The current password is not right."),
    "throttled": lazy_gettext("Too many attempts. Please wait."),
    "invalid": lazy_gettext("This value is not valid."),
    "evidence_not_found": lazy_gettext("Nothing with this reference was found among what you may see."),
    "same_version": lazy_gettext("Choose a version other than the one the instances are on."),
    "too_many": lazy_gettext("Too many: at most %(limit)s."),
    "unknown_step": lazy_gettext("A step in the mapping is not in the version."),
    "duration": lazy_gettext("Enter a duration such as P3D (three days) or PT12H (twelve hours)."),
    "fraction": lazy_gettext("Enter a share such as 1/2 or 2/3."),
    "same_person": lazy_gettext("Choose someone other than the person who is away."),
    "before_start": lazy_gettext("The last day cannot come before the first."),
    "in_the_past": lazy_gettext("The last day has already passed."),
    "too_long": lazy_gettext("At most %(limit)s days."),
}


def select_locale() -> str:
    user = getattr(current_user, "user", None) if current_user else None
    if user is not None and user.language in LANGUAGES:
        return str(user.language)
    api_actor = g.get("api_actor")
    if api_actor is not None and api_actor.language in LANGUAGES:
        return str(api_actor.language)
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    # Kazakh first: a browser's wish is followed only for Kazakh or Russian; English is chosen explicitly.
    return request.accept_languages.best_match(("kk", "ru")) or "kk"


def select_timezone() -> str:
    return runtime().timezone


def field_message(error: FieldError) -> str:
    template = FIELD_MESSAGES.get(error.code, FIELD_MESSAGES["invalid"])
    params = {"limit": error.params.get("limit", "")}
    return str(template) % params if "%(" in str(template) else str(template)


def field_messages(fields: dict[str, FieldError]) -> dict[str, str]:
    return {name: field_message(err) for name, err in fields.items()}


def localized_title(title_i18n: str, lang: str, fallback: str) -> str:
    """A task's title in the reader's language, from the form titles captured in the inbox row."""
    try:
        titles = json.loads(title_i18n or "{}")
    except ValueError:
        return fallback
    return str(titles.get(lang) or titles.get("kk") or fallback)


def current_language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale.language) if locale else "kk"


_ = gettext
