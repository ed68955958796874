"""Jinja globals and filters: dates in the school's zone, localized titles, inbox badges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_timedelta, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from service.platform import formats
from service.platform.clock import utcnow
from service.platform.documents.emphasis import runs
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.queries import BADGE_CAP
from service.platform.notify import news as inbox_news
from service.platform.roles import role_name
from service.platform.web import timeline
from service.platform.web.context import LANGUAGES, actor, runtime
from service.platform.web.i18n import current_language, localized_title


def _dt(value: datetime | None, fmt: str = "short") -> str:
    """A moment in the school's zone, in the one short form of pages ("04.12.2026 09:05"); `fmt` is
    kept for old templates and no longer changes the form."""
    return formats.short_datetime(value, current_language(), get_timezone()) if value else "—"


def _date(value: Any) -> str:
    if isinstance(value, str) and value:
        try:  # a date kept as ISO text (a notification's params)
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return formats.short_date(value, current_language()) if value else "—"


def _long_date(value: Any) -> str:
    """A date in words, for headings and documents ("2026 жылғы 4 желтоқсан")."""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone()).date()
    return formats.long_date(value, current_language()) if value else "—"


def _number(value: float | None, digits: int = 1) -> str:
    return formats.decimal(value, current_language(), digits)


def _age(value: datetime | None) -> str:
    """How long something has waited, in words of the page's language ("3 days")."""
    return format_timedelta(utcnow() - value, threshold=1.1) if value else "—"


def _overdue(value: datetime | None) -> bool:
    return value is not None and value < utcnow()


def _emphasis(text: str | None) -> Markup:
    """Regulation text with its `**bold**` and `*italic*` as <strong> and <em>; the rest escaped."""
    parts = []
    for run in runs(text or ""):
        piece = escape(run.text)
        if "I" in run.style:
            piece = Markup("<em>%s</em>") % piece
        if "B" in run.style:
            piece = Markup("<strong>%s</strong>") % piece
        parts.append(piece)
    return Markup("").join(parts)


def init_templates(app: Flask) -> None:
    app.jinja_env.filters["dt"] = _dt
    app.jinja_env.filters["d"] = _date
    app.jinja_env.filters["age"] = _age
    app.jinja_env.filters["emphasis"] = _emphasis
    app.jinja_env.filters["long_date"] = _long_date
    app.jinja_env.filters["num"] = _number
    app.jinja_env.globals["overdue"] = _overdue
    app.jinja_env.globals["role_name"] = lambda code: role_name(code, current_language())
    app.jinja_env.filters["role_label"] = lambda code: role_name(code, current_language())
    app.jinja_env.globals["task_title"] = lambda t: localized_title(t.title_i18n, current_language(), t.name)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["action_name"] = timeline.action_name
    app.jinja_env.globals["decision_name"] = timeline.decision_name
    app.jinja_env.globals["status_name"] = timeline.status_name
    app.jinja_env.globals["process_name"] = timeline.process_name
    app.jinja_env.globals["instance_title"] = timeline.instance_title
    app.jinja_env.globals["matter_title"] = timeline.matter_title
    app.jinja_env.globals["in_language"] = timeline.in_language

    @app.context_processor
    def _common() -> dict[str, Any]:
        lang = current_language()
        school_name = runtime().school_name_in(lang) or _("School")
        context: dict[str, Any] = {"lang": lang, "school_name": school_name}
        if current_user.is_authenticated:
            me = actor()
            mine, claimable = task_cases.inbox_counts(runtime(), me)
            context.update(
                me=me,
                feature_links=[link for link in runtime().features.all("nav_links") if link.visible(me)],
                count_mine=mine,
                count_claimable=claimable,
                count_unread=inbox_news.unread_count(runtime(), me, cap=BADGE_CAP),
            )
        return context
