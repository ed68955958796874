"""The shared PDF set-up (documents/pdf.py) and the renderers built on it: fixed metadata, fixed bytes."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from fpdf import FPDF
from pypdf import PdfReader

from service.features.consultations.documents import Journal, JournalRow, journal_pdf
from service.features.incidents.documents import Minutes, MinutesVote, minutes_pdf
from service.features.tools.documents import MemberVerdict, ToolConclusion, render_conclusion_pdf
from service.platform.documents.fonts import FAMILY
from service.platform.documents.pdf import EPOCH, Margins, new_pdf
from service.platform.documents.tables import pdf_table

DECIDED = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)
SCHOOL = "«№ 7 мектеп-гимназиясы» КММ"


def _read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def _minutes() -> Minutes:
    return Minutes(
        school_name=SCHOOL,
        number="2026/3",
        date="20.11.2026",
        incident_type="Дербес деректердің ашылуы",
        tool="ChatGPT",
        summary="Оқушының бағалары ашық сервиске енгізілді",
        quorum_line="Кворум бар: 3 / 5",
        votes=[
            MinutesVote("Әлия Қасымова", "Ескерту", "келісемін"),
            MinutesVote("Ұлан Өмірзақ", "Ескерту", ""),
        ],
        decision="Ескерту жасау",
        recommendations=["Оқыту өткізу"],
        chair="Төраға Ү. Һәдиев",
        created=DECIDED,
    )


def _conclusion() -> ToolConclusion:
    ratings = {"security": 4, "data_protection": 3, "functionality": 5, "limitations": 3}
    return ToolConclusion(
        school_name=SCHOOL,
        tool_name="ChatGPT",
        vendor="OpenAI",
        url="https://chat.openai.com",
        purpose="Сабаққа дайындық",
        allowed_uses="мәтін жазу",
        data_processed="жеке деректер жоқ",
        personal_data_allowed=False,
        assessment=ratings,
        findings="Қауіпсіз",
        members=(MemberVerdict("Әлия Қасымова", ratings, "Рұқсат", "", "20.11.2026 11:30", "құпиясөз"),),
        outcome="Рұқсат етілген",
        rule="кворум 1/2",
        conclusion="Қолдануға болады",
        review_date="20.11.2027",
        created=DECIDED,
    )


def _journal(created: datetime | None) -> Journal:
    row = JournalRow("20.11.2026", "Әлия Қасымова, мұғалім", "ЖИ сабақта", "Кеңес берілді")
    return Journal(SCHOOL, "", [row] if created else [], "Жауапты Ж.", created)


def _table() -> bytes:
    return pdf_table(
        "Жаңа ережелермен келісу формасы",
        "Бұйрық № 2026/7",
        ["№", "Аты-жөні", "Танысқан күні мен уақыты"],
        [["1", "Өмірзақ Ұлықбекұлы", "20.11.2026 11:30"]],
        (12, 100, 70),
        created=DECIDED,
    )


def test_a_new_pdf_carries_the_title_the_fixed_date_and_the_language() -> None:
    pdf = new_pdf("Хаттама: ә ғ қ ң ө ұ ү һ і ₸", created=DECIDED, author=SCHOOL, subject="Тақырып")
    pdf.add_page()
    reader = _read(bytes(pdf.output()))
    meta = reader.metadata
    assert meta is not None
    # A character the font lacks is spelled out in the title as on the page (fonts.printable).
    assert meta.title == "Хаттама: ә ғ қ ң ө ұ ү һ і теңге"
    assert (meta.author, meta.subject, meta.creator) == (SCHOOL, "Тақырып", "school-ai-governance")
    assert meta["/CreationDate"] == "D:20261120063000Z"
    assert reader.trailer["/Root"]["/Lang"] == "kk-KZ"
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (595.28, 841.89)
    assert pdf.font_family == FAMILY.lower()


def test_without_a_moment_of_its_own_a_pdf_is_dated_at_the_epoch() -> None:
    pdf = new_pdf("Журнал", created=None)
    pdf.add_page()
    meta = _read(bytes(pdf.output())).metadata
    assert meta is not None and meta["/CreationDate"] == f"D:{EPOCH:%Y%m%d%H%M%S}Z"
    assert meta.author is None and meta.subject is None  # only set when given


def test_margins_orientation_and_a_footer_on_every_page() -> None:
    pages: list[int] = []
    pdf = new_pdf(
        "Кесте",
        created=DECIDED,
        margins=Margins(left=15, top=15, right=15, bottom=30),
        landscape=True,
        footer=lambda page: pages.append(page.page_no()),
    )
    assert (pdf.l_margin, pdf.t_margin, pdf.r_margin, pdf.b_margin) == (15, 15, 15, 30)
    assert pdf.w > pdf.h  # landscape A4
    for _ in range(3):
        pdf.add_page()
    pdf.output()
    assert pages == [1, 2, 3]


def test_plain_fpdf_is_what_the_renderers_get() -> None:
    assert isinstance(new_pdf("x", created=DECIDED), FPDF)


def test_the_incident_minutes_render_to_the_same_bytes_dated_at_the_decision() -> None:
    first = minutes_pdf(_minutes())
    assert first == minutes_pdf(_minutes())
    meta = _read(first).metadata
    assert meta is not None and meta["/CreationDate"] == "D:20261120063000Z"
    assert meta.title == "Үйлестіру-этикалық кеңес отырысының хаттамасы 2026/3"


def test_the_acknowledgement_form_renders_to_the_same_bytes_dated_at_the_last_acknowledgement() -> None:
    first = _table()
    assert first == _table()
    meta = _read(first).metadata
    assert meta is not None and meta["/CreationDate"] == "D:20261120063000Z"


def test_the_tool_conclusion_and_the_journal_render_to_the_same_bytes() -> None:
    assert render_conclusion_pdf(_conclusion()) == render_conclusion_pdf(_conclusion())
    for created in (DECIDED, None):
        assert journal_pdf(_journal(created)) == journal_pdf(_journal(created))
    assert float(_read(journal_pdf(_journal(None))).pages[0].mediabox.width) == 841.89  # landscape


def test_the_conclusion_table_wraps_headings_between_words_and_has_totals() -> None:
    from dataclasses import replace

    other = {"security": 3, "data_protection": 4, "functionality": 4, "limitations": 4}
    members = (
        *_conclusion().members,
        MemberVerdict(
            "Ұлан Өмірзақұлы",
            other,
            "Шектеулермен рұқсат",
            "Оқушылардың дербес деректерін енгізбеу",
            "20.11.2026 11:40",
            "құпиясөз",
        ),
        MemberVerdict("Дана Сейіт", other, "Тыйым", "", "20.11.2026 11:50", "құпиясөз"),
    )
    text = " ".join(
        p.extract_text() for p in _read(render_conclusion_pdf(replace(_conclusion(), members=members))).pages
    )
    lines = [line.strip() for line in text.splitlines()]
    words = {w for line in lines for w in line.split()}
    for word in ("Қауіпсіздік", "Деректерді", "Функционалдылық", "Шектеулер", "Шектеулермен", "Оқушылардың"):
        assert word in words, word  # never cut inside a word
    assert "Ұлан Өмірзақұлы" in lines or "Ұлан Өмірзақұлы" in " ".join(lines)
    assert "Барлығы: 3; орташа балл" in " ".join(text.split())
    assert "3,3" in text and "3,7" in text  # mean scores with a decimal comma
    assert "Рұқсат — 1, Шектеулермен рұқсат — 1, Тыйым — 1" in " ".join(text.split())
