"""The annual report (plan item 29): figures of a school year, the narrative draft, finalization.

Figures are computed from the registers by aggregate queries (`db/report_queries.py`) while the report
is a draft; finalizing freezes them on the report row, so later incidents or orders do not change it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.features.acts.rules import ACK_KIND as EDITION_ACK_KIND
from service.features.orders.rules import ACK_KIND as ORDER_ACK_KIND
from service.features.reports import queries as report_queries
from service.features.reports.exports import DOCX_MIMETYPE, render_docx, render_pdf
from service.features.reports.models import AnnualReport
from service.features.reports.rules import (
    NARRATIVE_FIELDS,
    NO_DATA,
    AnnualFigures,
    SchoolYear,
    check_narrative,
    figures_from_json,
    school_year_of,
)
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, ValidationFailed
from service.platform.inbox import queries
from service.platform.runtime import Actor, Runtime

READERS = frozenset({"responsible", "wg_chair", "director", "council"})
EDITORS = frozenset({"responsible", "wg_chair"})
FIRST_YEAR = 2020  # no school year before the service existed is worth a report


@dataclass(frozen=True)
class ReportView:
    year: SchoolYear
    figures: AnnualFigures
    narrative: dict[str, str]
    final: bool
    updated_at: datetime | None
    finalized_at: datetime | None
    finalized_by: str  # full name
    pdf_sha256: str | None


def can_read(actor: Actor) -> bool:
    return actor.has(*READERS)


def can_edit(actor: Actor) -> bool:
    return actor.has(*EDITORS)


def current_year(rt: Runtime) -> SchoolYear:
    return school_year_of(utcnow(), rt.tz)


def school_year(rt: Runtime, year: int | None) -> SchoolYear:
    """The school year starting in `year` (the current one when not given); no future years."""
    if year is None:
        return current_year(rt)
    if not FIRST_YEAR <= year <= current_year(rt).start:
        raise ValidationFailed({"year": FieldError("invalid")})
    return SchoolYear(year)


def compute_figures(rt: Runtime, session: Session, year: SchoolYear) -> AnnualFigures:
    tz = rt.tz
    return AnnualFigures(
        year=year.start,
        orders=report_queries.orders(session, year),
        tools=report_queries.tools(session, year, tz),
        incidents=report_queries.incidents(session, year, tz),
        amendments=report_queries.amendments(session, year, tz),
        order_acknowledgements=report_queries.acknowledgements(
            session, year, tz, report_queries.ORDER_ACKNOWLEDGEMENT, ORDER_ACK_KIND
        ),
        edition_acknowledgements=report_queries.acknowledgements(
            session, year, tz, report_queries.EDITION_ACKNOWLEDGEMENT, EDITION_ACK_KIND
        ),
        # Sections fed by the features (plan completion, surveys, ...), in the order they are composed.
        extra={
            key: _counts(section.collect(rt, session, year.first_day, year.last_day))
            for key, section in rt.features.report_sections.items()
        },
    )


def _counts(rows: Mapping[str, int] | None) -> dict[str, int] | None:
    return dict(rows) if rows is not None else NO_DATA


def _full_name(session: Session, username: str | None) -> str:
    if not username:
        return ""
    user = queries.user_by_username(session, username)
    return user.full_name if user is not None else username


def view_of(rt: Runtime, session: Session, year: SchoolYear) -> ReportView:
    row = report_queries.report_row(session, year.start)
    final = row is not None and row.status == "final" and row.figures_json is not None
    figures = (
        figures_from_json(row.figures_json or "") if final and row else compute_figures(rt, session, year)
    )
    return ReportView(
        year=year,
        figures=figures,
        narrative={name: getattr(row, name) if row else "" for name in NARRATIVE_FIELDS},
        final=final,
        updated_at=row.updated_at if row else None,
        finalized_at=row.finalized_at if row else None,
        finalized_by=_full_name(session, row.finalized_by if row else None),
        pdf_sha256=row.pdf_sha256 if row else None,
    )


def annual_report(rt: Runtime, actor: Actor, year: int | None) -> ReportView:
    if not can_read(actor):
        raise Forbidden("the annual report is for the working group, the council and the director")
    school = school_year(rt, year)
    with rt.db.session() as session:
        return view_of(rt, session, school)


def _narrative(values: Mapping[str, object]) -> dict[str, str]:
    return {name: str(values.get(name) or "").replace("\r\n", "\n") for name in NARRATIVE_FIELDS}


def _editable_row(session: Session, actor: Actor, year: SchoolYear) -> AnnualReport:
    row = report_queries.report_row(session, year.start, lock=True)
    if row is None:
        row = AnnualReport(year=year.start, status="draft", updated_by=actor.username)
        session.add(row)
    elif row.status == "final":
        raise Conflict("the report is finalized and can no longer be changed")
    return row


def save_draft(rt: Runtime, actor: Actor, year: int | None, values: Mapping[str, object]) -> ReportView:
    """Save the three texts as a draft (any length up to the limit, empty allowed)."""
    return _save(rt, actor, year, values, finalizing=False)


def finalize(rt: Runtime, actor: Actor, year: int | None, values: Mapping[str, object]) -> ReportView:
    """Save the texts, freeze the figures with who and when, and record the PDF's SHA-256 in the audit log."""
    return _save(rt, actor, year, values, finalizing=True)


def _save(
    rt: Runtime, actor: Actor, year: int | None, values: Mapping[str, object], *, finalizing: bool
) -> ReportView:
    if not can_edit(actor):
        raise Forbidden("only the responsible person and the chair write the report")
    school = school_year(rt, year)
    texts = _narrative(values)
    problems = check_narrative(texts, finalizing=finalizing)
    if problems:
        raise ValidationFailed(problems)
    try:
        with rt.db.session() as session:
            _write(rt, session, actor, school, texts, finalizing=finalizing)
            return view_of(rt, session, school)
    except IntegrityError as err:
        # Two first saves of the same year at once: the unique year refuses the second.
        raise Conflict("the report was just created by someone else; reload") from err


def _write(
    rt: Runtime,
    session: Session,
    actor: Actor,
    school: SchoolYear,
    texts: dict[str, str],
    *,
    finalizing: bool,
) -> None:
    row = _editable_row(session, actor, school)
    for name, text in texts.items():
        setattr(row, name, text)
    row.updated_by, row.updated_at = actor.username, utcnow()
    detail: dict[str, object] = {"year": school.start}
    if finalizing:
        row.figures_json = compute_figures(rt, session, school).dumps()
        row.status, row.finalized_by, row.finalized_at = "final", actor.username, utcnow()
        session.flush()
        # Alone on the audit log from here to commit: the anchor printed now is the one every later
        # download reads back (no other append can still slip in before the finalize event).
        audit.hold_epoch(session, alone=True)
        # The PDF as every later download renders it: from the frozen figures, dated at finalization.
        pdf = render_pdf(rt, session, view_of(rt, session, school))
        row.pdf_sha256 = detail["pdf_sha256"] = hashlib.sha256(pdf).hexdigest()
    action = "report.finalize" if finalizing else "report.draft"
    audit.append(session, actor.username, action, detail=detail, anchored=finalizing)
    session.flush()


def report_file(rt: Runtime, actor: Actor, year: int | None, kind: str) -> tuple[str, bytes, str]:
    """(file name, bytes, MIME type) of the report as PDF or DOCX; a finalized one is byte-identical
    to the PDF whose SHA-256 the audit log holds."""
    if not can_read(actor):
        raise Forbidden("the annual report is for the working group, the council and the director")
    school = school_year(rt, year)
    with rt.db.session() as session:
        view = view_of(rt, session, school)
        name = f"Жылдық есеп {school.label}"
        if kind == "docx":
            return f"{name}.docx", render_docx(rt, session, view), DOCX_MIMETYPE
        return f"{name}.pdf", render_pdf(rt, session, view), "application/pdf"
