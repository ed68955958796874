"""A survey in a real browser: the responsible person loads the September template and opens it; a
teacher answers on a phone-width screen in Kazakh (what they type survives a reload before sending);
two more answer; the owner sees the charts; the analytical note PDF keeps the Kazakh text and charts."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import KAZAKH_LETTERS, PHONE, NewContext, Shot, page_widths

pytestmark = pytest.mark.browser


def _answer(page: Any, n: int) -> None:
    """Fills the ai_knowledge template's form: choices by their labels' order, the scale, a free text."""
    form = page.locator("[data-testid=answer-form]")
    form.locator(f"#a-q1-{1 + n % 3}").check()
    form.locator("#a-q2-1").check()
    form.locator("#a-q3-2").check()
    form.locator("#a-q4-1").check()
    form.locator("#a-q4-2").check()
    form.locator(f"#a-q5-{3 + n % 3}").check()
    form.locator("#a-q6-3").check()
    form.locator("#a-q7").fill(f"Көбірек тәжірибелік сабақ керек {n}")


def test_a_teacher_answers_on_a_phone_and_the_owner_gets_charts_and_the_note(
    new_context: NewContext, shot: Shot
) -> None:
    owner = sign_in(new_context(), "responsible")
    owner.goto("/surveys")
    with owner.expect_navigation():
        owner.locator("[data-testid=template-ai_knowledge]").click()
    owner.wait_for_url(re.compile(r"/surveys/\d+/edit$"))
    survey_url = owner.url.removesuffix("/edit")
    assert (
        owner.locator("#e-q-0-text_kk").input_value() == "Жасанды интеллект дегеніміз не екенін білесіз бе?"
    )
    # Only a few teachers, so the test's three answers are most of the audience.
    owner.locator("#e-role-staff").uncheck()
    owner.locator("#e-people").select_option(["staff1", "staff2", "staff3", "staff4"])
    with owner.expect_navigation():
        owner.locator("[data-testid=save-survey]").click()
    shot(owner, "survey-01-editor")
    owner.goto(survey_url)
    with owner.expect_navigation():
        owner.locator("[data-testid=open-survey]").click()
    assert owner.locator("[data-testid=survey-status]").inner_text() == "жауап қабылдануда"

    phone = sign_in(
        new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2), "staff1"
    )
    phone.goto("/inbox")
    task = phone.locator("[data-testid=campaign-tasks] a").filter(has_text="Сауалнама:")
    assert task.count() == 1
    task.click()
    phone.wait_for_url(re.compile(r"/surveys/\d+$"))
    assert "Сіздің жауабыңыз" in phone.locator("[data-testid=answer-form] h2").inner_text()
    _answer(phone, 0)
    phone.reload()  # the draft is kept in this browser while typing
    assert phone.locator("#a-q7").input_value() == "Көбірек тәжірибелік сабақ керек 0"
    assert phone.locator("#a-q5-3").is_checked()
    width, inner = page_widths(phone)
    assert width <= inner + 1, f"the survey form scrolls sideways on a phone: {width} > {inner}"
    shot(phone, "survey-02-phone-answer")
    with phone.expect_navigation():
        phone.locator("[data-testid=send-answer]").click()
    assert phone.locator("[data-testid=answered]").is_visible()
    assert any(letter in phone.locator("main").inner_text() for letter in KAZAKH_LETTERS)
    shot(phone, "survey-03-phone-answered")

    for n, teacher in enumerate(("staff2", "staff3"), start=1):
        page = sign_in(new_context(), teacher)
        page.goto(survey_url)
        _answer(page, n)
        with page.expect_navigation():
            page.locator("[data-testid=send-answer]").click()
        assert page.locator("[data-testid=answered]").is_visible()

    owner.goto(survey_url)  # an anonymous survey's figures come once it is closed
    with owner.expect_navigation():
        owner.locator("[data-testid=close-survey]").click()
    owner.goto(survey_url + "/results")
    assert owner.locator("[data-testid=participation]").inner_text() == "Жауап бергендер: 3 / 4"
    assert owner.locator("[data-testid=chart] svg").count() == 6
    assert owner.locator("[data-testid=free-texts] li").count() == 3
    shot(owner, "survey-04-results")
    note = owner.request.get(survey_url + "/note.pdf")
    assert note.ok and note.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(note.body()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Талдамалық анықтама" in text and "Педагогтердің ЖИ бойынша білім деңгейі" in text
    assert "Көбірек тәжірибелік сабақ керек 2" in text and "Қатысу: 3 / 4" in text
    drawn = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert drawn.count(b" re") >= 20  # the bars: vector rectangles, not pictures
