"""An order as DOCX (python-docx): the same content as the PDF, in Times New Roman 14 on A4, editable.

The file names its fonts and does not embed them (Word and LibreOffice have Times New Roman or a metric
twin that covers Kazakh). The footer carries the verification code and the page number as Word fields.
The ZIP entries get the approval moment as their time stamp, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import UTC

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

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
    clean_text,
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
from service.platform.documents.files import stable_zip

FONT = "Times New Roman"
TEXT_WIDTH = Mm(165)  # A4 less the 30 mm and 15 mm margins
SHEET_WIDTHS = (8, 30, 34, 30, 41, 22)  # mm, as in the PDF
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


def render_order_docx(doc: OrderDocument) -> bytes:
    """The order and its approval sheet as DOCX bytes; identical input gives identical bytes."""
    document = Document()
    _set_up(document, doc)
    _order_pages(document, doc)
    _approval_sheet(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), creation_date(doc))


def _set_up(document: DocxDocument, doc: OrderDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.footer_distance = Mm(10)

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "kk-KZ")
    r_pr.append(lang)
    spacing = normal.paragraph_format
    spacing.space_before, spacing.space_after, spacing.line_spacing = Pt(0), Pt(0), 1.0

    props = document.core_properties
    props.title = _property(document_title(doc))
    props.subject = _property(doc.order_type_label)
    props.author = _property(doc.school_name)
    props.keywords = _property(doc.marking_label)
    props.comments = ""
    props.language = "kk-KZ"
    props.last_modified_by = _property(doc.school_name)
    props.revision = 1
    moment = creation_date(doc).astimezone(UTC)
    props.created = props.modified = moment

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Normal"]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _run(footer, f"{code_line(doc)}\t", size=9)
    _field(footer, "PAGE")
    _run(footer, " / ", size=9)
    _field(footer, "NUMPAGES")


def _property(text: str) -> str:
    """A core property: one line, at most the 255 characters the format allows."""
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= 255 else flat[:254] + "…"


def _run(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 0
) -> None:
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field such as PAGE; "1" stands in until the word processor updates it."""
    parts: list[tuple[str, str | None]] = [("begin", None), ("", instruction), ("separate", None)]
    for kind, text in parts:
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
    _run(paragraph, "1", size=9)
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _para(
    document: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 0,
    align: WD_ALIGN_PARAGRAPH | None = None,
    before: float = 0,
) -> Paragraph:
    paragraph = document.add_paragraph()
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    if align is not None:
        paragraph.alignment = align
    if before:
        paragraph.paragraph_format.space_before = Pt(before)
    return paragraph


def _two_sided(document: DocxDocument, left: str, right: str, *, before: float = 0) -> None:
    """One line with `left` at the margin and `right` flush right."""
    paragraph = _para(document, f"{left}\t{right}", before=before)
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _order_pages(document: DocxDocument, doc: OrderDocument) -> None:
    _para(document, doc.marking_label, italic=True, size=10, align=RIGHT)
    school = _para(document, doc.school_name, bold=True, align=CENTER, before=6)
    school.paragraph_format.space_after = Pt(12)
    _para(document, ORDER_WORD, bold=True, size=16, align=CENTER, before=6)
    _two_sided(document, order_date(doc), number_line(doc), before=8)
    title = _para(document, doc.title, bold=True, before=16)
    title.paragraph_format.right_indent = Mm(55)
    title.paragraph_format.space_after = Pt(12)
    gap = 0
    for line in body_paragraphs(doc):
        if not line.strip():
            gap += 7
            continue
        if is_directive(line):
            body = _para(document, line.strip(), bold=True, before=gap + 4)
        else:
            body = _para(document, line.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=gap)
            body.paragraph_format.first_line_indent = Mm(12.5)
        body.paragraph_format.space_after = Pt(2)
        gap = 0
    basis = basis_line(doc)
    if basis:
        _para(document, basis, before=8)
    note = declaration(doc)
    if note:
        _para(document, note, italic=True, size=11, before=8)
    approval = _para(document, APPROVAL_WORD, bold=True, before=24)
    approval.paragraph_format.keep_with_next = True
    _two_sided(document, DIRECTOR_POSITION, doc.director_name)
    _para(document, approved_line(doc), size=10)


def _approval_sheet(document: DocxDocument, doc: OrderDocument) -> None:
    heading = _para(document, SHEET_TITLE, bold=True, align=CENTER)
    heading.paragraph_format.page_break_before = True
    _para(document, sheet_caption(doc), size=12, align=CENTER, before=4)
    last = _para(document, sheet_type_line(doc), size=11, align=CENTER)
    last.paragraph_format.space_after = Pt(10)

    table = document.add_table(rows=1, cols=len(SHEET_HEADER))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of the sheet
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, SHEET_HEADER, strict=True):
        _cell(cell, text, bold=True)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E8E8E8")
        cell._tc.get_or_add_tcPr().append(shading)
    for values in sheet_rows(doc):
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _cell(cell, text)
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, SHEET_WIDTHS, strict=True):
        grid_column.w = Mm(width)
    for column, width in zip(table.columns, SHEET_WIDTHS, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    _para(document, sheet_time_note(doc), size=9, before=4)


def _cell(cell: _Cell, text: str, *, bold: bool = False) -> None:
    _run(cell.paragraphs[0], text, bold=bold, size=10)
