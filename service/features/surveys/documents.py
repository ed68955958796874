"""The analytical note of a survey (plan item 1's "талдамалық анықтама", item 9's report) in Kazakh, as
PDF (charts drawn as fpdf2 vector shapes) and DOCX (each chart as SVG with a PNG fallback)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from service.features.surveys import rules
from service.features.surveys.figures import NUMBER_LABELS, chart_of, comparison_of
from service.platform.documents import charts
from service.platform.documents.files import stable_zip
from service.platform.documents.fonts import FAMILY, font_path, printable
from service.platform.documents.pdf import new_pdf
from service.platform.documents.pdf_text import write_line
from service.platform.documents.text import clean_text
from service.platform.roles import role_name

TITLE = "Талдамалық анықтама"
PRIVACY = {
    "anonymous": "Сауалнама анонимді: жауаптар ешкімнің атымен байланыстырылмайды.",
    "named": "Атаулы сауалнама (сұхбат): жауаптарды кадр қызметі немесе басшының орынбасары жазды.",
}
UNTIL_CLOSED = "Сауалнама анонимді және әлі жабылмаған: нәтижелер ол жабылғаннан кейін көрсетіледі."
TOO_FEW = "Жауаптар саны 3-тен аз: адамдарды анықтамау үшін нәтижелер көрсетілмейді."
PARTICIPATION = "Қатысу"
BY_ROLE = ("Рөл", "Сұралғандар", "Жауап бергендер")
COMPARED = "Салыстыру"
TEXTS = "Еркін жауаптар (атаусыз)"
SIGNATURE = "Дайындаған"
NUMBER_WORDS = NUMBER_LABELS["kk"]


@dataclass(frozen=True)
class Note:
    school_name: str
    title: str  # the survey's title in Kazakh
    plan_item: int | None
    period: str  # "01.09.2026 – 15.09.2026"
    privacy: str
    results: rules.Results
    # This run's question id → the compared run's result of the same question.
    compared: Mapping[str, rules.QuestionResult] = field(default_factory=dict)
    compared_name: str = ""
    this_name: str = ""
    author: str = ""
    created: datetime | None = None
    questions: Sequence[rules.Question] = field(default_factory=list)


def _participation_line(r: rules.Results) -> str:
    share = rules.share(r.responded, r.audience)
    return f"{PARTICIPATION}: {r.responded} / {r.audience} ({_number(share)}%)"


def _role_rows(r: rules.Results) -> list[list[str]]:
    return [
        [role_name(p.role, "kk"), str(p.audience), str(p.responded) if p.responded is not None else "< 3"]
        for p in r.by_role
    ]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _numbers_line(numbers: dict[str, float]) -> str:
    return "; ".join(
        f"{NUMBER_WORDS[k]}: {_number(numbers[k])}" for k in ("min", "q1", "median", "q3", "max", "mean")
    )


KEY_FIGURES = "Негізгі көрсеткіштер"


def key_lines(results: rules.Results) -> list[str]:
    """One line per shown question with figures: a choice's most chosen option, a scale's median and
    middle half, a number's median: the summary a reader of the note looks for first."""
    lines: list[str] = []
    for n, r in enumerate(results.questions, 1):
        if not r.shown:
            continue
        text = rules.localized(r.question.text, "kk")
        if r.question.type in rules.CHOICE_TYPES and r.counts:
            top = max(r.counts, key=lambda c: c.count)
            share = _number(rules.share(top.count, r.answered))
            lines.append(f"{n}. {text} — жиі таңдалғаны: «{rules.localized(top.label, 'kk')}» ({share}%)")
        elif r.numbers:
            f = r.numbers
            middle = f"{_number(f['q1'])}–{_number(f['q3'])}"
            lines.append(f"{n}. {text} — медиана {_number(f['median'])} (ортаңғы жартысы {middle})")
    return lines


def _shown_questions(note: Note) -> Sequence[rules.QuestionResult]:
    """No question at all while an anonymous survey is open; else every one (small groups say so)."""
    return () if note.results.until_closed else note.results.questions


def note_pdf(note: Note) -> bytes:
    pdf = new_pdf(f"{TITLE}: {note.title}", created=note.created, author=note.school_name)
    pdf.add_page()
    write_line(pdf, note.school_name, size=11, align="C")
    write_line(pdf, TITLE, size=15, style="B", align="C", h=8)
    write_line(pdf, note.title, size=12, style="B", align="C")
    if note.plan_item:
        write_line(pdf, f"Жоспардың {note.plan_item}-тармағы", size=10, align="C")
    write_line(pdf, f"Өткізілген мерзімі: {note.period}", size=10, align="C")
    pdf.ln(2)
    write_line(pdf, PRIVACY.get(note.privacy, ""), size=10, style="I")
    write_line(pdf, _participation_line(note.results), size=11, style="B")
    rows = _role_rows(note.results)
    if rows:
        pdf.set_font(FAMILY, "", 9)
        with pdf.table(
            col_widths=(110, 30, 30),
            width=pdf.epw,
            align="LEFT",
            text_align="LEFT",
            first_row_as_headings=True,
        ) as table:
            table.row(list(BY_ROLE))
            for row in rows:
                table.row([printable(c) for c in row])
    pdf.ln(2)
    if note.results.until_closed:
        write_line(pdf, UNTIL_CLOSED, size=10, style="I")
    elif key_lines(note.results):
        write_line(pdf, KEY_FIGURES, size=11, style="B")
        for line in key_lines(note.results):
            write_line(pdf, f"• {line}", size=10)
        pdf.ln(2)
    compared = note.compared
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for n, result in enumerate(_shown_questions(note), 1):
        chart = chart_of(result, "kk") if result.shown else None
        # The heading stays on the page of its chart.
        _room_for(pdf, 16 + (_chart_height(chart, width * 0.9) if chart is not None else 10))
        write_line(pdf, f"{n}. {rules.localized(result.question.text, 'kk')}", size=11, style="B")
        if not result.shown:
            write_line(pdf, TOO_FEW, size=10, style="I")
            continue
        write_line(pdf, f"Жауап бергендер: {result.answered}", size=9)
        if chart is not None:
            _pdf_chart(pdf, chart, width * 0.9)
        if result.numbers:
            write_line(pdf, _numbers_line(dict(result.numbers)), size=9)
        for text in result.texts:
            write_line(pdf, f"— {text}", size=10)
        other = compared.get(result.question.id)
        if other is not None:
            pair = comparison_of(result, other, "kk", (note.this_name, note.compared_name))
            if pair is not None:
                _room_for(pdf, 8 + _chart_height(pair, width * 0.9))
                write_line(pdf, f"{COMPARED}: {note.this_name} / {note.compared_name}", size=9, style="I")
                _pdf_chart(pdf, pair, width * 0.9)
        pdf.ln(2)
    pdf.ln(6)
    write_line(pdf, f"{SIGNATURE}: ____________ {note.author}", size=11)
    return bytes(pdf.output())


def _chart_height(chart: charts.Chart, width: float) -> float:
    return chart.height * width / chart.width


def _room_for(pdf: object, height: float) -> None:
    """A new page unless `height` mm fit below (a block taller than a page just starts a page)."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if height > room and room < pdf.h - pdf.b_margin - pdf.t_margin - 1:
        pdf.add_page()


def _pdf_chart(pdf: object, chart: charts.Chart, width: float) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    height = chart.height * width / chart.width
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    y = pdf.get_y() + 1
    used = charts.to_pdf(pdf, chart, pdf.l_margin, y, width, FAMILY)
    pdf.set_y(y + used + 2)


SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def _docx_chart(document: object, chart: charts.Chart, n: int) -> None:
    """The PNG as the picture, and the SVG linked as its vector original (Word 2016+ draws the SVG;
    readers without SVG support show the PNG drawn from the same shapes)."""
    from docx.document import Document as DocumentType

    assert isinstance(document, DocumentType)
    png = charts.to_png(chart, str(font_path("")), str(font_path("B")))
    document.add_picture(io.BytesIO(png), width=Mm(160))
    blip = document.inline_shapes[-1]._inline.graphic.graphicData.pic.blipFill.blip
    part = Part(
        PackURI(f"/word/media/survey-chart-{n}.svg"),
        "image/svg+xml",
        charts.to_svg(chart).encode("utf-8"),
        document.part.package,
    )
    rid = document.part.relate_to(part, RT.IMAGE)
    ext_list = etree.SubElement(blip, qn("a:extLst"))
    ext = etree.SubElement(ext_list, qn("a:ext"), uri=SVG_EXT)
    svg = etree.SubElement(ext, f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg.set(qn("r:embed"), rid)


def note_docx(note: Note) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    created = (note.created or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC)
    props = document.core_properties
    props.title = clean_text(f"{TITLE}: {note.title}")[:255]
    props.author = props.last_modified_by = clean_text(note.school_name)[:255]
    props.language = "kk-KZ"
    props.revision = 1
    props.created = props.modified = created
    for text, bold in ((note.school_name, False), (TITLE, True), (note.title, True)):
        document.add_paragraph().add_run(clean_text(text)).bold = bold
    if note.plan_item:
        document.add_paragraph(f"Жоспардың {note.plan_item}-тармағы")
    document.add_paragraph(f"Өткізілген мерзімі: {note.period}")
    document.add_paragraph(PRIVACY.get(note.privacy, ""))
    document.add_paragraph().add_run(_participation_line(note.results)).bold = True
    rows = _role_rows(note.results)
    if rows:
        grid = document.add_table(rows=1, cols=3)
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, BY_ROLE, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
    if note.results.until_closed:
        document.add_paragraph(UNTIL_CLOSED)
    elif key_lines(note.results):
        document.add_paragraph().add_run(KEY_FIGURES).bold = True
        for line in key_lines(note.results):
            document.add_paragraph(clean_text(f"• {line}"))
    compared = note.compared
    count = 0
    for n, result in enumerate(_shown_questions(note), 1):
        document.add_paragraph().add_run(
            clean_text(f"{n}. {rules.localized(result.question.text, 'kk')}")
        ).bold = True
        if not result.shown:
            document.add_paragraph(TOO_FEW)
            continue
        document.add_paragraph(f"Жауап бергендер: {result.answered}")
        chart = chart_of(result, "kk")
        if chart is not None:
            count += 1
            _docx_chart(document, chart, count)
        if result.numbers:
            document.add_paragraph(_numbers_line(dict(result.numbers)))
        for text in result.texts:
            document.add_paragraph(clean_text(f"— {text}"))
        other = compared.get(result.question.id)
        pair = comparison_of(result, other, "kk", (note.this_name, note.compared_name)) if other else None
        if pair is not None:
            count += 1
            document.add_paragraph(f"{COMPARED}: {note.this_name} / {note.compared_name}")
            _docx_chart(document, pair, count)
    document.add_paragraph(f"{SIGNATURE}: ____________ {clean_text(note.author)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), created)
