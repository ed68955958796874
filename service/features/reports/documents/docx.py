"""The annual report as DOCX (python-docx), editable: the same tables and texts as the PDF.

The ZIP entries and core properties carry the report's creation date, so the same report gives the same
bytes (as the order's DOCX does).
"""

from __future__ import annotations

import io
from datetime import UTC

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from service.features.reports.documents.pdf import (
    DRAFT_MARK,
    NARRATIVE_HEADINGS,
    TITLE,
    ReportDocument,
    report_tables,
)
from service.platform.documents.files import stable_zip
from service.platform.documents.text import clean_text

FONT = "Times New Roman"


def render_report_docx(doc: ReportDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    props = document.core_properties
    props.title = f"{TITLE} {doc.year_label}"
    props.author = props.last_modified_by = clean_text(doc.school_name)[:255]
    props.comments = ""
    props.language = "kk-KZ"
    props.revision = 1
    props.created = props.modified = doc.created.astimezone(UTC)

    for text, bold in ((doc.school_name, False), (TITLE, True), (f"{doc.year_label} оқу жылы", False)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(clean_text(text)).bold = bold
    if not doc.final:
        document.add_paragraph().add_run(DRAFT_MARK).bold = True
    for table in report_tables(doc):
        document.add_paragraph().add_run(clean_text(table.caption)).bold = True
        grid = document.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = clean_text(text)
    for key, heading in NARRATIVE_HEADINGS.items():
        document.add_paragraph().add_run(heading).bold = True
        for line in (doc.narrative.get(key) or "—").splitlines() or ["—"]:
            document.add_paragraph(clean_text(line))
    if doc.finalized:
        document.add_paragraph(f"Қорытындылады: {clean_text(doc.finalized)}")
        if doc.anchor:
            document.add_paragraph(doc.anchor)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), doc.created)
