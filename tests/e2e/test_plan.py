"""The responsible person marks a plan item done in a real browser and the stage's progress moves."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import NewContext, Shot

pytestmark = pytest.mark.browser


def _progress(page: object) -> tuple[int, int]:
    text = page.locator("[data-testid='stage-4-progress']").inner_text()  # type: ignore[attr-defined]
    done, total = (int(part) for part in text.split("/"))
    return done, total


def test_responsible_marks_an_item_and_the_stage_progress_moves(new_context: NewContext, shot: Shot) -> None:
    page = sign_in(new_context(), "responsible")
    page.goto("/plan")
    done, total = _progress(page)
    assert total == 9
    page.locator("[data-testid='mark-link-20']").click()
    page.wait_for_url(re.compile(r"/plan/items/20"))
    page.locator("#comment").fill("Қызметкерлерге жадынамалар таратылды")
    with page.expect_navigation():
        page.locator("[data-testid='mark']").click()
    assert re.search(r"/plan(\?year=\d+)?#item-20$", page.url), page.url
    assert _progress(page) == (done + 1, total)
    assert page.locator("[data-testid='status-20']").inner_text() == "орындалды"
    assert "Гүлнар Әлібекқызы" in page.locator("[data-testid='item-20']").inner_text()
    shot(page, "plan-item-marked")
