"""The meetings register as exported rows (CSV, XLSX): the filtered list the reader may see."""

from __future__ import annotations

from dataclasses import replace

from service.features.meetings import access
from service.features.meetings import queries as mq
from service.features.meetings.queries import MeetingFilter
from service.features.meetings.reads import check_filter, with_year
from service.platform.runtime import Actor, Runtime

# Column codes; the web module names them in the reader's language.
EXPORT_COLUMNS = [
    "id",
    "kind",
    "number",
    "year",
    "date",
    "time",
    "title",
    "place",
    "chair",
    "secretary",
    "status",
    "plan_item",
    "approved_at",
]


def export_rows(rt: Runtime, actor: Actor, flt: MeetingFilter) -> list[list[object]]:
    check_filter(flt)
    everything = actor.has(*access.OVERSEERS)
    flt = with_year(rt, replace(flt, offset=0))
    with rt.db.session() as session:
        rows, _total = mq.list_meetings(session, flt, reader=None if everything else actor.username)
        names = mq.full_names(session, [u for m in rows for u in (m.chair, m.secretary)])
        out: list[list[object]] = []
        for m in rows:
            local = m.starts_at.astimezone(rt.tz)
            out.append(
                [
                    m.id,
                    m.kind,
                    m.number or "",
                    m.number_year or "",
                    local.date(),
                    local.strftime("%H:%M"),
                    m.title,
                    m.place or m.online_link,
                    names.get(m.chair, m.chair),
                    names.get(m.secretary, m.secretary),
                    m.status,
                    m.plan_item or "",
                    m.approved_at.astimezone(rt.tz) if m.approved_at else "",
                ]
            )
        return out
