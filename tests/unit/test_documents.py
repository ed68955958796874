"""The order documents read back: number, title, body, basis, marking, declaration, approval sheet, code.

No Flask and no database: the renderers are pure functions from dataclasses to bytes. The PDF is read with
pypdf, the DOCX with python-docx, and the Kazakh letters must come back exactly as they went in.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from service.features.orders.documents.files import (
    ApprovalStep,
    OrderDocument,
    declaration,
    normalize_verification_code,
    render_order_docx,
    render_order_pdf,
    verification_code,
)
from service.platform.documents.fonts import font_path, printable
from service.platform.documents.tables import pdf_table

LETTERS = "ә ғ қ ң ө ұ ү һ і"
CAPITALS = "Ә Ғ Қ Ң Ө Ұ Ү Һ І"
DECLARATION = (
    "Материалды әзірлеуде жасанды интеллект құралдары пайдаланылды"
    " (қарапайым мәтін, тілдік түзету, құрылымдау)"
)
START = datetime(2026, 11, 16, 4, 5, tzinfo=UTC)  # 09:05 in Almaty (UTC+5)
DRAFTER, LAWYER, DIRECTOR = "Мәдина Асқарқызы Жұмабаева", "Сәуле Оразқызы Бекова", "Айгүл Серікқызы Нұрланова"
RETURN_COMMENT = "Негіздемені нақтылаңыз: хаттаманың нөмірі мен күнін көрсетіңіз"
DIRECTOR_COMMENT = "Өңделген нұсқамен келісемін"


def _order(**changes: object) -> OrderDocument:
    """Drafted, returned by the lawyer with a comment, reworked, then approved by the lawyer and director."""
    order = OrderDocument(
        school_name="«№ 7 мектеп-гимназиясы» КММ",
        number="2026/7",
        date=date(2026, 11, 20),
        title=f"Жасанды интеллектті әдепті пайдалану туралы ({LETTERS})",
        order_type_label="Академиялық адалдық және жасанды интеллектті этикалық қолдану туралы",
        body=(
            "Мектептің Жасанды интеллектті жауапты пайдалану туралы ережесіне сәйкес\n"
            "БҰЙЫРАМЫН:\n"
            "1. Мұғалімдер ЖИ құралдарын тек рұқсат етілген тізімдегі нұсқада ашық пайдаланады.\n"
            "2. Оқушылардың дербес деректері қорғалады; өңделген мәтіндер һәм есептер тексеріледі.\n"
            "\n"
            f"3. Бақылау Ғ. Өтебаевқа жүктелсін ({CAPITALS})."
        ),
        basis="Жұмыс тобының № 3 хаттамасы; жылдық жоспардың 3-тармағы",
        marking_label="Ұйымның ішкі құжаты",
        ai_assisted=True,
        ai_help_labels=("Қарапайым мәтін", "Тілдік түзету", "Құрылымдау"),
        director_name=DIRECTOR,
        approved_at=START + timedelta(days=3, hours=2),
        approval_sheet=(
            ApprovalStep("Жобаны дайындау", DRAFTER, None, None, START),
            ApprovalStep("Құқықтық сараптама", LAWYER, "return", RETURN_COMMENT, START + timedelta(hours=5)),
            ApprovalStep("Жобаны пысықтау", DRAFTER, None, None, START + timedelta(days=1)),
            ApprovalStep("Құқықтық сараптама", LAWYER, "approve", None, START + timedelta(days=2)),
            ApprovalStep(
                "Директордың бекітуі",
                DIRECTOR,
                "approve",
                DIRECTOR_COMMENT,
                START + timedelta(days=3, hours=2),
            ),
        ),
        verification_code="ABCD-1234-EF56",
    )
    return replace(order, **changes)  # type: ignore[arg-type]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(content: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _docx_text(content: bytes) -> tuple[str, str, list[list[str]]]:
    """(body paragraphs, footers, table rows) of a DOCX."""
    document = Document(io.BytesIO(content))
    body = _flat(" ".join(p.text for p in document.paragraphs))
    footers = _flat(" ".join(p.text for s in document.sections for p in s.footer.paragraphs))
    rows = [[_flat(c.text) for c in row.cells] for table in document.tables for row in table.rows]
    return body, footers, rows


ORDER_TEXTS = (
    "БҰЙРЫҚ",
    "№ 2026/7",
    "20.11.2026",
    f"Жасанды интеллектті әдепті пайдалану туралы ({LETTERS})",
    "БҰЙЫРАМЫН:",
    "ЖИ құралдарын тек рұқсат етілген тізімдегі нұсқада ашық пайдаланады",
    "өңделген мәтіндер һәм есептер тексеріледі",
    f"Ғ. Өтебаевқа жүктелсін ({CAPITALS})",
    "Негіздеме: Жұмыс тобының № 3 хаттамасы; жылдық жоспардың 3-тармағы",
    "Ұйымның ішкі құжаты",
    DECLARATION,
    "Бекітемін",
    f"Мектеп директоры {DIRECTOR}",
    "«№ 7 мектеп-гимназиясы» КММ",
)
# Every row of the approval sheet: actor, decision word, comment, time in Asia/Almaty.
SHEET_ROWS = (
    ("1", DRAFTER, "Әзірледі", "", "16.11.2026 09:05"),
    ("2", LAWYER, "Пысықтауға қайтарылды", RETURN_COMMENT, "16.11.2026 14:05"),
    ("3", DRAFTER, "Әзірледі", "", "17.11.2026 09:05"),
    ("4", LAWYER, "Келісілді", "", "18.11.2026 09:05"),
    ("5", DIRECTOR, "Келісілді", DIRECTOR_COMMENT, "19.11.2026 11:05"),
)


def test_pdf_reads_back_with_everything() -> None:
    pages = _pdf_pages(render_order_pdf(_order()))
    assert len(pages) == 2
    order, sheet = pages
    for expected in ORDER_TEXTS:
        assert expected in order, expected
    assert "Бекітілген күні: 19.11.2026 11:05" in order  # the approval moment in Asia/Almaty
    assert "Келісу парағы" in sheet
    assert "Бұйрық № 2026/7, 20.11.2026" in sheet
    assert "Бұйрықтың түрі: Академиялық адалдық" in sheet
    for _, actor, word, comment, when in SHEET_ROWS:
        for expected in (actor, word, comment, when):
            assert expected in sheet, expected
    assert sheet.count("Әзірледі") == 2 and sheet.count("Келісілді") == 2
    assert sheet.count(LAWYER) == 2 and sheet.count("Пысықтауға қайтарылды") == 1
    for number, page in enumerate(pages, 1):
        assert "Тексеру коды: ABCD-1234-EF56" in page
        assert f"{number} / 2" in page


def test_kazakh_letters_come_back_intact_from_the_pdf() -> None:
    text = " ".join(_pdf_pages(render_order_pdf(_order())))
    assert LETTERS in text and CAPITALS in text
    for letter in LETTERS.split() + CAPITALS.split():
        assert letter in text


def test_pdf_embeds_the_packaged_font() -> None:
    reader = PdfReader(io.BytesIO(render_order_pdf(_order())))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("PTSerif" in name for name in fonts), fonts


def test_docx_reads_back_with_everything() -> None:
    body, footers, rows = _docx_text(render_order_docx(_order()))
    for expected in ORDER_TEXTS:
        assert expected in body, expected
    assert LETTERS in body and CAPITALS in body
    assert "Келісу парағы" in body
    assert rows[0] == ["№", "Кезең", "Орындаушы", "Шешім", "Түсініктеме", "Күні, уақыты"]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows[1:]] == list(SHEET_ROWS)
    assert "Тексеру коды: ABCD-1234-EF56" in footers


def test_same_input_same_bytes() -> None:
    assert render_order_pdf(_order()) == render_order_pdf(_order())
    assert render_order_docx(_order()) == render_order_docx(_order())
    assert render_order_pdf(_order()) != render_order_pdf(_order(verification_code="FFFF-0000-FFFF"))


def test_other_processes_render_the_same_bytes() -> None:
    """Web workers differ in hash seed and time zone; a later download must still match the recorded hash."""
    script = (
        "import hashlib\n"
        "from tests.unit.test_documents import _order\n"
        "from service.features.orders.documents.files import render_order_docx, render_order_pdf\n"
        "print(hashlib.sha256(render_order_pdf(_order())).hexdigest())\n"
        "print(hashlib.sha256(render_order_docx(_order())).hexdigest())\n"
    )
    here = [hashlib.sha256(render_order_pdf(_order())).hexdigest()]
    here.append(hashlib.sha256(render_order_docx(_order())).hexdigest())
    root = Path(__file__).resolve().parents[2]
    for seed, zone in (("1", "Asia/Tokyo"), ("2", "America/New_York")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == here


def test_naive_times_are_utc_so_the_machine_zone_does_not_matter() -> None:
    naive = _order(approved_at=_order().approved_at.replace(tzinfo=None))
    first = render_order_pdf(naive)
    saved = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "America/New_York"
        time.tzset()
        again = render_order_pdf(naive)
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert again == first == render_order_pdf(_order())
    assert "Бекітілген күні: 19.11.2026 11:05" in _pdf_pages(first)[0]


def test_no_declaration_without_ai() -> None:
    order = _order(ai_assisted=False, ai_help_labels=())
    pdf_text = " ".join(_pdf_pages(render_order_pdf(order)))
    docx_body, _, _ = _docx_text(render_order_docx(order))
    for text in (pdf_text, docx_body):
        assert "жасанды интеллект құралдары пайдаланылды" not in text
        assert "Бекітемін" in text


def test_declaration_wording() -> None:
    assert declaration(_order()) == DECLARATION
    assert declaration(_order(ai_help_labels=("тілдік түзету",))) == (
        "Материалды әзірлеуде жасанды интеллект құралдары пайдаланылды (тілдік түзету)"
    )
    assert declaration(_order(ai_help_labels=())) == (
        "Материалды әзірлеуде жасанды интеллект құралдары пайдаланылды"
    )
    assert declaration(_order(ai_help_labels=("ЖИ-мен аудару",))).endswith("(ЖИ-мен аудару)")  # type: ignore[union-attr]
    assert declaration(_order(ai_assisted=False)) is None


def test_without_a_code_the_footer_has_no_code_line() -> None:
    pages = _pdf_pages(render_order_pdf(_order(verification_code="")))
    assert all("Тексеру коды" not in page for page in pages)
    assert "1 / 2" in pages[0]


def test_a_long_order_numbers_every_page_and_prints_the_code_on_each() -> None:
    body = "\n".join(
        f"{n}. Ережеге сәйкес әрбір қызметкер өз міндетін орындайды, нәтижесі тексеріледі." * 3
        for n in range(40)
    )
    steps = tuple(
        ApprovalStep("Құқықтық сараптама", f"Заңгер {n}", "return", f"Түзету {n}", START) for n in range(60)
    )
    pages = _pdf_pages(render_order_pdf(_order(body=body, approval_sheet=steps)))
    assert len(pages) > 4
    for number, page in enumerate(pages, 1):
        assert "Тексеру коды: ABCD-1234-EF56" in page
        assert f"{number} / {len(pages)}" in page
    text = " ".join(pages)
    assert "39. Ережеге сәйкес" in text
    assert "Заңгер 59" in text and "Түзету 59" in text
    assert text.count("Түсініктеме") >= 2  # the sheet's header repeats on its next page


def test_characters_missing_from_the_font_are_replaced_visibly(caplog: pytest.LogCaptureFixture) -> None:
    assert printable("Құны 5000 ₸ → бекітілді ✓") == "Құны 5000 теңге -> бекітілді +"
    assert printable("нұсқа\u200b 😀\r\nжол") == "нұсқа ?\nжол"
    assert printable(LETTERS + " " + CAPITALS + " «№» — …") == LETTERS + " " + CAPITALS + " «№» — …"
    with caplog.at_level(logging.WARNING):
        text = " ".join(_pdf_pages(render_order_pdf(_order(basis="Бюджет: 5000 ₸ 😀"))))
    assert "Негіздеме: Бюджет: 5000 теңге ?" in text
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


@pytest.mark.parametrize(
    "changes",
    [
        {"body": ""},
        {"body": "\n\n"},
        {"basis": "   ", "approval_sheet": ()},
        {"school_name": "", "director_name": "", "marking_label": ""},
        {"title": "Ұзын " * 200 + "https://example.org/" + "ә" * 300},
        {"body": "{nb} сөзі өзгермейді\x0bекінші жол\x00\ud800 https://example.org/" + "a" * 300},
    ],
)
def test_unusual_input_still_renders(changes: dict[str, object]) -> None:
    order = _order(**changes)
    pages = _pdf_pages(render_order_pdf(order))
    body, _, _ = _docx_text(render_order_docx(order))
    assert "БҰЙРЫҚ" in pages[0] and "Келісу парағы" in " ".join(pages)
    assert "БҰЙРЫҚ" in body
    if "{nb}" in str(changes.get("body")):
        assert "{nb} сөзі өзгермейді" in pages[0] and "екінші жол" in pages[0]
        document = Document(io.BytesIO(render_order_docx(order)))
        lines = [p.text for p in document.paragraphs]
        assert "{nb} сөзі өзгермейді" in lines  # Word's manual line break starts a new paragraph


def test_verification_code_is_the_grouped_start_of_the_sha256() -> None:
    content = render_order_pdf(_order(verification_code=""))
    digest = hashlib.sha256(content).hexdigest().upper()
    code = verification_code(content)
    assert code == f"{digest[:4]}-{digest[4:8]}-{digest[8:12]}"
    assert normalize_verification_code(code.lower().replace("-", " ")) == code
    assert normalize_verification_code(f" {code.replace('-', '')} ") == code
    assert normalize_verification_code("abc") == "ABC"


def test_the_font_ships_in_a_python_package() -> None:
    for style in ("", "B", "I", "BI"):
        path = font_path(style)
        assert path.is_file() and "fontpkg_pt_serif" in path.parts, path


def test_acknowledgement_form_reads_back_in_kazakh() -> None:
    content = pdf_table(
        "Жаңа ережелермен келісу формасы",
        f"Бұйрық № 2026/7: {LETTERS}",
        ["№", "Аты-жөні", "Танысқан күні мен уақыты"],
        [["1", "Өмірзақ Ұлықбекұлы", "21.11.2026 10:15"], ["2", "Һәдия Іңкәрқызы", "—"]],
        (12, 100, 70),
        created=datetime(2026, 11, 21, 5, 15, tzinfo=UTC),
    )
    text = " ".join(_pdf_pages(content))
    for expected in ("Жаңа ережелермен келісу формасы", LETTERS, "Өмірзақ Ұлықбекұлы", "Һәдия Іңкәрқызы"):
        assert expected in text, expected
