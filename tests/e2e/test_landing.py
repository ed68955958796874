"""The director lands on the order waiting for the director's role and on the notification about it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import (
    choice,
    claim,
    field,
    instance_id_of,
    open_task_of,
    start_order,
    submit_task,
)

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
NewContext = Callable[..., Any]


def test_director_lands_on_the_waiting_order_and_its_notification(
    new_context: NewContext, shot: Shot
) -> None:
    title = "Педагогтердің жасанды интеллектті пайдалануы туралы бұйрық"
    deputy = sign_in(new_context(), "wg_deputy")
    start_order(deputy)
    field(deputy, "title").fill(title)
    field(deputy, "order_type").select_option("ai_ethics")
    field(deputy, "body").fill("Мұғалімдер жасанды интеллект құралдарын ашық пайдалансын.")
    assert submit_task(deputy).status == 302
    instance_id = instance_id_of(deputy)
    lawyer = sign_in(new_context(), "lawyer")
    open_task_of(lawyer, "roles", instance_id)
    claim(lawyer)
    choice(lawyer, "decision", "approve").check()
    assert submit_task(lawyer).status == 302

    director = sign_in(new_context(), "director")
    assert re.search(r"/$", director.url), f"the director lands on the home page, not {director.url}"
    waiting = director.locator("[data-testid=waiting-for-roles]")
    row = waiting.locator("tbody tr").filter(has=director.locator(f"a[href='/instances/{instance_id}']"))
    assert row.count() == 1, "the order waiting for the director's role is on the landing page"
    assert waiting.locator(".role-summary li").count() >= 1, "counts per role with the oldest waiting time"
    assert int(director.locator("[data-testid=count-unread]").inner_text()) >= 1
    news = director.locator("[data-testid=home-notifications] li").filter(
        has=director.locator("a[href^='/tasks/']")
    )
    assert news.count() >= 1, "the notification about the waiting task is on the landing page"
    task_href = row.locator("a[href^='/tasks/']").get_attribute("href")
    assert director.locator(f"[data-testid=home-notifications] a[href='{task_href}']").count() == 1
    shot(director, "landing-director-kk")
    # The notification's link opens the task itself.
    director.locator(f"[data-testid=home-notifications] a[href='{task_href}']").click()
    director.wait_for_url(re.compile(r"/tasks/\d+$"))
    assert director.locator("form[action$='/claim']").count() == 1
    shot(director, "landing-director-task-kk")
