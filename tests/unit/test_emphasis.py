"""Markdown emphasis in regulation text becomes bold and italic in pages, PDF and DOCX — never asterisks."""

from __future__ import annotations

import io

from docx import Document
from flask import Flask
from pypdf import PdfReader

from service.features.acts.documents import render_edition_docx, render_edition_pdf
from service.platform.documents.emphasis import Run, as_fpdf_markdown, plain, runs
from tests.unit.test_act_documents import SEED, _edition


def test_runs_split_bold_and_italic_and_leave_lone_asterisks() -> None:
    assert runs("**Инцидент** – оқиға") == [Run("Инцидент", "B"), Run(" – оқиға")]
    assert runs("a *курсив* b") == [Run("a "), Run("курсив", "I"), Run(" b")]
    assert runs("**қалың *екеуі* қалың**") == [Run("қалың ", "B"), Run("екеуі", "BI"), Run(" қалың", "B")]
    assert runs("5 * 3 * 2 және 7*") == [Run("5 * 3 * 2 және 7*")]  # arithmetic and a footnote mark
    assert plain("**Ақпараттық жүйе (АЖ)** – *деректер*") == "Ақпараттық жүйе (АЖ) – деректер"
    assert as_fpdf_markdown("a -- b **c**") == "a -\u200b- b **c**"  # fpdf2 would underline "--"


def test_the_seed_has_emphasis_and_the_edition_pdf_prints_it_without_asterisks() -> None:
    assert "**" in "".join(c.text for c in SEED.clauses())  # what the issue saw ten times in the PDF
    content = render_edition_pdf(_edition())
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages)
    assert "*" not in text and "Ақпараттық жүйе (АЖ)" in text
    fonts = {str(f) for p in PdfReader(io.BytesIO(content)).pages for f in p["/Resources"]["/Font"].values()}
    assert len(fonts) >= 3  # regular, bold and italic faces are all used


def test_the_edition_docx_has_bold_runs_and_no_asterisks() -> None:
    document = Document(io.BytesIO(render_edition_docx(_edition())))
    assert not any("*" in p.text for p in document.paragraphs)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Ақпараттық жүйе (АЖ)" in bold


def test_the_page_filter_escapes_and_emphasises(app: Flask) -> None:
    emphasis = app.jinja_env.filters["emphasis"]
    html = str(emphasis("**<b>Инцидент</b>** – *оқиға*"))
    assert html == "<strong>&lt;b&gt;Инцидент&lt;/b&gt;</strong> – <em>оқиға</em>"
