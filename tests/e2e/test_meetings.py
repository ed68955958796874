"""A meeting in a real browser, in Kazakh, on a tablet: the chair calls it, the secretary records attendance
and a decision with a follow-up, the chair approves, and the minutes PDF reads back with its headings."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import NewContext, Shot, page_widths

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def tablet(new_context: NewContext, username: str) -> object:
    return sign_in(new_context(viewport=TABLET, has_touch=True), username)


def test_secretary_records_on_a_tablet_chair_approves_minutes_read_back(
    new_context: NewContext, shot: Shot
) -> None:
    chair = tablet(new_context, "wg_chair")
    chair.goto("/meetings")
    assert chair.locator("h1").inner_text() == "Отырыстар тізілімі"
    chair.locator("[data-testid=new-meeting]").click()
    chair.wait_for_url(re.compile(r"/meetings/new$"))
    chair.locator("#m-title").fill("E2E: жұмыс тобының тоқсандық отырысы")
    start = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    chair.locator("#m-starts_at").fill(start)
    chair.locator("#m-place").fill("Мұғалімдер бөлмесі")
    chair.locator("#m-secretary").select_option("wg_member")
    chair.locator("#m-invitees").select_option(["ict", "staff1"])
    chair.locator("#a-title-0").fill("Жоспардың тоқсандағы орындалуы")
    chair.locator("#a-presenter-0").fill("Ерлан Қайратұлы")
    shot(chair, "meeting-01-call")
    with chair.expect_navigation():
        chair.locator("[data-testid=create-meeting]").click()
    chair.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = chair.url

    secretary = tablet(new_context, "wg_member")
    secretary.goto(meeting_url)
    form = secretary.locator("[data-testid=attendance-form]")
    for row in form.locator("tbody tr").all():
        person = row.get_attribute("data-person")
        if person == "staff1":
            row.locator("input[value=no]").check()
            row.locator("input[name^=reason_]").fill("іссапарда")
        else:
            row.locator("input[value=yes]").check()
    shot(secretary, "meeting-02-attendance")
    with secretary.expect_navigation():
        form.locator("[data-testid=save-attendance]").click()
    assert "Қатысу жазылды." in secretary.content()

    decision = secretary.locator("[data-testid=decision-form]").first
    decision.locator("textarea[name=heard]").fill("Е. Қайратұлы жоспардың орындалуы туралы баяндады.")
    decision.locator("textarea[name=discussion]").fill("Д. Маратұлы: құралдар тізімін жаңарту керек.")
    decision.locator("textarea[name=text]").fill("Жоспардың орындалуы қанағаттанарлық деп танылсын.")
    decision.locator("select[name=vote]").select_option("counts")
    decision.locator("input[name=votes_for]").fill("3")
    decision.locator("input[name=votes_against]").fill("0")
    decision.locator("input[name=votes_abstain]").fill("0")
    decision.locator("select[name=followup_assignee]").first.select_option("ict")
    due = (datetime.now() + timedelta(days=10)).date().isoformat()
    decision.locator("input[name=followup_due_on]").first.fill(due)
    decision.locator("input[name=followup_text]").first.fill("Құралдар тізімін жаңарту")
    shot(secretary, "meeting-03-decision")
    with secretary.expect_navigation():
        decision.locator("[data-testid=save-decision]").click()
    assert "Шешім жазылды." in secretary.content()
    assert secretary.locator("[data-testid=vote-result]").first.inner_text().endswith("қабылданды")
    width, inner = page_widths(secretary)
    assert width <= inner + 1, f"the meeting page scrolls sideways on a tablet: {width} > {inner}"
    assert secretary.locator("[data-testid=approve-minutes]").count() == 0  # the chair approves

    chair.goto(meeting_url)
    with chair.expect_navigation():
        chair.locator("[data-testid=approve-minutes]").click()
    assert chair.locator("[data-testid=meeting-status]").inner_text() == "хаттама бекітілген"
    shot(chair, "meeting-04-approved")
    with chair.expect_download() as download_info:
        chair.locator("[data-testid=minutes-pdf]").click()
    path = download_info.value.path()
    assert path is not None
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    for heading in (
        "ХАТТАМА № 1",
        "Жұмыс тобының отырысы",
        "КҮН ТӘРТІБІ",
        "ТЫҢДАЛДЫ",
        "СӨЙЛЕДІ",
        "ҚАУЛЫ ЕТТІ",
    ):
        assert heading in text, heading
    assert "Құралдар тізімін жаңарту" in text and "іссапарда" in text

    ict = tablet(new_context, "ict")
    ict.goto("/inbox")
    assert ict.locator("text=Құралдар тізімін жаңарту").count() >= 1
