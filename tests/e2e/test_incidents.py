"""An incident in a real browser: a teacher reports it from the journal page; the director sees it in the
journal with its type (and not who reported it anonymously); another teacher does not see it at all."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import NewContext, Shot, field, submit_task

pytestmark = pytest.mark.browser


def test_report_form_and_journal(new_context: NewContext, shot: Shot) -> None:
    reporter = sign_in(new_context(), "staff5")
    reporter.locator("nav.mainnav a[href='/incidents']").click()
    reporter.wait_for_url(re.compile(r"/incidents$"))
    with reporter.expect_navigation():
        reporter.locator("[data-testid=report-incident]").click()
    assert re.search(r"/tasks/\d+$", reporter.url), reporter.url
    field(reporter, "type").select_option("data_disclosure")
    field(reporter, "tool").fill("E2E-chatbot")
    field(reporter, "occurred_on").fill("2026-11-20")
    field(reporter, "description").fill("Журнал бағалары чат-ботқа жүктелді")
    field(reporter, "affected").fill("8А сыныбының оқушылары")
    field(reporter, "anonymous").check()
    shot(reporter, "incident-01-report")
    answer = submit_task(reporter)
    assert answer.status == 302
    reporter.wait_for_url(re.compile(r"/incidents/\d+$"))
    incident_url = reporter.url
    assert reporter.locator("[data-testid=incident-status]").count() == 1
    assert reporter.locator("[data-testid=incident-description]").count() == 0  # status and outcome only
    shot(reporter, "incident-02-reporter-view")

    director = sign_in(new_context(), "director")
    director.goto("/incidents")
    row = director.locator("[data-testid=incidents] tbody tr").filter(has_text="E2E-chatbot")
    assert row.count() == 1
    row.locator("a[href^='/incidents/']").click()
    director.wait_for_url(re.compile(r"/incidents/\d+$"))
    assert "8А сыныбының" in director.locator("article").inner_text()
    assert "staff5" not in director.content()
    shot(director, "incident-03-director-view")

    other = sign_in(new_context(), "staff6")
    other.goto("/incidents")
    assert other.locator("[data-testid=incidents] tbody tr").filter(has_text="E2E-chatbot").count() == 0
    answer = other.goto(incident_url)
    assert answer is not None and answer.status == 404
