"""A commission member evaluates an AI tool in the browser and signs by re-entering the password:
a wrong password is refused next to the field (nothing recorded), the right one records the vote,
and the register page shows the signed verdict to the commission."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, sign_in
from tests.e2e.test_browser import (
    NewContext,
    Shot,
    choice,
    claim,
    field,
    instance_id_of,
    open_task_of,
    submit_task,
)

pytestmark = pytest.mark.browser


def rate(page: Any, value: str) -> None:
    for criterion in ("security", "data_protection", "functionality", "limitations"):
        page.locator(f'form.taskform [name={criterion}][value="{value}"]').check()


def test_member_evaluates_and_signs_with_the_password(new_context: NewContext, shot: Shot) -> None:
    staff = sign_in(new_context(), "staff1")
    staff.locator("nav.mainnav a[href='/processes']").click()
    staff.wait_for_url(re.compile(r"/processes$"))
    with staff.expect_navigation():
        staff.locator(".card.row[data-process='tool_evaluation']").get_by_role("button").click()
    field(staff, "name").fill("Аудармашы ЖИ")
    field(staff, "purpose").fill("Ата-аналарға хаттарды аудару")
    choice(staff, "processes", "translation").check()
    field(staff, "data_processed").fill("Хаттардың мәтіні")
    assert submit_task(staff).status == 302
    instance_id = instance_id_of(staff)

    ict = sign_in(new_context(), "ict")
    open_task_of(ict, "roles", instance_id)
    claim(ict)
    rate(ict, "4")
    field(ict, "findings").fill("Деректер шетелде сақталады.")
    choice(ict, "decision", "approve").check()
    assert submit_task(ict).status == 302

    member = sign_in(new_context(), "commission1")
    open_task_of(member, "mine", instance_id)
    signature = member.locator("[data-testid=signature]")
    assert signature.is_visible()
    rate(member, "5")
    choice(member, "decision", "approve_with_restrictions").check()
    field(member, "restrictions").fill("Оқушылардың аты-жөнін енгізбеу")
    member.locator("#signature_password").fill("not-my-password")
    assert submit_task(member).status == 422
    assert signature.locator(".field-error").is_visible()
    assert member.locator("#signature_password").input_value() == ""  # a password is never echoed back
    shot(member, "tool-vote-wrong-password")
    member.locator("#signature_password").fill(PASSWORD)
    assert submit_task(member).status == 302

    member.goto("/tools")
    member.locator("[data-testid=tools] a", has_text="Аудармашы ЖИ").click()
    member.wait_for_url(re.compile(r"/tools/\d+$"))
    votes = member.locator("[data-testid=votes] tbody tr")
    assert votes.count() == 1
    assert "Оқушылардың аты-жөнін енгізбеу" in votes.first.inner_text()
    shot(member, "tool-evaluation-page")
