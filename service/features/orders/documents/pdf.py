"""An order as PDF (fpdf2, A4, PT Serif): the order on its first page(s), then the approval sheet.

Margins follow Kazakh office practice (left 30 mm, right 15 mm, top and bottom 20 mm). Every page's footer
carries the verification code and "page / pages". The creation date is the approval moment and fpdf2
derives the file identifier from the content, so the same input renders to the same bytes.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from service.features.orders.documents.content import (
    APPROVAL_WORD,
    DIRECTOR_POSITION,
    ORDER_WORD,
    SHEET_HEADER,
    SHEET_TITLE,
    OrderDocument,
    approved_line,
    basis_line,
    body_paragraphs,
    code_line,
    creation_date,
    declaration,
    document_title,
    is_directive,
    number_line,
    order_date,
    sheet_caption,
    sheet_rows,
    sheet_time_note,
    sheet_type_line,
)
from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import Margins, new_pdf
from service.platform.documents.pdf_text import write_line

BODY_SIZE = 13
LINE = 6.2  # mm per body line: about 1.3 × 13 pt
INDENT = 12.5  # first-line indent of a body paragraph, mm
SHEET_WIDTHS = (8, 30, 34, 30, 41, 22)  # sums to the 165 mm between the margins
TOTAL_PAGES = "{#}"  # the page count; short, so right alignment is measured about right
# Office margins, and 2 mm more at the bottom for the footer's rule and code line.
MARGINS = Margins(left=30, bottom=22)


def _footer(pdf: FPDF, code: str) -> None:
    pdf.set_y(-16)
    pdf.set_draw_color(150)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(pdf.epw / 2, 6, code, align=Align.L)
    pdf.cell(pdf.epw / 2, 6, f"{pdf.page_no()} / {TOTAL_PAGES}", align=Align.R)


def render_order_pdf(doc: OrderDocument) -> bytes:
    """The order and its approval sheet as PDF bytes; identical input gives identical bytes."""
    code = printable(code_line(doc))
    pdf = new_pdf(
        document_title(doc),
        created=creation_date(doc),
        margins=MARGINS,
        author=doc.school_name,
        subject=doc.order_type_label,
        footer=lambda page: _footer(page, code),
    )
    pdf.alias_nb_pages(TOTAL_PAGES)  # rather than "{nb}", a word someone could write
    pdf.add_page()
    _order_pages(pdf, doc)
    pdf.add_page()
    _approval_sheet(pdf, doc)
    return bytes(pdf.output())


def _order_pages(pdf: FPDF, doc: OrderDocument) -> None:
    write_line(pdf, doc.marking_label, size=10, style="I", align=Align.R, h=5)
    pdf.ln(3)
    write_line(pdf, doc.school_name, size=13, style="B", align=Align.C, h=6.5)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(8)
    write_line(pdf, ORDER_WORD, size=16, style="B", align=Align.C, h=8)
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 12)
    pdf.cell(pdf.epw / 2, 7, order_date(doc), align=Align.L)
    pdf.cell(pdf.epw / 2, 7, printable(number_line(doc)), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    write_line(pdf, doc.title, size=BODY_SIZE, style="B", h=LINE, width=110)
    pdf.ln(5)

    pdf.set_font(FAMILY, "", BODY_SIZE)
    with pdf.text_columns(text_align=Align.J, line_height=1.35) as columns:
        gap = 0.0  # an empty line of the body becomes space above the next paragraph
        for paragraph in body_paragraphs(doc):
            if not paragraph.strip():
                gap += LINE / 2
                continue
            indent = 0 if is_directive(paragraph) else INDENT
            top = gap if indent else gap + 2
            with columns.paragraph(first_line_indent=indent, top_margin=top, bottom_margin=1.5) as par:
                if indent:
                    par.write(printable(paragraph.strip()))
                else:
                    pdf.set_font(FAMILY, "B", BODY_SIZE)
                    par.write(printable(paragraph.strip()))
                    pdf.set_font(FAMILY, "", BODY_SIZE)
            gap = 0.0
    pdf.set_x(pdf.l_margin)

    basis = basis_line(doc)
    if basis:
        pdf.ln(3)
        write_line(pdf, basis, size=BODY_SIZE, h=LINE)
    note = declaration(doc)
    if note:
        pdf.ln(3)
        write_line(pdf, note, size=10.5, style="I", h=5.2)

    if pdf.will_page_break(32):
        pdf.add_page()
    pdf.ln(10)
    write_line(pdf, APPROVAL_WORD, size=BODY_SIZE, style="B", h=7)
    pdf.set_font(FAMILY, "", BODY_SIZE)
    pdf.cell(pdf.epw / 2, 7, DIRECTOR_POSITION, align=Align.L)
    pdf.cell(pdf.epw / 2, 7, printable(doc.director_name), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    write_line(pdf, approved_line(doc), size=10, h=5.5)


def _approval_sheet(pdf: FPDF, doc: OrderDocument) -> None:
    write_line(pdf, SHEET_TITLE, size=14, style="B", align=Align.C, h=8)
    pdf.ln(1)
    write_line(pdf, sheet_caption(doc), size=11, align=Align.C, h=5.5)
    write_line(pdf, sheet_type_line(doc), size=10, align=Align.C, h=5.5)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_draw_color(90)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=SHEET_WIDTHS,
        width=pdf.epw,
        text_align=(Align.C, Align.L, Align.L, Align.L, Align.L, Align.L),
        line_height=4.8,
        padding=1.2,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
        repeat_headings=1,
    ) as table:
        table.row(list(SHEET_HEADER))
        for row in sheet_rows(doc):
            table.row([printable(value) for value in row])
    pdf.ln(2)
    write_line(pdf, sheet_time_note(doc), size=8.5, h=4.5)
