"""A registered order as the school files it: PDF and DOCX with the approval sheet, Kazakh text intact."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from fpdf import FPDF

# Debian's fonts-dejavu-core (installed by `make` and the Dockerfile): it covers ә ғ қ ң ө ұ ү һ і.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DECISION_WORDS = {
    "approve": "Келісілді",
    "return": "Пысықтауға қайтарылды",
    "reject": "Қабылданбады",
    None: "Әзірледі",
}
AI_DECLARATION = "Материалды әзірлеуде жасанды интеллект құралдары пайдаланылды"


@dataclass(frozen=True)
class ApprovalStep:
    """One row of the approval sheet: who did which step, with what decision, when."""

    step: str
    actor: str
    decision: str | None
    comment: str | None
    at: datetime


@dataclass(frozen=True)
class OrderDocument:
    school_name: str
    number: str
    date: date
    title: str
    order_type_label: str
    body: str
    basis: str | None
    marking_label: str
    ai_assisted: bool
    ai_help_labels: tuple[str, ...]
    director_name: str
    approved_at: datetime
    approval_sheet: tuple[ApprovalStep, ...]
    verification_code: str = ""
    timezone: str = "Asia/Almaty"


def verification_code(content: bytes) -> str:
    """The first 12 hex digits of the SHA-256, grouped: short enough to read out, enough to check."""
    digest = hashlib.sha256(content).hexdigest()[:12].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 12, 4))


def declaration(doc: OrderDocument) -> str | None:
    if not doc.ai_assisted:
        return None
    kinds = ", ".join(label.lower() for label in doc.ai_help_labels)
    return f"{AI_DECLARATION} ({kinds})" if kinds else AI_DECLARATION


def _local(doc: OrderDocument, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(doc.timezone)).strftime("%d.%m.%Y %H:%M")


class _OrderPdf(FPDF):
    def __init__(self, code: str) -> None:
        super().__init__(format="A4")
        self.code = code
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        left = f"Тексеру коды: {self.code}" if self.code else ""
        self.cell(0, 6, f"{left}    {self.page_no()}/{{nb}}", align="R")


def render_order_pdf(doc: OrderDocument) -> bytes:
    pdf = _OrderPdf(doc.verification_code)
    # A fixed creation date makes the same order render to the same bytes, so its hash is stable.
    pdf.set_creation_date(doc.approved_at)
    pdf.set_title(f"Бұйрық № {doc.number}")
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, doc.school_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, "БҰЙРЫҚ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(
        0,
        7,
        f"№ {doc.number}        {doc.date.strftime('%d.%m.%Y')}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, doc.order_type_label, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 11)
    for paragraph in doc.body.splitlines() or [""]:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    if doc.basis:
        pdf.ln(2)
        pdf.multi_cell(0, 6, f"Негіздеме: {doc.basis}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, "Бекітемін", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(
        0,
        7,
        f"Мектеп директоры {doc.director_name}    {_local(doc, doc.approved_at)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, doc.marking_label, new_x="LMARGIN", new_y="NEXT")
    note = declaration(doc)
    if note:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    _approval_sheet_pdf(pdf, doc)
    return bytes(pdf.output())


def _approval_sheet_pdf(pdf: FPDF, doc: OrderDocument) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 9, "Келісу парағы", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=(30, 30, 30, 55, 25), first_row_as_headings=True) as table:
        table.row(["Кезең", "Орындаушы", "Шешім", "Түсініктеме", "Күні"])
        for step in doc.approval_sheet:
            table.row(
                [
                    step.step,
                    step.actor,
                    DECISION_WORDS.get(step.decision, step.decision or ""),
                    step.comment or "",
                    _local(doc, step.at),
                ]
            )


def render_order_docx(doc: OrderDocument) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(11)
    document.core_properties.title = f"Бұйрық № {doc.number}"
    document.core_properties.created = doc.approved_at
    centre = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(doc.school_name).alignment = centre
    document.add_heading("БҰЙРЫҚ", level=1).alignment = centre
    document.add_paragraph(f"№ {doc.number}        {doc.date.strftime('%d.%m.%Y')}").alignment = centre
    document.add_heading(doc.title, level=2)
    document.add_paragraph(doc.order_type_label)
    for paragraph in doc.body.splitlines():
        document.add_paragraph(paragraph)
    if doc.basis:
        document.add_paragraph(f"Негіздеме: {doc.basis}")
    approval = document.add_paragraph()
    approval.add_run("Бекітемін").bold = True
    document.add_paragraph(f"Мектеп директоры {doc.director_name}    {_local(doc, doc.approved_at)}")
    document.add_paragraph(doc.marking_label)
    note = declaration(doc)
    if note:
        document.add_paragraph(note)
    document.add_page_break()
    document.add_heading("Келісу парағы", level=2)
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ("Кезең", "Орындаушы", "Шешім", "Түсініктеме", "Күні"), strict=True
    ):
        cell.text = text
    for step in doc.approval_sheet:
        cells = table.add_row().cells
        values = (
            step.step,
            step.actor,
            DECISION_WORDS.get(step.decision, step.decision or ""),
            step.comment or "",
            _local(doc, step.at),
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
