"""The minutes (хаттама) as PDF and DOCX in the official Kazakh layout.

School; ХАТТАМА № n; the kind of meeting; date and place; chair and secretary; who was present and absent;
КҮН ТӘРТІБІ (the agenda); per item ТЫҢДАЛДЫ / СӨЙЛЕДІ / ҚАУЛЫ ЕТТІ; the signatures of the chair and the
secretary; then the numbered addenda. The creation date is the approval (or the last change of a draft),
so the same minutes always render to the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from service.platform.documents.files import stable_zip
from service.platform.documents.pdf import OFFICE_MARGINS, new_pdf
from service.platform.documents.pdf_text import write_line
from service.platform.documents.text import clean_text


@dataclass(frozen=True)
class MinutesDecision:
    text: str
    vote_line: str  # "Дауыс беру: ..." or ""
    tasks: Sequence[str]  # "who — what, by when"


@dataclass(frozen=True)
class MinutesItem:
    title: str
    presenter: str
    heard: str
    discussion: str
    decisions: Sequence[MinutesDecision]


@dataclass(frozen=True)
class MinutesDoc:
    school_name: str
    kind_title: str  # e.g. "Жұмыс тобының отырысы"
    number: str  # "3" or "" for a draft
    date: str  # DD.MM.YYYY
    time: str  # HH:MM
    place: str
    chair: str
    secretary: str
    present: Sequence[str]
    absent: Sequence[str]  # "name (reason)"
    external: str  # "Қатысқан ата-аналар: 24" or ""
    items: Sequence[MinutesItem]
    created: datetime
    draft: bool
    addenda: Sequence[tuple[int, str, str]] = field(default_factory=tuple)  # (number, date, text)


# Kazakh captions: the school's paperwork is in the official language.
TITLE = "ХАТТАМА"
DRAFT = "ЖОБА (бекітілмеген)"
LABELS = {
    "place": "Өткізілген орны",
    "chair": "Төраға",
    "secretary": "Хатшы",
    "present": "Қатысқандар",
    "absent": "Қатыспағандар",
    "agenda": "КҮН ТӘРТІБІ:",
    "heard": "ТЫҢДАЛДЫ:",
    "spoke": "СӨЙЛЕДІ:",
    "resolved": "ҚАУЛЫ ЕТТІ:",
    "none": "жоқ",
    "people": "адам",
    "addendum": "Хаттамаға № {n} қосымша",
    "sign": "____________",
}


def _lines(doc: MinutesDoc) -> list[tuple[str, str, str]]:
    """The minutes as (style, alignment, text) lines, shared by the PDF and the DOCX so they agree.

    style: "title" (large bold), "bold", "" (plain), "gap" (an empty line); alignment: "L", "C", "R".
    """
    out: list[tuple[str, str, str]] = [("", "C", doc.school_name), ("gap", "L", "")]
    number = f" № {doc.number}" if doc.number else ""
    out.append(("title", "C", f"{TITLE}{number}"))
    out.append(("bold", "C", doc.kind_title))
    if doc.draft:
        out.append(("bold", "C", DRAFT))
    out += [
        ("gap", "L", ""),
        ("", "L", f"{doc.date} ж., сағ. {doc.time}"),
        ("", "L", f"{LABELS['place']}: {doc.place}"),
    ]
    out += [
        ("gap", "L", ""),
        ("", "L", f"{LABELS['chair']}: {doc.chair}"),
        ("", "L", f"{LABELS['secretary']}: {doc.secretary}"),
    ]
    present = ", ".join(doc.present) or LABELS["none"]
    out.append(("", "L", f"{LABELS['present']} ({len(doc.present)} {LABELS['people']}): {present}"))
    out.append(("", "L", f"{LABELS['absent']}: {', '.join(doc.absent) or LABELS['none']}"))
    if doc.external:
        out.append(("", "L", doc.external))
    out += [("gap", "L", ""), ("bold", "C", LABELS["agenda"])]
    for n, item in enumerate(doc.items, start=1):
        presenter = f" ({item.presenter})" if item.presenter else ""
        out.append(("", "L", f"{n}. {item.title}{presenter}"))
    for n, item in enumerate(doc.items, start=1):
        out += [("gap", "L", ""), ("bold", "L", f"{n}. {item.title}")]
        heard = " — ".join(x for x in (item.presenter, item.heard) if x) or "—"
        out += [("bold", "L", LABELS["heard"]), ("", "L", heard)]
        out += [("bold", "L", LABELS["spoke"]), ("", "L", item.discussion or "—")]
        out.append(("bold", "L", LABELS["resolved"]))
        if not item.decisions:
            out.append(("", "L", "—"))
        for m, decision in enumerate(item.decisions, start=1):
            out.append(("", "L", f"{n}.{m}. {decision.text}"))
            if decision.vote_line:
                out.append(("", "L", decision.vote_line))
            out += [("", "L", f"    – {task}") for task in decision.tasks]
    out += [("gap", "L", ""), ("gap", "L", "")]
    out.append(("", "L", f"{LABELS['chair']}: {LABELS['sign']} {doc.chair}"))
    out.append(("gap", "L", ""))
    out.append(("", "L", f"{LABELS['secretary']}: {LABELS['sign']} {doc.secretary}"))
    for number_, day, text in doc.addenda:
        out += [("gap", "L", ""), ("bold", "C", LABELS["addendum"].format(n=number_)), ("", "R", day)]
        out += [("", "L", line) for line in text.splitlines() or [""]]
    return out


def minutes_pdf(doc: MinutesDoc) -> bytes:
    pdf = new_pdf(f"{TITLE} {doc.number}".strip(), created=doc.created, margins=OFFICE_MARGINS)
    pdf.add_page()
    for style, align, text in _lines(doc):
        if style == "gap":
            pdf.ln(3)
        elif style == "title":
            write_line(pdf, text, size=14, style="B", align=align, h=8)
        else:
            write_line(pdf, text, size=12, style="B" if style == "bold" else "", align=align)
    return bytes(pdf.output())


_ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}


def minutes_docx(doc: MinutesDoc) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    props = document.core_properties
    props.title = f"{TITLE} {doc.number}".strip()
    props.author = props.last_modified_by = clean_text(doc.school_name)[:255]
    props.comments = ""
    props.language = "kk-KZ"
    props.revision = 1
    props.created = props.modified = doc.created.astimezone(UTC)
    for style, align, text in _lines(doc):
        paragraph = document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        if style == "gap":
            continue
        run = paragraph.add_run(clean_text(text))
        run.bold = style in ("bold", "title")
        if style == "title":
            run.font.size = Pt(14)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), doc.created)
