"""An edition as PDF and DOCX with its approval header, and the comparison table, read back."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from pypdf import PdfReader

from service.features.acts.documents import (
    ComparisonDocument,
    EditionDocument,
    render_comparison_pdf,
    render_edition_docx,
    render_edition_pdf,
)
from service.features.acts.rules import apply_change, compare, parse_act

SEED = parse_act((Path(__file__).parents[2] / "seeds" / "ai_regulation.txt").read_text(encoding="utf-8"))
NEW_81 = (
    "Педагогтер ашық ЖИ сервистеріне оқушылардың және әріптестерінің дербес деректерін енгізбеуге міндетті."
)
SECOND = apply_change(SEED, "8.1", "change", NEW_81)


def _edition(number: int = 2) -> EditionDocument:
    return EditionDocument(
        school_name="№54 мектеп",
        act_title="Мектепте жасанды интеллектті жауапты пайдалану туралы ереже",
        edition=number,
        text=SECOND,
        order_number="2026/7",
        order_date=date(2026, 12, 2),
        in_force_from=date(2026, 12, 2),
    )


def _pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_edition_pdf_has_the_order_header_and_every_clause() -> None:
    text = _pdf_text(render_edition_pdf(_edition()))
    assert "БЕКІТІЛГЕН" in text and "02.12.2026" in text and "№ 2026/7 бұйрығымен" in text
    assert "2-редакция" in text
    assert "әріптестерінің" in text and "5.2. Тыйым салынады:" in text and "10.2." in text


def test_edition_docx_reads_back_with_the_header() -> None:
    paragraphs = [p.text for p in Document(io.BytesIO(render_edition_docx(_edition()))).paragraphs]
    assert "№ 2026/7 бұйрығымен" in paragraphs
    assert any(p.startswith("8.1. Педагогтер") and "әріптестерінің" in p for p in paragraphs)


def test_the_first_edition_keeps_the_header_of_the_original() -> None:
    doc = EditionDocument("№54 мектеп", "Ереже", 1, SEED, None, None, date(2026, 12, 1))
    assert "Бекітемін:" in _pdf_text(render_edition_pdf(doc))


def test_same_edition_same_bytes() -> None:
    assert render_edition_pdf(_edition()) == render_edition_pdf(_edition())


def test_comparison_pdf_lists_only_the_changed_clause_with_both_wordings() -> None:
    rows = tuple(compare(SEED, SECOND))
    text = _pdf_text(render_comparison_pdf(ComparisonDocument("№54 мектеп", "Ереже", 1, 2, rows)))
    assert "Салыстырма кесте" in text and "Бұрынғы редакция" in text and "Жаңа редакция" in text
    assert "8.1" in text and "әріптестерінің" in text
    assert "5.2" not in text
