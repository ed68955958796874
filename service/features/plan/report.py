"""The plan's section of the annual report: the year's items counted by status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from service.features.plan import queries as plan_queries
from service.features.plan.rules import STATUSES, item_status
from service.platform.clock import utcnow
from service.platform.registry import ReportSection
from service.platform.runtime import Runtime


def _completion(rt: Runtime, session: Session, first_day: date, last_day: date) -> Mapping[str, int] | None:
    """The plan items of the year by status today, or on its last day once it is over; None: no plan."""
    plan = plan_queries.plan_for_year(session, first_day.year)
    if plan is None:
        return None
    today = min(utcnow().astimezone(rt.tz).date(), last_day)
    rows = dict.fromkeys(STATUSES, 0)
    for item in plan_queries.items_of(session, plan.id):
        rows[item_status(item.due_on, item.done_at is not None, today)] += 1
    return rows


SECTION = ReportSection(
    titles={"kk": "Жоспардың орындалуы", "ru": "Выполнение плана", "en": "Plan completion"},
    collect=_completion,
    row_names={
        "done": {"kk": "орындалды", "ru": "выполнено", "en": "done"},
        "overdue": {"kk": "мерзімі өтті", "ru": "просрочено", "en": "overdue"},
        "due_soon": {"kk": "мерзімі жақын", "ru": "скоро срок", "en": "due soon"},
        "open": {"kk": "орындалуда", "ru": "в работе", "en": "open"},
        "no_date": {"kk": "нақты мерзімі жоқ", "ru": "без точного срока", "en": "no fixed date"},
    },
)
