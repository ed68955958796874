"""What a registered order says, independent of the file format: the input dataclasses and the Kazakh wording.

`order_pdf` and `order_docx` lay the same content out; `orders` is the public entry point.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from service.platform.documents.text import clean_text

ORDER_WORD = "БҰЙРЫҚ"
APPROVAL_WORD = "Бекітемін"
DIRECTOR_POSITION = "Мектеп директоры"
BASIS_LABEL = "Негіздеме"
SHEET_TITLE = "Келісу парағы"
CODE_LABEL = "Тексеру коды"
# Regulation 7.2, word for word; the kinds of help follow in parentheses.
AI_DECLARATION = "Материалды әзірлеуде жасанды интеллект құралдары пайдаланылды"
DECISION_WORDS: dict[str | None, str] = {
    "approve": "Келісілді",
    "return": "Пысықтауға қайтарылды",
    "reject": "Қабылданбады",
    None: "Әзірледі",
}
SHEET_HEADER = ("№", "Кезең", "Орындаушы", "Шешім", "Түсініктеме", "Күні, уақыты")


@dataclass(frozen=True)
class ApprovalStep:
    """One row of the approval sheet: who did which step, with what decision, when."""

    step: str  # already localized, e.g. "Құқықтық сараптама"
    actor: str  # full name
    decision: str | None  # approve / return / reject; None for drafting
    comment: str | None
    at: datetime  # aware; a naive value is taken as UTC
    decision_label: str = ""  # the option's Kazakh title in the step's form, for decisions beyond the three


@dataclass(frozen=True)
class OrderDocument:
    """A registered order with everything printed on it; labels come already localized (Kazakh)."""

    school_name: str
    number: str  # "2026/7"
    date: date  # registration date
    title: str
    order_type_label: str
    body: str  # paragraphs separated by line breaks
    basis: str | None
    marking_label: str  # "Ұйымның ішкі құжаты" etc.
    ai_assisted: bool
    ai_help_labels: tuple[str, ...]  # "Қарапайым мәтін", "тілдік түзету", …
    director_name: str
    approved_at: datetime  # aware; also the PDF's creation date, which keeps the bytes stable
    approval_sheet: tuple[ApprovalStep, ...]
    verification_code: str = ""  # printed in the PDF footer; "" for the rendering the code is computed from
    timezone: str = "Asia/Almaty"


def verification_code(content: bytes) -> str:
    """The code printed on an order: the first 12 hex digits of the SHA-256 of `content`, grouped by four.

    For example "3F9A-01C2-7B44". 48 bits are short enough to read out or type from paper, and far too many
    to hit another order of the school by chance; the code only finds the order in the service, whose full
    stored SHA-256 then proves the file. A PDF cannot carry its own hash, so the caller hashes the document
    rendered with an empty code and prints that code on the final rendering.
    """
    digest = hashlib.sha256(content).hexdigest()[:12].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 12, 4))


def normalize_verification_code(text: str) -> str:
    """A typed code in the printed form: "3f9a01c27b44" or "3F9A 01C2 7B44" become "3F9A-01C2-7B44"."""
    digits = re.sub(r"[^0-9A-Fa-f]", "", text).upper()
    if len(digits) != 12:
        return text.strip().upper()
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4))


def _lower_first(label: str) -> str:
    # "Қарапайым мәтін" -> "қарапайым мәтін", but an abbreviation such as "ЖИ-мен аудару" stays as it is.
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def declaration_sentence(help_labels: Sequence[str]) -> str:
    """The Regulation 7.2 sentence with the kinds of help in brackets."""
    kinds = ", ".join(_lower_first(label.strip()) for label in help_labels if label.strip())
    return f"{AI_DECLARATION} ({kinds})" if kinds else AI_DECLARATION


def declaration(doc: OrderDocument) -> str | None:
    """The Regulation 7.2 sentence for this order, or None when no AI was used."""
    return declaration_sentence(doc.ai_help_labels) if doc.ai_assisted else None


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local_time(doc: OrderDocument, moment: datetime) -> str:
    """dd.mm.yyyy HH:MM in the document's time zone."""
    return _aware(moment).astimezone(ZoneInfo(doc.timezone)).strftime("%d.%m.%Y %H:%M")


def creation_date(doc: OrderDocument) -> datetime:
    return _aware(doc.approved_at)


def order_date(doc: OrderDocument) -> str:
    return doc.date.strftime("%d.%m.%Y")


def number_line(doc: OrderDocument) -> str:
    return f"№ {doc.number}"


def basis_line(doc: OrderDocument) -> str | None:
    basis = (doc.basis or "").strip()
    return f"{BASIS_LABEL}: {basis}" if basis else None


def body_paragraphs(doc: OrderDocument) -> list[str]:
    """The body's lines as paragraphs, in order; an empty string stands for an empty line."""
    lines = [line.rstrip() for line in clean_text(doc.body).strip("\n").split("\n")]
    return lines or [""]


def is_directive(line: str) -> bool:
    """A line such as "БҰЙЫРАМЫН:": printed bold at the margin rather than as an indented paragraph."""
    text = line.strip()
    return len(text) <= 40 and text.endswith(":") and text.isupper()


def approved_line(doc: OrderDocument) -> str:
    return f"Бекітілген күні: {local_time(doc, doc.approved_at)}"


def sheet_caption(doc: OrderDocument) -> str:
    return f"Бұйрық {number_line(doc)}, {order_date(doc)}: {doc.title}"


def sheet_type_line(doc: OrderDocument) -> str:
    return f"Бұйрықтың түрі: {doc.order_type_label}"


def sheet_time_note(doc: OrderDocument) -> str:
    return f"Уақыт белдеуі: {doc.timezone}"


def decision_word(step: ApprovalStep) -> str:
    return DECISION_WORDS.get(step.decision) or step.decision_label or ("—" if step.decision else "")


def sheet_rows(doc: OrderDocument) -> list[tuple[str, str, str, str, str, str]]:
    """The approval sheet's rows under `SHEET_HEADER`, numbered from 1."""
    return [
        (
            str(index),
            step.step,
            step.actor,
            decision_word(step),
            (step.comment or "").strip(),
            local_time(doc, step.at),
        )
        for index, step in enumerate(doc.approval_sheet, 1)
    ]


def code_line(doc: OrderDocument) -> str:
    return f"{CODE_LABEL}: {doc.verification_code}" if doc.verification_code else ""


def document_title(doc: OrderDocument) -> str:
    return f"Бұйрық {number_line(doc)}: {doc.title}"
