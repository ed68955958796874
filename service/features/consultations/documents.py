"""The journal of consultations held (plan item 22) as PDF: date, staff member, topic, advice, signature.

The creation date is the latest change of the rows listed, so the same journal renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import Margins, new_pdf
from service.platform.documents.pdf_text import write_line


@dataclass(frozen=True)
class JournalRow:
    date: str  # already formatted (DD.MM.YYYY)
    staff_member: str  # full name and duty
    topic: str
    advice: str


@dataclass(frozen=True)
class Journal:
    school_name: str
    period: str  # e.g. "01.09.2026 – 31.05.2027", or "" for the whole journal
    rows: Sequence[JournalRow]
    responsible: str  # who keeps the journal, signs under it
    created: datetime | None  # the latest change of a listed row; None: an empty journal (a fixed date)


# Kazakh captions: the school's paperwork is in the official language.
TITLE = "Өткізілген консультациялар журналы"
SUBTITLE = "Жоспардың 22-тармағы: қызметкерлерге ЖИ-ді қолдану бойынша жеке консультациялар"
HEADER = ("№", "Күні", "Қызметкер", "Тақырыбы", "Берілген кеңес", "Қолы")
WIDTHS = (8, 22, 45, 55, 112, 25)
PERIOD = "Кезең"
EMPTY = "Өткізілген консультациялар жоқ."
KEEPER = "Жауапты тұлға"


def journal_pdf(doc: Journal) -> bytes:
    # Landscape with narrow margins: the advice column needs the width.
    pdf = new_pdf(TITLE, created=doc.created, margins=Margins(left=15, top=15, right=15), landscape=True)
    pdf.add_page()
    write_line(pdf, doc.school_name, size=11, align="C")
    write_line(pdf, TITLE, size=14, style="B", align="C", h=8)
    write_line(pdf, SUBTITLE, size=10, align="C")
    if doc.period:
        write_line(pdf, f"{PERIOD}: {doc.period}", size=10, align="C")
    pdf.ln(3)
    if not doc.rows:
        write_line(pdf, EMPTY, size=11)
    else:
        pdf.set_font(FAMILY, "", 9)
        with pdf.table(col_widths=WIDTHS, first_row_as_headings=True) as table:
            table.row(list(HEADER))
            for n, row in enumerate(doc.rows, start=1):
                cells = (str(n), row.date, row.staff_member, row.topic, row.advice, "")
                table.row([printable(text) for text in cells])
    pdf.ln(8)
    write_line(pdf, f"{KEEPER}: ____________ {doc.responsible}", size=11)
    return bytes(pdf.output())
