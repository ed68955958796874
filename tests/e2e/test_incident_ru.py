"""Issue 15 in Chromium: a Russian reader follows an escalated incident — the instance page's diagram names
every element (pool, events, gateways, service tasks) in Russian, and the chair's decision form shows the
council's vote summary in Russian."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.test_browser import KAZAKH_LETTERS, NewContext, Shot
from tests.e2e.test_chair_decision import REPORT
from tests.e2e.test_deliberation_privacy import Person

pytestmark = pytest.mark.browser

KAZAKH = re.compile(f"[{KAZAKH_LETTERS}{KAZAKH_LETTERS.upper()}]")


def _in_russian(page: Any) -> None:
    with page.expect_navigation():
        page.locator("form.langswitch").get_by_role("button", name="Русский").click()
    assert page.locator("html").get_attribute("lang") == "ru"


def _back_in_kazakh(page: Any) -> None:
    # The language is the person's (stored with their account): later tests expect these people in Kazakh.
    with page.expect_navigation():
        page.locator("form.langswitch").get_by_role("button", name="Қазақша").click()


def test_a_russian_reader_follows_an_incident(new_context: NewContext, shot: Shot) -> None:
    reporter = Person(new_context, "staff3")
    iid = int(reporter.call("POST", "/processes/incident_escalation/instances")["id"])
    reporter.complete(iid, "Task_report", REPORT)
    responsible = Person(new_context, "responsible")
    responsible.complete(iid, "Task_triage", {"severity": "serious", "decision": "escalate"}, "roles")
    for member in ("council1", "council2", "council3", "council4"):
        Person(new_context, member).complete(iid, "Task_vote", {"decision": "training"})

    page = responsible.page
    _in_russian(page)
    try:
        page.goto(f"/instances/{iid}")
        assert page.locator("main h1").inner_text() == f"#{iid} Передача инцидента в совет"
        diagram = page.locator("[data-testid=instance-diagram][data-ready='1']")
        diagram.wait_for()
        labels = [text.strip() for text in diagram.locator("svg text").all_text_contents() if text.strip()]
        assert {"Школа", "Выявлен инцидент"} <= set(labels), labels  # the pool and the start event
        assert [label for label in labels if KAZAKH.search(label)] == []
        shot(page, "incident-instance-ru")
    finally:
        _back_in_kazakh(page)

    chair = Person(new_context, "wg_chair")
    task_id = chair.task(iid, "Task_chair_decision", "roles")
    chair.call("POST", f"/tasks/{task_id}/claim")
    _in_russian(chair.page)
    try:
        chair.page.goto(f"/tasks/{task_id}")
        summary = chair.page.locator("form.taskform [name=vote_summary]").input_value()
        assert summary.splitlines()[0] == "Присутствовали: 4 / 6 (кворум: 4)"
        assert not KAZAKH.search(summary), summary
        shot(chair.page, "incident-chair-decision-ru")
    finally:
        _back_in_kazakh(chair.page)
