"""The annual report on introducing AI ("Жасанды интеллектті енгізу бойынша жылдық есеп") as PDF, in Kazakh.

`report_tables` turns the figures into captioned tables once, for the PDF here and the DOCX in
`annual_report_docx.py`. The creation date is the moment of finalization (of the last save for a draft),
so a finalized report always renders to the same bytes and the SHA-256 in the audit log verifies a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from service.features.reports.rules import AckRate, AnnualFigures
from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import new_pdf
from service.platform.documents.pdf_text import write_line
from service.platform.formats import decimal

TITLE = "Жасанды интеллектті енгізу бойынша жылдық есеп"
NO_DATA_TEXT = "Деректер жоқ"
DRAFT_MARK = "ЖОБА (қорытындыланбаған)"
TOOL_STATUSES = {
    "permitted": "рұқсат етілген",
    "permitted_with_restrictions": "шектеулермен рұқсат етілген",
    "rejected": "қабылданбаған",
    "under_review": "қаралуда",
    "withdrawn": "алынып тасталған",
}
NARRATIVE_HEADINGS = {
    "achievements": "Жетістіктер",
    "problems": "Мәселелер",
    "recommendations": "Ұсынымдар",
}


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # mm on A4 less the margins (170 mm)


@dataclass(frozen=True)
class ReportDocument:
    school_name: str
    year_label: str
    figures: AnnualFigures
    # Labels of coded values in Kazakh, from the deployed forms: order_type, incident_type, decision.
    labels: dict[str, dict[str, str]]
    narrative: dict[str, str]
    final: bool
    finalized: str  # "dd.mm.yyyy, full name" once finalized, else ""
    created: datetime
    # Titles and row names (code → name) of the sections the features feed, in Kazakh.
    extra_titles: dict[str, str] = field(default_factory=dict)
    extra_row_names: dict[str, dict[str, str]] = field(default_factory=dict)
    anchor: str = ""  # the audit chain's length and head hash at finalization, once finalized


def _rate(rate: AckRate) -> str:
    return f"{rate.done} / {rate.total} ({rate.percent}%)" if rate.percent is not None else NO_DATA_TEXT


def _pairs(counts: dict[str, int], labels: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    rows = tuple((labels.get(k, k) or "—", str(n)) for k, n in sorted(counts.items()))
    return rows or ((NO_DATA_TEXT, "0"),)


def report_tables(doc: ReportDocument) -> list[Table]:
    """The figures as captioned tables, in the order of the report."""
    f, lb = doc.figures, doc.labels
    order_type, incident_type, decision = (
        lb.get("order_type", {}),
        lb.get("incident_type", {}),
        lb.get("decision", {}),
    )
    outcomes = {"resolved": "шешілді (жедел шара)", **decision}
    median = f.incidents.median_days_to_decision
    tables = [
        Table(
            "1. Тіркелген бұйрықтар (түрлері бойынша)",
            ("Түрі", "Саны"),
            _pairs(f.orders.by_type, order_type),
            (130, 40),
        ),
        Table(
            "Бұйрықтар тізімі",
            ("Нөмірі", "Күні", "Атауы", "Түрі"),
            tuple(
                (o.number, _date(o.registered_on), o.title, order_type.get(o.order_type, o.order_type))
                for o in f.orders.orders
            )
            or (("—", "—", NO_DATA_TEXT, "—"),),
            (25, 25, 80, 40),
        ),
        Table(
            "2. Бағаланған ЖИ құралдары (жыл ішіндегі шешімдер)",
            ("Нәтиже", "Саны"),
            _pairs(f.tools.evaluated, TOOL_STATUSES),
            (130, 40),
        ),
        Table(
            "Құралдар тізілімі (қазіргі жағдай)",
            ("Мәртебесі", "Саны"),
            _pairs(f.tools.register, TOOL_STATUSES),
            (130, 40),
        ),
        Table(
            "3. Инциденттер (тек жиынтық көрсеткіштер)",
            ("Көрсеткіш", "Мәні"),
            (
                ("Барлығы тіркелді", str(f.incidents.total)),
                ("Ашық (жабылмаған)", str(f.incidents.open)),
                ("Шешімге дейінгі медиана, күн", NO_DATA_TEXT if median is None else decimal(median, "kk")),
            ),
            (130, 40),
        ),
        Table(
            "Инциденттер түрлері бойынша",
            ("Түрі", "Саны"),
            _pairs(f.incidents.by_type, incident_type),
            (130, 40),
        ),
        Table(
            "Инциденттер нәтижесі бойынша",
            ("Нәтиже", "Саны"),
            _pairs(f.incidents.by_outcome, outcomes),
            (130, 40),
        ),
        Table("Кеңес шешімдері", ("Шешім", "Саны"), _pairs(f.incidents.by_decision, decision), (130, 40)),
        Table(
            "4. Локалдық актілерге өзгерістер",
            ("Көрсеткіш", "Мәні"),
            (
                ("Жарияланған жаңа редакциялар", str(f.amendments.editions_published)),
                ("Ұсынылған өзгерістер", str(f.amendments.proposed)),
                ("Тоқтатылған өзгерістер", str(f.amendments.dropped)),
                *(
                    (f"Акт: {lb.get('act', {}).get(code, code)}", str(n))
                    for code, n in sorted(f.amendments.acts.items())
                ),
            ),
            (130, 40),
        ),
        Table(
            "5. Танысу көрсеткіштері",
            ("Құжат", "Танысқандар"),
            (
                ("Бұйрықтар", _rate(f.order_acknowledgements)),
                ("Актілердің жаңа редакциялары", _rate(f.edition_acknowledgements)),
            ),
            (110, 60),
        ),
    ]
    for number, (key, rows) in enumerate(sorted(f.extra.items()), start=6):
        names = doc.extra_row_names.get(key, {})
        body = tuple((names.get(k, k), str(v)) for k, v in rows.items()) if rows else ((NO_DATA_TEXT, "—"),)
        tables.append(
            Table(f"{number}. {doc.extra_titles.get(key, key)}", ("Көрсеткіш", "Мәні"), body, (130, 40))
        )
    return tables


def _date(iso: str) -> str:
    return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}" if len(iso) == 10 else iso


def render_report_pdf(doc: ReportDocument) -> bytes:
    pdf = new_pdf(f"{TITLE} {doc.year_label}", created=doc.created, author=doc.school_name)
    pdf.add_page()
    write_line(pdf, doc.school_name, size=11, align="C")
    write_line(pdf, TITLE, size=15, style="B", align="C", h=9)
    write_line(pdf, f"{doc.year_label} оқу жылы", size=12, align="C")
    if not doc.final:
        write_line(pdf, DRAFT_MARK, size=11, style="B", align="C")
    for table in report_tables(doc):
        pdf.ln(3)
        write_line(pdf, table.caption, size=12, style="B")
        pdf.set_font(FAMILY, "", 9.5)
        with pdf.table(col_widths=table.widths, first_row_as_headings=True) as grid:
            grid.row([printable(h) for h in table.header])
            for row in table.rows:
                grid.row([printable(cell) for cell in row])
    for key, heading in NARRATIVE_HEADINGS.items():
        pdf.ln(3)
        write_line(pdf, heading, size=12, style="B")
        write_line(pdf, doc.narrative.get(key) or "—", size=11)
    if doc.finalized:
        pdf.ln(4)
        write_line(pdf, f"Қорытындылады: {doc.finalized}", size=10)
        if doc.anchor:
            write_line(pdf, doc.anchor, size=7)
    return bytes(pdf.output())
