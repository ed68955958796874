"""The minutes' renderers and the quorum rule, without a database: the Kazakh layout in PDF and DOCX alike,
the same minutes giving the same bytes, a draft marked as such, and who carries a vote."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from pypdf import PdfReader

from service.features.meetings.documents import (
    MinutesDecision,
    MinutesDoc,
    MinutesItem,
    minutes_docx,
    minutes_pdf,
)
from service.features.meetings.rules import Outcome, settle

DOC = MinutesDoc(
    school_name="№ 12 жалпы білім беретін мектеп",
    kind_title="Жұмыс тобының отырысы",
    number="3",
    date="12.12.2026",
    time="15:00",
    place="Мұғалімдер бөлмесі",
    chair="Ерлан Қайратұлы",
    secretary="Нұрлан Бекұлы",
    present=["Ерлан Қайратұлы", "Нұрлан Бекұлы", "Дәурен Маратұлы"],
    absent=["Арман Болатұлы (ауырып қалды)"],
    external="",
    items=[
        MinutesItem(
            title="Жергілікті актілерді талқылау",
            presenter="Гүлнар Әлібекқызы",
            heard="Ереженің жаңа редакциясы таныстырылды.",
            discussion="Д. Маратұлы: 5.2-тармақты нақтылау керек.",
            decisions=[
                MinutesDecision(
                    "Ереже мақұлдансын.",
                    "Дауыс беру: «иә» — 3, «қарсы» — 0, «қалыс» — 0. Шешім қабылданды.",
                    ["Гүлнар Әлібекқызы — келісу формасын тарату, мерзімі: 20.12.2026"],
                )
            ],
        )
    ],
    created=datetime(2026, 12, 12, 11, 0, tzinfo=UTC),
    draft=False,
    addenda=[(1, "14.12.2026", "Қатысушылар тізімі толықтырылсын.")],
)
HEADINGS = ("ХАТТАМА № 3", "КҮН ТӘРТІБІ:", "ТЫҢДАЛДЫ:", "СӨЙЛЕДІ:", "ҚАУЛЫ ЕТТІ:", "Хаттамаға № 1 қосымша")


def test_the_pdf_has_the_kazakh_layout_and_is_byte_stable() -> None:
    first = minutes_pdf(DOC)
    assert first == minutes_pdf(DOC)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    for heading in HEADINGS:
        assert heading in text, heading
    order = [text.index(h) for h in ("КҮН ТӘРТІБІ", "ТЫҢДАЛДЫ", "СӨЙЛЕДІ", "ҚАУЛЫ ЕТТІ")]
    assert order == sorted(order)
    assert "Қатысқандар (3 адам)" in text and "Арман Болатұлы (ауырып қалды)" in text
    assert "Төраға: ____________ Ерлан Қайратұлы" in text and "Хатшы: ____________ Нұрлан Бекұлы" in text
    assert "ЖОБА" not in text


def test_the_docx_says_the_same_and_is_byte_stable() -> None:
    first = minutes_docx(DOC)
    assert first == minutes_docx(DOC)
    text = "\n".join(p.text for p in Document(io.BytesIO(first)).paragraphs)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "келісу формасын тарату, мерзімі: 20.12.2026" in text


def test_a_draft_says_so_and_has_no_number() -> None:
    from dataclasses import replace

    text = PdfReader(io.BytesIO(minutes_pdf(replace(DOC, number="", draft=True)))).pages[0].extract_text()
    assert "ЖОБА (бекітілмеген)" in text and "ХАТТАМА №" not in text


def test_the_quorum_rule() -> None:
    assert settle(3, 1, 1, 6) == Outcome(True, True)  # 5 of 6 voted, 3 of 5 for
    assert settle(2, 1, 1, 6) == Outcome(True, False)  # 2 of 4 is not more than half
    assert settle(3, 0, 0, 6) == Outcome(False, False)  # 3 of 6 is not more than half of those entitled
    assert settle(0, 0, 0, 0) == Outcome(False, False)
    assert settle(2, 0, 0, 0) == Outcome(True, True)  # nobody listed: the vote stands on its counts
