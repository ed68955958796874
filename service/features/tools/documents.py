"""The commission's conclusion on an AI tool as PDF ("ЖИ бойынша қорытынды"), in Kazakh, PT Serif, A4.

Rendered from plain data only; the creation date is the moment of the last signature, so the same
evaluation always gives the same bytes (its SHA-256 in the audit log then verifies any copy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.numbers import format_decimal
from fpdf.fonts import FontFace

from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import new_pdf
from service.platform.documents.pdf_text import write_line

TITLE = "ЖИ бойынша қорытынды"
CRITERIA = (
    ("security", "Қауіпсіздік"),
    ("data_protection", "Деректерді қорғау"),
    ("functionality", "Функционалдылық"),
    ("limitations", "Шектеулер"),
)


@dataclass(frozen=True)
class MemberVerdict:
    name: str
    ratings: dict[str, int]
    verdict: str  # already a label
    restrictions: str
    signed_at: str  # formatted in the school's zone
    signature: str  # how it was signed, as a label


@dataclass(frozen=True)
class ToolConclusion:
    school_name: str
    tool_name: str
    vendor: str
    url: str
    purpose: str
    allowed_uses: str
    data_processed: str
    personal_data_allowed: bool
    assessment: dict[str, int]
    findings: str
    members: tuple[MemberVerdict, ...]
    outcome: str  # a label
    rule: str
    conclusion: str
    review_date: str
    created: datetime


# Columns are sized to their longest word, so that a heading wraps between words ("Деректерді /
# қорғау") and never inside one ("Қауіпсіз / дік").
_CELL_PADDING = 3.2  # mm: the cell's padding on both sides and its margin, with room to spare
_BODY_PT, _HEADING_PT = 8.0, 7.5  # a smaller bold heading lets "Функционалдылық" fit whole


def _widths(pdf: Any, header: list[str], rows: list[list[str]]) -> tuple[float, ...]:
    """Every column at least as wide as its longest word (heading or cell), so that text wraps between
    words only; the page's remaining width goes to the name, restrictions and signature columns."""
    pdf.set_font(FAMILY, "B", _HEADING_PT)
    widths = [max(pdf.get_string_width(w) for w in h.split()) + _CELL_PADDING for h in header]
    pdf.set_font(FAMILY, "", _BODY_PT)
    for row in rows:
        for i, cell in enumerate(row):
            for word in cell.split():
                widths[i] = max(widths[i], pdf.get_string_width(word) + _CELL_PADDING)
    # A member's name stays on one line when it fits in 45 mm (a name read in two halves is misread).
    # Only as far as the page allows: an overfull table is scaled down, which would cut words again.
    names = [pdf.get_string_width(row[0]) + _CELL_PADDING for row in rows]
    room = pdf.epw - sum(widths[1:])
    widths[0] = max(widths[0], min(45.0, max(names, default=0.0), room))
    spare = pdf.epw - sum(widths)
    shares = {0: 0.2, 6: 0.5, 7: 0.3}
    return tuple(w + max(0.0, spare) * shares.get(i, 0.0) for i, w in enumerate(widths))


def _average(values: list[int | None]) -> str:
    """A mean score with a decimal comma, as Kazakh writes it ("3,5")."""
    scores = [v for v in values if isinstance(v, int)]
    return format_decimal(sum(scores) / len(scores), "0.0", locale="kk") if scores else "—"


def verdict_totals(members: tuple[MemberVerdict, ...]) -> str:
    """How many chose each verdict, in the order first chosen: "мақұлдау — 3, қабылдамау — 1"."""
    counts = Counter(m.verdict for m in members)
    return ", ".join(f"{verdict} — {count}" for verdict, count in counts.items())


def render_conclusion_pdf(doc: ToolConclusion) -> bytes:
    pdf = new_pdf(f"{TITLE}: {doc.tool_name}", created=doc.created, author=doc.school_name)
    pdf.add_page()

    write_line(pdf, doc.school_name, size=11, align="C")
    write_line(pdf, TITLE, size=15, style="B", align="C", h=9)
    pdf.ln(2)
    write_line(pdf, f"Құрал: {doc.tool_name}", size=12, style="B")
    write_line(pdf, f"Әзірлеуші: {doc.vendor or '—'}; мекенжайы: {doc.url or '—'}", size=11)
    write_line(pdf, f"Мақсаты: {doc.purpose}", size=11)
    write_line(pdf, f"Қолданылу саласы: {doc.allowed_uses or '—'}", size=11)
    write_line(pdf, f"Өңделетін деректер: {doc.data_processed or '—'}", size=11)
    pdf.ln(2)
    write_line(pdf, "Техникалық бағалау (АКТ)", size=12, style="B")
    write_line(pdf, "; ".join(f"{label}: {doc.assessment.get(key, '—')}" for key, label in CRITERIA), size=11)
    if doc.findings:
        write_line(pdf, f"Тұжырымдар: {doc.findings}", size=11)
    pdf.ln(2)
    write_line(pdf, "Комиссия мүшелерінің бағалары", size=12, style="B")
    pdf.set_font(FAMILY, "", _BODY_PT)
    header = ["Мүше", *[label for _, label in CRITERIA], "Шешім", "Шектеулер", "Қол қойылды"]
    rows = [
        [
            printable(m.name),
            *[str(m.ratings.get(key, "")) for key, _ in CRITERIA],
            printable(m.verdict),
            printable(m.restrictions or "—"),
            printable(f"{m.signed_at} ({m.signature})"),
        ]
        for m in doc.members
    ]
    widths = _widths(pdf, header, rows)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", size_pt=_HEADING_PT),
        text_align="LEFT",
    ) as table:
        table.row([printable(h) for h in header])
        for row in rows:
            table.row(row)
        if doc.members:  # the totals: how many voted, the mean of each score, how many chose each verdict
            totals = table.row()
            totals.cell(printable(f"Барлығы: {len(doc.members)}; орташа балл"))
            for key, _ in CRITERIA:
                totals.cell(_average([m.ratings.get(key) for m in doc.members]))
            totals.cell(printable(verdict_totals(doc.members)), colspan=3)
    pdf.ln(3)
    write_line(pdf, f"Нәтиже: {doc.outcome}", size=12, style="B")
    write_line(pdf, f"Қолданылған ереже: {doc.rule}", size=10)
    allowed = "рұқсат етіледі" if doc.personal_data_allowed else "рұқсат етілмейді"
    write_line(pdf, f"Дербес деректерді енгізу: {allowed}", size=10)
    if doc.conclusion:
        pdf.ln(2)
        write_line(pdf, "Жұмыс тобы төрағасының қорытындысы", size=12, style="B")
        write_line(pdf, doc.conclusion, size=11)
    if doc.review_date:
        write_line(pdf, f"Қайта қарау күні: {doc.review_date}", size=10)
    return bytes(pdf.output())
