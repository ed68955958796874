"""The consultations journal as exported rows (CSV, XLSX) and as the paper journal (PDF)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from service.features.consultations import access
from service.features.consultations import queries as consultation_queries
from service.features.consultations.documents import Journal, JournalRow, journal_pdf
from service.features.consultations.models import Consultation
from service.features.consultations.queries import ConsultationFilter
from service.features.consultations.usecases import check_filter
from service.platform.runtime import Actor, Runtime


def _day(row: Consultation) -> date | str:
    return row.held_on or row.scheduled_on or row.preferred_on or ""


def export_rows(rt: Runtime, actor: Actor, flt: ConsultationFilter) -> list[dict[str, object]]:
    """Every row of the filtered journal by export column (web.EXPORT), for the journal's readers only."""
    access.require_reader(actor)
    check_filter(flt)
    with rt.db.session() as session:
        rows, _total = consultation_queries.list_consultations(session, flt, staff_member=None)
        names = consultation_queries.full_names(session, [r.staff_member for r in rows])
        tools = consultation_queries.tool_names(session, [r.tool_id for r in rows])
        return [
            {
                "id": r.id,
                "date": _day(r),
                "staff_member": r.staff_member,
                "full_name": names.get(r.staff_member, r.staff_member),
                "duty": r.duty,
                "topic": r.topic,
                "status": r.status,
                "advice": r.advice or "",
                "tool": tools.get(r.tool_id or 0, ""),
                "walk_in": bool(r.walk_in),
                "preferred_on": r.preferred_on or "",
                "scheduled_on": r.scheduled_on or "",
                "cancel_reason": r.cancel_reason or "",
            }
            for r in rows
        ]


def journal(rt: Runtime, actor: Actor, flt: ConsultationFilter) -> bytes:
    """The paper journal of item 22: only consultations held, oldest first, always in Kazakh."""
    access.require_reader(actor)
    flt = replace(flt, status="held", offset=0)
    with rt.db.session() as session:
        rows, _total = consultation_queries.list_consultations(session, flt, staff_member=None)
        rows.reverse()
        names = consultation_queries.full_names(session, [r.staff_member for r in rows])
        period = ""
        if flt.date_from or flt.date_to:
            ends = (flt.date_from, flt.date_to)
            period = " – ".join(d.strftime("%d.%m.%Y") if d else "…" for d in ends)
        doc = Journal(
            school_name=rt.school_name,
            period=period,
            rows=[
                JournalRow(
                    date=r.held_on.strftime("%d.%m.%Y") if r.held_on else "",
                    staff_member=", ".join(
                        x for x in (names.get(r.staff_member, r.staff_member), r.duty) if x
                    ),
                    topic=r.topic,
                    advice=r.advice or "",
                )
                for r in rows
            ],
            responsible=actor.full_name if actor.has(access.KEEPER) else "",
            created=max((r.updated_at for r in rows), default=None),
        )
    return journal_pdf(doc)
