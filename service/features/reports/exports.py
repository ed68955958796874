"""The annual report's PDF and DOCX, from a report view with Kazakh labels from the deployed forms."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.acts.models import LocalAct
from service.features.incidents import usecases as incident_cases
from service.features.orders.usecases import order_labels
from service.features.reports.documents.docx import render_report_docx
from service.features.reports.documents.pdf import ReportDocument, render_report_pdf
from service.platform.audit import anchor
from service.platform.runtime import Runtime

if TYPE_CHECKING:
    from service.features.reports.usecases import ReportView

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _created(rt: Runtime, view: ReportView) -> datetime:
    """Finalization fixes the date; a draft uses its last save (or the first day of its school year)."""
    if view.final and view.finalized_at is not None:
        return view.finalized_at
    if view.updated_at is not None:
        return view.updated_at
    return datetime.combine(view.year.first_day, time(0), tzinfo=rt.tz)


def document_of(rt: Runtime, session: Session, view: ReportView) -> ReportDocument:
    """The document is in Kazakh whatever the reader's language: it is the school's record."""
    incident_labels = incident_cases.labels(rt, "kk", session)
    acts = dict(session.execute(select(LocalAct.code, LocalAct.title)).all())
    finalized = anchored = ""
    if view.final and view.finalized_at is not None:
        finalized = f"{view.finalized_at.astimezone(rt.tz):%d.%m.%Y}, {view.finalized_by}"
        # The chain as it stood when the report was finalized: the event recording it follows this render.
        event = anchor.latest(session, "report.finalize", detail={"year": view.year.start})
        anchored = (anchor.before(session, event) if event else anchor.current(session)).kazakh_line()
    return ReportDocument(
        school_name=rt.school_name,
        year_label=view.year.label,
        figures=view.figures,
        labels={
            "order_type": order_labels(rt, "kk", session)["order_type"],
            "incident_type": incident_labels["type"],
            "decision": incident_labels["decision"],
            "act": {str(k): str(v) for k, v in acts.items()},
        },
        narrative=view.narrative,
        final=view.final,
        finalized=finalized,
        anchor=anchored,
        created=_created(rt, view),
        extra_titles={key: s.titles.get("kk", key) for key, s in rt.features.report_sections.items()},
        extra_row_names={
            key: {code: names.get("kk", code) for code, names in s.row_names.items()}
            for key, s in rt.features.report_sections.items()
        },
    )


def render_pdf(rt: Runtime, session: Session, view: ReportView) -> bytes:
    return render_report_pdf(document_of(rt, session, view))


def render_docx(rt: Runtime, session: Session, view: ReportView) -> bytes:
    return render_report_docx(document_of(rt, session, view))
