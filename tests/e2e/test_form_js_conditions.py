"""A Camunda 8 form's `conditional.hide` in a real browser: the admin deploys a Camunda Modeler diagram
whose form hides the required `reason` when `=decision = "approve"`; the director sees the reason only
after choosing to reject, is told to fill it when it is shown, and approves without it once it hides
again. Screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import PROJECT_ROOT, sign_in
from tests.e2e.test_browser import (
    NewContext,
    Shot,
    choice,
    claim,
    field,
    open_menu,
    open_task_of,
    submit_task,
)

pytestmark = pytest.mark.browser

REVIEW = PROJECT_ROOT / "tests" / "fixtures" / "modelers" / "camunda8_conditional_form.bpmn"


def test_the_reason_shows_and_is_required_only_while_rejecting(
    new_context: NewContext, shot: Shot, tmp_path: Any
) -> None:
    upload = tmp_path / "review.bpmn"
    upload.write_bytes(REVIEW.read_bytes())
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/processes")  # the upload form: no modeler bundle needed
    admin.locator("#bpmn").set_input_files(str(upload))
    with admin.expect_navigation():
        admin.locator("form[enctype] button[type=submit]").click()
    assert admin.locator("[data-testid=deploy-problems]").count() == 0
    assert admin.locator("[data-testid=versions] code", has_text="lesson_material_review").count() == 1

    director = sign_in(new_context(), "director")
    open_menu(director)
    director.locator("nav.mainnav a[href='/processes']").click()
    director.wait_for_url(re.compile(r"/processes$"))
    with director.expect_navigation():
        director.locator(".card.row[data-process='lesson_material_review']").get_by_role("button").click()
    match = re.search(r"/instances/(\d+)$", director.url)
    assert match, f"starting did not open the instance: {director.url}"
    open_task_of(director, "roles", int(match.group(1)))
    claim(director)

    reason = director.locator("[data-field=reason]")
    assert reason.is_hidden(), "no decision yet: the reason is not asked for"
    choice(director, "decision", "reject").check()
    assert reason.is_visible() and field(director, "reason").is_enabled()
    shot(director, "form-js-01-reject-shows-the-reason")
    answer = submit_task(director)
    assert answer.status == 422
    assert reason.locator(".field-error").is_visible(), "an error next to the reason"
    assert choice(director, "decision", "reject").is_checked()

    choice(director, "decision", "approve").check()
    assert reason.is_hidden() and field(director, "reason").is_disabled()
    shot(director, "form-js-02-approve-hides-it")
    assert submit_task(director).status == 302
    assert re.search(r"/instances/\d+$", director.url), director.url
