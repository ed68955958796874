"""The meetings' section of the annual report: meetings with approved minutes by kind, and the follow-up
tasks due in the school year, how many were done on time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from service.features.meetings import queries as mq
from service.features.meetings import rules
from service.platform.registry import ReportSection
from service.platform.runtime import Runtime

_KIND_NAMES = {
    "working_group": ("жұмыс тобының отырыстары", "заседания рабочей группы", "working group meetings"),
    "council": ("кеңес отырыстары", "заседания совета", "council meetings"),
    "training": ("оқыту семинарлары", "обучающие семинары", "training seminars"),
    "class_hour": ("сынып сағаттары", "классные часы", "class hours"),
    "parents": ("ата-аналар жиналыстары", "родительские собрания", "parents' meetings"),
    "other": ("басқа отырыстар", "другие заседания", "other meetings"),
}
_FOLLOWUP_NAMES = {
    "followups": ("отырыс тапсырмалары", "поручения заседаний", "follow-up tasks"),
    "followups_on_time": ("мерзімінде орындалғаны", "выполнено в срок", "done on time"),
    "followups_late": ("кешігіп орындалғаны", "выполнено с опозданием", "done late"),
    "followups_overdue": ("мерзімі өтіп, орындалмағаны", "просрочено и не выполнено", "overdue, not done"),
}


def _collect(rt: Runtime, session: Session, first_day: date, last_day: date) -> Mapping[str, int] | None:
    """None when the year had no approved minutes and no follow-up due (the report says "no data")."""
    since = datetime.combine(first_day, time(), rt.tz)
    until = datetime.combine(last_day + timedelta(days=1), time(), rt.tz)
    by_kind = mq.counts_by_kind(session, since, until)
    tasks = mq.followup_rows(session, first_day, last_day + timedelta(days=1))
    if not by_kind and not tasks:
        return None
    rows: dict[str, int] = {f"meetings_{kind}": by_kind.get(kind, 0) for kind in rules.KINDS}
    today = datetime.now(rt.tz).date()
    on_time = late = overdue = 0
    for task in tasks:
        if task.status == "done" and task.done_at is not None:
            # Done on time: by the end of the due day in the school's time zone.
            if task.done_at.astimezone(rt.tz).date() <= task.due_on:
                on_time += 1
            else:
                late += 1
        elif task.due_on < today:
            overdue += 1
    rows.update(
        followups=len(tasks), followups_on_time=on_time, followups_late=late, followups_overdue=overdue
    )
    return rows


def _names(table: Mapping[str, tuple[str, str, str]], prefix: str = "") -> dict[str, dict[str, str]]:
    return {f"{prefix}{k}": {"kk": kk, "ru": ru, "en": en} for k, (kk, ru, en) in table.items()}


SECTION = ReportSection(
    titles={"kk": "Отырыстар мен хаттамалар", "ru": "Заседания и протоколы", "en": "Meetings and minutes"},
    collect=_collect,
    row_names={**_names(_KIND_NAMES, "meetings_"), **_names(_FOLLOWUP_NAMES)},
)
