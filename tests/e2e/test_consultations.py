"""A consultation in a real browser: a teacher requests it from the journal page, the responsible person
records it as held with the advice given, the teacher then sees it as held; another teacher cannot open it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import PHONE, NewContext, Shot, page_widths

pytestmark = pytest.mark.browser


def test_teacher_requests_responsible_records_teacher_sees_it_held(
    new_context: NewContext, shot: Shot
) -> None:
    teacher = sign_in(new_context(), "staff7")
    teacher.locator("nav.mainnav a[href='/consultations']").click()
    teacher.wait_for_url(re.compile(r"/consultations$"))
    teacher.locator("[data-testid=request-form] summary").click()
    teacher.locator("#c-topic").fill("E2E: тест сұрақтарын ЖИ-мен құрастыру")
    teacher.locator("#c-duty").fill("Биология пәні мұғалімі")
    teacher.locator("#c-preferred_on").fill((date.today() + timedelta(days=3)).isoformat())
    shot(teacher, "consultation-01-request")
    with teacher.expect_navigation():
        teacher.locator("[data-testid=send-request]").click()
    teacher.wait_for_url(re.compile(r"/consultations/\d+$"))
    consultation_url = teacher.url
    assert teacher.locator("[data-testid=consultation-status]").inner_text() == "сұралды"

    responsible = sign_in(new_context(), "responsible")
    responsible.goto("/consultations?status=requested")
    row = responsible.locator("[data-testid=consultations] tbody tr").filter(has_text="E2E: тест сұрақтарын")
    assert row.count() == 1
    row.locator("a[href^='/consultations/']").click()
    responsible.wait_for_url(re.compile(r"/consultations/\d+$"))
    form = responsible.locator("[data-testid=record-form]")
    form.locator("#c-advice").fill("Сұрақтарды ЖИ ұсынады, дұрыс жауаптарды мұғалім тексереді.")
    shot(responsible, "consultation-02-record")
    with responsible.expect_navigation():
        form.locator("[data-testid=record-consultation]").click()
    assert responsible.locator("[data-testid=consultation-status]").inner_text() == "өткізілді"

    phone = sign_in(
        new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2), "staff7"
    )
    phone.goto(consultation_url)
    assert phone.locator("[data-testid=consultation-status]").inner_text() == "өткізілді"
    assert (
        "дұрыс жауаптарды мұғалім тексереді"
        in phone.locator("[data-testid=consultation-advice]").inner_text()
    )
    phone.goto("/consultations")
    assert phone.locator("[data-testid=consultations] tbody tr").filter(has_text="өткізілді").count() == 1
    width, inner = page_widths(phone)
    assert width <= inner + 1, f"the journal scrolls sideways on a phone: {width} > {inner}"
    shot(phone, "consultation-03-teacher-sees-held")

    other = sign_in(new_context(), "staff8")
    answer = other.goto(consultation_url)
    assert answer is not None and answer.status == 404
