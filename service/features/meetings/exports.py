"""The meetings register as exported rows (CSV, XLSX): the filtered list the reader may see."""

from __future__ import annotations

from dataclasses import replace

from service.features.meetings import access
from service.features.meetings import queries as mq
from service.features.meetings.queries import MeetingFilter
from service.features.meetings.reads import check_filter, with_year
from service.platform.runtime import Actor, Runtime


def export_rows(rt: Runtime, actor: Actor, flt: MeetingFilter) -> list[dict[str, object]]:
    """The filtered register the reader may see, by export column (web.EXPORT); kinds and statuses as
    codes, times as stored (the export shows them in the school's zone)."""
    check_filter(flt)
    everything = actor.has(*access.OVERSEERS)
    flt = with_year(rt, replace(flt, offset=0))
    with rt.db.session() as session:
        rows, _total = mq.list_meetings(session, flt, reader=None if everything else actor.username)
        names = mq.full_names(session, [u for m in rows for u in (m.chair, m.secretary)])
        return [
            {
                "id": m.id,
                "kind": m.kind,
                "number": m.number or "",
                "year": m.number_year or "",
                "date": m.starts_at,
                "time": m.starts_at,
                "title": m.title,
                "place": m.place or m.online_link,
                "chair": names.get(m.chair, m.chair),
                "secretary": names.get(m.secretary, m.secretary),
                "status": m.status,
                "plan_item": m.plan_item or "",
                "approved_at": m.approved_at or "",
            }
            for m in rows
        ]
