"""The annual report's pure rules: school-year boundaries in the school's zone, medians, snapshots, texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from service.features.reports.documents.docx import render_report_docx
from service.features.reports.documents.pdf import ReportDocument, render_report_pdf, report_tables
from service.features.reports.rules import (
    NARRATIVE_MAX_CHARS,
    AckRate,
    AmendmentFigures,
    AnnualFigures,
    IncidentFigures,
    OrderFigures,
    OrderLine,
    SchoolYear,
    ToolFigures,
    check_narrative,
    figures_from_json,
    median_days,
    school_year_of,
)

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5 (no daylight saving since 2024)


def test_a_school_year_runs_from_1_september_to_31_august() -> None:
    year = SchoolYear(2025)
    assert (year.first_day, year.last_day, year.label) == (date(2025, 9, 1), date(2026, 8, 31), "2025–2026")
    assert year.contains(date(2026, 8, 31)) and not year.contains(date(2026, 9, 1))
    assert school_year_of(date(2026, 8, 31), ALMATY) == SchoolYear(2025)
    assert school_year_of(date(2026, 9, 1), ALMATY) == SchoolYear(2026)
    assert school_year_of(date(2026, 1, 15), ALMATY) == SchoolYear(2025)


def test_boundaries_are_local_midnight_in_almaty() -> None:
    begin, end = SchoolYear(2025).bounds(ALMATY)
    assert begin == datetime(2025, 8, 31, 19, 0, tzinfo=UTC)
    assert end == datetime(2026, 8, 31, 19, 0, tzinfo=UTC)
    # 20:00 UTC on 31 August is already 1 September in Almaty: the next school year.
    assert school_year_of(datetime(2026, 8, 31, 20, 0, tzinfo=UTC), ALMATY) == SchoolYear(2026)
    assert school_year_of(datetime(2026, 8, 31, 18, 59, tzinfo=UTC), ALMATY) == SchoolYear(2025)
    # In UTC itself the same moment is still August.
    assert school_year_of(datetime(2026, 8, 31, 20, 0, tzinfo=UTC), UTC) == SchoolYear(2025)


def test_median_days_of_spans() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    spans = [(start, start + timedelta(days=d)) for d in (1, 3, 10)]
    assert median_days(spans) == 3.0
    assert median_days([*spans, (start, start + timedelta(days=4))]) == 3.5
    assert median_days([(start, start + timedelta(hours=6))]) == 0.2  # one decimal
    assert median_days([]) is None


def _figures() -> AnnualFigures:
    return AnnualFigures(
        year=2025,
        orders=OrderFigures(
            {"ai_ethics": 2, "other": 1},
            [OrderLine("01-05/1", "2025-10-02", "ЖИ туралы", "ai_ethics")],
        ),
        tools=ToolFigures(
            {"permitted": 1, "permitted_with_restrictions": 0, "rejected": 2}, {"permitted": 1}
        ),
        incidents=IncidentFigures(4, {"other": 4}, {"resolved": 2}, {"training": 1}, 2.5, 1),
        amendments=AmendmentFigures(1, {"ai_regulation": 1}, 2, 1),
        order_acknowledgements=AckRate(30, 27),
        edition_acknowledgements=AckRate(0, 0),
        extra={"plan_completion": None, "survey_results": None},
    )


def test_totals_rates_and_the_snapshot_round_trip() -> None:
    figures = _figures()
    assert figures.orders.total == 3
    assert figures.order_acknowledgements.percent == 90
    assert figures.edition_acknowledgements.percent is None  # nothing to acknowledge: no rate, not 0 %
    body = figures.as_json()
    assert body["orders"]["total"] == 3 and body["order_acknowledgements"]["percent"] == 90
    assert figures_from_json(figures.dumps()) == figures
    assert figures_from_json(figures.dumps()).dumps() == figures.dumps()


def test_narrative_may_be_empty_in_a_draft_but_not_when_finalizing() -> None:
    empty = {"achievements": "", "problems": " ", "recommendations": "x"}
    assert check_narrative(empty, finalizing=False) == {}
    problems = check_narrative(empty, finalizing=True)
    assert {k: v.code for k, v in problems.items()} == {"achievements": "required", "problems": "required"}
    long = {"achievements": "a" * (NARRATIVE_MAX_CHARS + 1)}
    assert check_narrative(long, finalizing=False)["achievements"].code == "max_length"


def _document(final: bool) -> ReportDocument:
    return ReportDocument(
        school_name="№ 1 мектеп",
        year_label="2025–2026",
        figures=_figures(),
        labels={"order_type": {"ai_ethics": "ЖИ этикасы"}, "incident_type": {"other": "басқа"}},
        narrative={"achievements": "Жетістік", "problems": "Мәселе", "recommendations": "Ұсыныс"},
        final=final,
        finalized="01.06.2026, Жауапты тұлға" if final else "",
        created=datetime(2026, 6, 1, 5, 0, tzinfo=UTC),
        # What the registry's report sections give the document (features/reports/exports.document_of).
        extra_titles={"plan_completion": "Жоспардың орындалуы", "survey_results": "Сауалнама нәтижелері"},
    )


def test_documents_are_deterministic_and_say_no_data_for_missing_sections() -> None:
    doc = _document(final=True)
    assert render_report_pdf(doc) == render_report_pdf(doc)
    assert render_report_docx(doc) == render_report_docx(doc)
    captions = [t.caption for t in report_tables(doc)]
    assert captions[-2:] == ["6. Жоспардың орындалуы", "7. Сауалнама нәтижелері"]
    assert report_tables(doc)[-1].rows == (("Деректер жоқ", "—"),)
    assert render_report_pdf(_document(final=False)) != render_report_pdf(doc)
