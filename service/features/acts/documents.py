"""A local act's edition as PDF and DOCX (header "approved by order № … of …") and a comparison table PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import FontFace

from service.features.acts.rules import ActText, ClauseComparison
from service.platform.documents.emphasis import plain, runs
from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import OFFICE_MARGINS, new_pdf
from service.platform.documents.pdf_text import write_line
from service.platform.documents.text import clean_text

COMPARISON_HEADER = ("Тармақ", "Бұрынғы редакция", "Жаңа редакция")
COMPARISON_WIDTHS = (18, 73, 74)
ABSENT = "—"


@dataclass(frozen=True)
class EditionDocument:
    school_name: str
    act_title: str
    edition: int
    text: ActText
    order_number: str | None
    order_date: date | None
    in_force_from: date | None


@dataclass(frozen=True)
class ComparisonDocument:
    school_name: str
    act_title: str
    old_edition: int
    new_edition: int
    rows: tuple[ClauseComparison, ...]


def approval_header(doc: EditionDocument) -> list[str]:
    """The block at the top right: the enacting order, or the header of the original text."""
    if doc.order_number and doc.order_date:
        return [
            "БЕКІТІЛГЕН",
            f"Мектеп директорының {doc.order_date:%d.%m.%Y} жылғы",
            f"№ {doc.order_number} бұйрығымен",
        ]
    return [line for line in doc.text.header.splitlines() if line.strip()]


def edition_line(doc: EditionDocument) -> str:
    since = f", {doc.in_force_from:%d.%m.%Y} бастап күшінде" if doc.in_force_from else ""
    return f"{doc.edition}-редакция{since}"


def _page_number(pdf: FPDF) -> None:
    pdf.set_y(-14)
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(0, 6, f"{pdf.page_no()} / {{nb}}", align=Align.R)


def _new_pdf(title: str, day: date | None) -> FPDF:
    # The enacting order's day fixes the creation date, so the same edition renders to the same bytes.
    created = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    return new_pdf(title, created=created, margins=OFFICE_MARGINS, footer=_page_number)


def render_edition_pdf(doc: EditionDocument) -> bytes:
    pdf = _new_pdf(doc.act_title, doc.order_date or doc.in_force_from)
    pdf.add_page()
    for line in approval_header(doc):
        pdf.set_x(pdf.l_margin + 85)
        write_line(pdf, line, size=11, h=5.5, width=80)
    pdf.ln(6)
    write_line(pdf, doc.school_name, size=12, align=Align.C)
    write_line(pdf, doc.text.title or doc.act_title, size=14, style="B", align=Align.C, h=7)
    write_line(pdf, edition_line(doc), size=10, style="I", align=Align.C, h=5)
    pdf.ln(4)
    for section in doc.text.sections:
        pdf.ln(2)
        write_line(pdf, f"{section.number}. {section.title}", size=12, style="B", align=Align.C, h=6.5)
        for clause in section.clauses:
            text = f"{clause.number}. {clean_text(clause.text)}"
            write_line(pdf, text, size=12, align=Align.J, h=6, emphasis=True)
            pdf.ln(1)
    return bytes(pdf.output())


def render_edition_docx(doc: EditionDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for line in approval_header(doc):
        paragraph = document.add_paragraph(clean_text(line))
        paragraph.paragraph_format.left_indent = Mm(90)
        paragraph.paragraph_format.space_after = Pt(0)
    document.add_paragraph(clean_text(doc.school_name)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(clean_text(doc.text.title or doc.act_title)).bold = True
    document.add_paragraph(edition_line(doc)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in doc.text.sections:
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(clean_text(f"{part.number}. {part.title}")).bold = True
        for clause in part.clauses:
            paragraph = document.add_paragraph(f"{clause.number}. ")
            for run in runs(clean_text(clause.text)):
                styled = paragraph.add_run(run.text)
                styled.bold = "B" in run.style or None
                styled.italic = "I" in run.style or None
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    core = document.core_properties
    core.title = clean_text(doc.act_title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_comparison_pdf(doc: ComparisonDocument) -> bytes:
    """Changed clauses only: clause, old wording, new wording (салыстырма кесте)."""
    pdf = _new_pdf(doc.act_title, None)
    pdf.add_page()
    write_line(pdf, doc.school_name, size=11, align=Align.C)
    write_line(pdf, "Салыстырма кесте", size=14, style="B", align=Align.C, h=7)
    write_line(
        pdf,
        f"{doc.act_title}: {doc.old_edition}-редакция және {doc.new_edition}-редакция",
        size=11,
        align=Align.C,
    )
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(
        col_widths=COMPARISON_WIDTHS,
        width=pdf.epw,
        text_align=(Align.C, Align.L, Align.L),
        line_height=5,
        padding=1.2,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
        repeat_headings=1,
    ) as table:
        table.row(list(COMPARISON_HEADER))
        for row in doc.rows:
            if row.changed:
                old, new = plain(row.old or ABSENT), plain(row.new or ABSENT)
                table.row([row.number, printable(old), printable(new)])
    return bytes(pdf.output())
