"""Issue 15 item 13 in Chromium: the council chair's decision form preselects the vote's option, refuses
another one without a reason (keeping what was typed), and takes recommendations as rows — a person
chosen from a list, a date picker, a text — with "Add a row" where scripts run."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.e2e.test_browser import NewContext, Shot, choice, submit_task
from tests.e2e.test_deliberation_privacy import Person

pytestmark = pytest.mark.browser

REPORT = {
    "type": "academic_integrity",
    "tool": "ChatGPT",
    "occurred_on": "2026-11-30",
    "description": "Эссе толығымен чат-ботпен жазылған.",
    "anonymous": False,
}


def test_the_chair_records_a_decision_with_rows(new_context: NewContext, shot: Shot) -> None:
    reporter = Person(new_context, "staff3")
    iid = int(reporter.call("POST", "/processes/incident_escalation/instances")["id"])
    reporter.complete(iid, "Task_report", REPORT)
    Person(new_context, "responsible").complete(
        iid, "Task_triage", {"severity": "serious", "decision": "escalate"}, "roles"
    )
    for member in ("council1", "council2", "council3", "council4"):
        Person(new_context, member).complete(iid, "Task_vote", {"decision": "training"})

    chair = Person(new_context, "wg_chair")
    task_id = chair.task(iid, "Task_chair_decision", "roles")
    chair.call("POST", f"/tasks/{task_id}/claim")
    page = chair.page
    page.goto(f"/tasks/{task_id}")
    assert choice(page, "decision", "training").is_checked(), "the vote's option is preselected"

    rows = page.locator("fieldset.rows[data-rows=follow_ups] tbody tr")
    assert rows.count() == 2  # spare rows for a page without scripts
    page.locator("fieldset.rows .rows-add").click()
    assert rows.count() == 3
    assert rows.nth(2).locator("select").get_attribute("name") == "follow_ups.2.assignee"
    due = (date.today() + timedelta(days=14)).isoformat()
    rows.nth(0).locator("select").select_option("ict")
    rows.nth(0).locator("input[type=date]").fill(due)
    rows.nth(0).locator("input[type=text]").fill("Чат-боттың баптауларын тексеру")
    rows.nth(1).locator(".rows-remove").click()
    assert rows.count() == 2

    choice(page, "decision", "warning").check()
    assert submit_task(page).status == 422
    assert page.locator("#f-decision_change_reason-error").is_visible()
    assert choice(page, "decision", "warning").is_checked()
    assert rows.nth(0).locator("select").input_value() == "ict"
    assert rows.nth(0).locator("input[type=text]").input_value() == "Чат-боттың баптауларын тексеру"
    page.locator("form.taskform [name=decision_change_reason]").fill("Алғашқы жағдай: ескерту жеткілікті.")
    shot(page, "chair-decision-rows-kk")
    assert submit_task(page).status == 302
    page.wait_for_url(re.compile(r"/incidents/\d+$"))
    assert "Чат-боттың баптауларын тексеру" in page.locator("main").inner_text()
    assert page.locator("[data-testid=decision-change-reason]").is_visible()
