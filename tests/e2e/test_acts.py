"""A proposer amends clause 8.1 from the edition page; after the process (driven through the API) a
staff member reads edition 2, compares it with edition 1 and sees exactly the words inserted."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_acknowledgement import api_token
from tests.e2e.test_browser import NewContext, Shot, field, submit_task

pytestmark = pytest.mark.browser

OLD_81 = "Педагогтер ашық ЖИ сервистеріне оқушылардың дербес деректерін енгізбеуге міндетті."
NEW_81 = (
    "Педагогтер ашық ЖИ сервистеріне оқушылардың және әріптестерінің дербес деректерін енгізбеуге міндетті."
)
COUNCIL = ("council1", "council2", "council3", "council4", "council5", "wg_chair")


class Person:
    """One signed-in person with an API token made on their profile page."""

    def __init__(self, new_context: NewContext, username: str) -> None:
        self.username = username
        self.page = sign_in(new_context(), username)
        self.token = api_token(self.page)

    def call(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if method == "GET":
            answer = self.page.request.get(f"/api/v1{path}", headers=headers)
        else:
            answer = self.page.request.post(f"/api/v1{path}", headers=headers, data={"data": data or {}})
        assert answer.status in (200, 201), f"{self.username} {path}: {answer.text()}"
        return answer.json()

    def do(self, iid: int, bpmn_id: str, data: dict[str, Any], scope: str = "mine") -> None:
        rows = self.call("GET", f"/tasks?scope={scope}&instance_id={iid}")["tasks"]
        task = next(r for r in rows if r["bpmn_id"] == bpmn_id)
        if scope == "roles":
            self.call("POST", f"/tasks/{task['id']}/claim")
        self.call("POST", f"/tasks/{task['id']}/complete", data)


def test_amend_a_clause_then_read_and_compare_the_editions(new_context: NewContext, shot: Shot) -> None:
    proposer = Person(new_context, "responsible")
    page = proposer.page
    page.goto("/acts/ai_regulation/editions/1")
    assert OLD_81 in page.locator("[data-testid='clause-8.1']").inner_text()
    with page.expect_navigation():
        page.locator("[data-testid='amend-8.1']").click()
    assert re.search(r"/tasks/\d+$", page.url), page.url
    current = field(page, "current_text")
    assert current.input_value() == OLD_81 and current.get_attribute("readonly") is not None
    field(page, "proposed_text").fill(NEW_81)
    field(page, "reason").fill("Жылдық мониторинг қорытындысы")
    field(page, "source").select_option("monitoring")
    shot(page, "70-amendment-proposal")
    assert submit_task(page).status == 302
    page.wait_for_url(re.compile(r"/instances/\d+$"))
    iid = int(page.url.rsplit("/", 1)[1])

    Person(new_context, "wg_member").do(iid, "Task_wg_comment", {"comment": "Қолдаймын"})
    chair = Person(new_context, "wg_chair")
    chair.do(iid, "Task_wg_decision", {"decision": "proceed"}, scope="roles")
    lawyer = Person(new_context, "lawyer")
    lawyer.do(iid, "Task_amendment_legal_review", {"decision": "approve"}, scope="roles")
    for member in COUNCIL:
        person = chair if member == "wg_chair" else Person(new_context, member)
        person.do(iid, "Task_council_opinion", {"decision": "support"})
    draft = next(
        t for t in proposer.call("GET", f"/tasks?instance_id={iid}")["tasks"] if t["bpmn_id"] == "Task_draft"
    )
    prefilled = proposer.call("GET", f"/tasks/{draft['id']}")["data"]
    proposer.call(
        "POST",
        f"/tasks/{draft['id']}/complete",
        {k: prefilled[k] for k in ("title", "order_type", "body", "basis")},
    )
    lawyer.do(iid, "Task_legal_review", {"decision": "approve"}, scope="roles")
    Person(new_context, "director").do(iid, "Task_director_approval", {"decision": "approve"}, scope="roles")

    staff = sign_in(new_context(), "staff1")
    staff.locator("nav.mainnav a[href='/acts']").click()
    staff.wait_for_url(re.compile(r"/acts$"))
    with staff.expect_navigation():
        staff.locator("[data-testid=acts] a[href='/acts/ai_regulation']").click()
    shot(staff, "71-act-editions")
    with staff.expect_navigation():
        staff.locator("[data-testid=compare-2]").click()
    rows = staff.locator("[data-testid=comparison] tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-testid") == "changed-8.1"
    assert [i.inner_text().strip() for i in rows.locator("ins").all()] == ["және әріптестерінің"]
    assert rows.locator("del").count() == 0
    shot(staff, "72-act-comparison")
    staff.goto("/acts/ai_regulation/editions/1")
    assert OLD_81 in staff.locator("[data-testid='clause-8.1']").inner_text()
    assert staff.locator("[data-testid='amend-8.1']").count() == 0  # staff read, they do not propose
    staff.goto("/acts/ai_regulation/editions/2")
    assert NEW_81 in staff.locator("[data-testid='clause-8.1']").inner_text()
    assert staff.locator("[data-testid=edition-status]").inner_text().strip()
