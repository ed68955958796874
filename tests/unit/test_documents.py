"""The order documents read back with their Kazakh text, approval sheet, marking and declaration."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime

import pytest
from docx import Document
from pypdf import PdfReader

from service.documents.orders import (
    FONT_DIR,
    ApprovalStep,
    OrderDocument,
    render_order_docx,
    render_order_pdf,
    verification_code,
)

LETTERS = "ә ғ қ ң ө ұ ү һ і"

@pytest.fixture(autouse=True)
def _font() -> None:
    """`make test` installs Debian's fonts-dejavu-core; in CI a missing font fails, elsewhere it skips."""
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        message = "Debian's fonts-dejavu-core is not installed"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


def _order(**changes: object) -> OrderDocument:
    at = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)
    values: dict[str, object] = dict(
        school_name="№ 7 мектеп-гимназия",
        number="2026/7",
        date=date(2026, 11, 20),
        title=f"Жасанды интеллектті әдепті пайдалану туралы ({LETTERS})",
        order_type_label="Академиялық адалдық және ЖИ-ді этикалық қолдану",
        body=(
            "Бірінші тармақ: мұғалімдер ЖИ құралдарын ашық пайдаланады.\n"
            "Екінші тармақ: оқушылардың деректері қорғалады."
        ),
        basis="Жылдық жоспардың 3-тармағы",
        marking_label="Ұйымның ішкі құжаты",
        ai_assisted=True,
        ai_help_labels=("Қарапайым мәтін", "Тілдік түзету"),
        director_name="Айгүл Серікқызы",
        approved_at=at,
        approval_sheet=(
            ApprovalStep("Жобаны дайындау", "Мәдина Асқарқызы", None, None, at),
            ApprovalStep("Құқықтық сараптама", "Сәуле Оразқызы", "return", "Негізді нақтылаңыз", at),
            ApprovalStep("Құқықтық сараптама", "Сәуле Оразқызы", "approve", None, at),
            ApprovalStep("Директордың бекітуі", "Айгүл Серікқызы", "approve", None, at),
        ),
        verification_code="ABCD-1234-EF56",
    )
    values.update(changes)
    return OrderDocument(**values)  # type: ignore[arg-type]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_reads_back_with_everything() -> None:
    content = render_order_pdf(_order())
    text = _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))
    for expected in (
        "БҰЙРЫҚ",
        "2026/7",
        "20.11.2026",
        LETTERS,
        "ЖИ құралдарын ашық пайдаланады",
        "Негіздеме: Жылдық жоспардың 3-тармағы",
        "Ұйымның ішкі құжаты",
        "Бекітемін",
        "Айгүл Серікқызы",
        "Келісу парағы",
        "Пысықтауға қайтарылды",
        "Негізді нақтылаңыз",
        "Келісілді",
        "Тексеру коды: ABCD-1234-EF56",
        "жасанды интеллект құралдары пайдаланылды (қарапайым мәтін, тілдік түзету)",
    ):
        assert expected in text, expected
    assert "11:30" in text  # times in Asia/Almaty


def test_pdf_is_deterministic_and_has_a_code() -> None:
    first, second = render_order_pdf(_order()), render_order_pdf(_order())
    assert first == second
    code = verification_code(first)
    assert len(code) == 14 and code.count("-") == 2


def test_docx_reads_back_with_everything() -> None:
    document = Document(io.BytesIO(render_order_docx(_order())))
    text = _flat(" ".join(p.text for p in document.paragraphs))
    cells = _flat(" ".join(c.text for t in document.tables for r in t.rows for c in r.cells))
    for expected in (
        "БҰЙРЫҚ",
        "2026/7",
        LETTERS,
        "Бекітемін",
        "Ұйымның ішкі құжаты",
        "пайдаланылды (қарапайым мәтін, тілдік түзету)",
    ):
        assert expected in text, expected
    for expected in ("Сәуле Оразқызы", "Пысықтауға қайтарылды", "Негізді нақтылаңыз", "Әзірледі"):
        assert expected in cells, expected


def test_no_declaration_without_ai() -> None:
    content = render_order_pdf(_order(ai_assisted=False, ai_help_labels=()))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "пайдаланылды" not in text
