"""After the director approves an order the instance stays open: every staff member (30 with the demo
data) gets an acknowledgement (a campaign row, outside the engine). A staff member finds theirs in My
tasks, which links to the order's page, and acknowledges it there.

Complements test_browser.py (which covers return-for-rework); this one takes the short path through
review and approval, then checks the status (page and API) and one acknowledgement in the browser.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import (
    KAZAKH_LETTERS,
    NewContext,
    Shot,
    choice,
    claim,
    field,
    instance_id_of,
    open_task_of,
    start_order,
    submit_task,
)

pytestmark = pytest.mark.browser

STAFF_COUNT = 30  # 10 role holders + 5 commission + 5 council + 10 staff; everyone also holds `staff`


def api_token(page: Any) -> str:
    """A new API token made on the profile page of the signed-in person (the API takes only Bearer)."""
    page.goto("/profile")
    page.locator("[name=label]").fill("e2e")
    with page.expect_navigation():
        page.locator("[name=label]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    token = page.locator("[data-testid=new-token] code").inner_text().strip()
    assert token.startswith("sag_"), token
    return token


def instance_json(page: Any, token: str, instance_id: int) -> dict[str, Any]:
    answer = page.request.get(
        f"/api/v1/instances/{instance_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200, answer.text()
    body: dict[str, Any] = answer.json()
    return body


def test_staff_acknowledge_an_approved_order(new_context: NewContext, shot: Shot) -> None:
    title = f"Ақпараттық қауіпсіздік туралы бұйрық ({KAZAKH_LETTERS})"

    deputy = sign_in(new_context(), "wg_deputy")
    start_order(deputy)
    field(deputy, "title").fill(title)
    field(deputy, "order_type").select_option("ai_ethics")
    field(deputy, "body").fill("Әрбір қызметкер құпия деректерді жасанды интеллект құралдарына енгізбейді.")
    assert submit_task(deputy).status == 302
    instance_id = instance_id_of(deputy)

    lawyer = sign_in(new_context(), "lawyer")
    open_task_of(lawyer, "roles", instance_id)
    claim(lawyer)
    choice(lawyer, "decision", "approve").check()
    assert submit_task(lawyer).status == 302

    director = sign_in(new_context(), "director")
    open_task_of(director, "roles", instance_id)
    claim(director)
    choice(director, "decision", "approve").check()
    assert submit_task(director).status == 302
    assert instance_id_of(director) == instance_id
    timeline = director.locator("[data-testid=timeline] > li")
    decided = timeline.filter(has=director.locator("em"))
    assert [item.get_attribute("data-actor") for item in decided.all()] == ["lawyer", "director"]
    # 30 pending acknowledgements in a campaign: the process waits on one step, in nobody's inbox.
    assert director.locator("[data-testid=instance-status]").is_visible()
    assert director.locator("ul.tasklist a[href^='/tasks/']").count() == 0
    shot(director, "60-instance-acknowledgements-open")

    token = api_token(director)
    body = instance_json(director, token, instance_id)
    assert body["status"] == "running", body["status"]  # completed=false: acknowledgements are open
    assert body["ended_at"] is None and body["tasks"] == []

    # staff1 has exactly one acknowledgement of this order in My tasks, linking to the order's page.
    staff = sign_in(new_context(), "staff1")
    staff.locator("nav.mainnav a[href='/inbox?scope=mine']").click()
    staff.wait_for_url(re.compile(r"/inbox\?scope=mine"))
    rows = staff.locator("[data-testid=campaign-tasks] tbody tr")
    assert rows.count() == 1
    shot(staff, "61-staff1-my-tasks")
    rows.locator("a").click()
    staff.wait_for_url(re.compile(r"/orders/\d+$"))
    assert staff.get_by_text(title).count() >= 1, "the acknowledgement shows the order being acknowledged"
    form = staff.locator("[data-testid=acknowledge-form]")
    ack = form.locator("[name=acknowledged]")
    assert ack.get_attribute("type") == "checkbox" and not ack.is_checked()
    ack.check()
    shot(staff, "62-staff1-acknowledgement")
    with staff.expect_navigation():
        form.locator("button[type=submit]").click()
    shot(staff, "63-after-acknowledgement")
    assert staff.locator("[data-testid=acknowledge-form]").count() == 0
    assert "1" in staff.locator("[data-testid=acknowledgements] strong").first.inner_text()

    staff.goto("/inbox?scope=mine")
    assert staff.locator("[data-testid=campaign-tasks]").count() == 0
    after = instance_json(director, token, instance_id)
    assert after["status"] == "running"
