"""The service in a real browser (Debian's headless Chromium through Playwright), against the real server.

Screenshots of every step land in test-artifacts/e2e/. Tests locate things by the form field names (a
contract), by labels taken from forms/*.json, by hrefs and data-testid; never by translated UI texts, so
they pass with or without compiled catalogs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PROJECT_ROOT, sign_in

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
NewContext = Callable[..., Any]

PHONE = {"width": 390, "height": 844}
KAZAKH_LETTERS = "әғқңөұүһі"


def form_title(form: str, field: str, lang: str = "kk") -> str:
    """A field's label as forms/<form>.json gives it."""
    prop = json.loads((PROJECT_ROOT / "forms" / f"{form}.json").read_text())["properties"][field]
    return str(prop.get("x-title", {}).get(lang) or prop["title"])


def field(page: Any, name: str) -> Any:
    """A field of the task form (the comment box below it is also named "body")."""
    return page.locator(f"form.taskform [name={name}]")


def choice(page: Any, name: str, value: str) -> Any:
    return page.locator(f"form.taskform [name={name}][value={value}]")


def open_menu(page: Any) -> None:
    """On a phone the menu is folded behind its toggle: open it (on a wider screen it is always there)."""
    toggle = page.locator("[data-testid=menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def start_order(page: Any) -> int:
    """From any signed-in page: "Start" in the menu, start order drafting; lands on the draft form."""
    open_menu(page)
    page.locator("nav.mainnav a[href='/processes']").click()
    page.wait_for_url(re.compile(r"/processes$"))
    card = page.locator(".card.row[data-process='order_drafting']")
    with page.expect_navigation():
        card.get_by_role("button").click()
    match = re.search(r"/tasks/(\d+)$", page.url)
    assert match, f"starting did not open the draft task form: {page.url}"
    return int(match.group(1))


def submit_task(page: Any) -> Any:
    """Clicks the task form's submit button; returns the answer to the POST (before any redirect)."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/tasks/" in r.url) as answer:
        page.locator("form.taskform button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value


def instance_id_of(page: Any) -> int:
    match = re.search(r"/instances/(\d+)$", page.url)
    assert match, f"not on an instance page: {page.url}"
    return int(match.group(1))


def open_task_of(page: Any, scope: str, instance_id: int) -> int:
    """Opens the inbox tab (mine / roles) from the menu, then the task of the given instance."""
    open_menu(page)
    page.locator(f"nav.mainnav a[href='/inbox?scope={scope}']").click()
    page.wait_for_url(re.compile(rf"/inbox\?scope={scope}"))
    row = page.locator("[data-testid=inbox] tbody tr").filter(
        has=page.locator(f"a[href='/instances/{instance_id}']")
    )
    assert row.count() == 1, f"no {scope} task of instance #{instance_id} in the inbox"
    row.locator("a[href^='/tasks/']").click()
    page.wait_for_url(re.compile(r"/tasks/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def claim(page: Any) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/claim'] button[type=submit]").click()
    assert page.locator("form.taskform").count() == 1, "after claiming, the task form should be there"


def page_widths(page: Any) -> tuple[int, int]:
    """(scrollWidth of the document, width of the layout viewport).

    Not `window.innerWidth`: in mobile emulation it grows to the content's width, as a phone zooms out,
    so a page that scrolls sideways would compare equal to itself.
    """
    width, inner = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return int(width), int(inner)


# 1 ---------------------------------------------------------------------------------------------------


def test_sign_in_page_is_kazakh_and_a_wrong_password_keeps_the_username(
    new_context: NewContext, shot: Shot
) -> None:
    page = new_context().new_page()
    response = page.goto("/login")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "kk"
    shot(page, "01-login")

    page.locator("[name=username]").fill("wg_member")
    page.locator("[name=password]").fill("not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")) as answer:
        page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state()
    assert answer.value.status == 401
    assert page.locator("[role=alert]").is_visible()
    assert page.locator("[name=username]").input_value() == "wg_member"
    assert page.locator("[name=password]").input_value() == ""
    assert page.locator("html").get_attribute("lang") == "kk"
    shot(page, "02-login-wrong-password")


# 2 ---------------------------------------------------------------------------------------------------


def test_order_through_review_rework_and_approval(new_context: NewContext, shot: Shot) -> None:
    title = f"Жасанды интеллектті әдепті пайдалану туралы ({KAZAKH_LETTERS})"
    body = "Мұғалімдер жасанды интеллект құралдарын ашық, әділ және қауіпсіз пайдалансын. Һ әріпі де бар."
    reworked = body + "\nҚосымша тармақ: оқушылардың дербес деректері қорғалсын."
    lawyer_comment = "Дербес деректерді қорғау туралы тармақ жетіспейді. Түзетіңіз."

    # The deputy drafts the order.
    deputy = sign_in(new_context(), "wg_deputy")
    shot(deputy, "10-deputy-inbox")
    start_order(deputy)
    shot(deputy, "11-draft-form-empty")
    # Labels come from forms/order_draft.json and are tied to their inputs.
    assert deputy.get_by_label(form_title("order_draft", "title")).get_attribute("name") == "title"
    assert deputy.get_by_label(form_title("order_draft", "body")).get_attribute("name") == "body"
    field(deputy, "title").fill(title)
    field(deputy, "order_type").select_option("ai_ethics")
    field(deputy, "body").fill(body)
    field(deputy, "basis").fill("ҚР Білім және ғылым министрлігінің ұсынымдары")
    choice(deputy, "marking", "internal").check()
    shot(deputy, "12-draft-form-filled")
    assert submit_task(deputy).status == 302
    instance_id = instance_id_of(deputy)
    assert title in deputy.locator("h1").inner_text()
    shot(deputy, "13-instance-after-draft")

    # The lawyer claims the review and returns it, first forgetting the comment.
    lawyer = sign_in(new_context(), "lawyer")
    open_task_of(lawyer, "roles", instance_id)
    shot(lawyer, "14-legal-review-to-claim")
    assert lawyer.get_by_text(body[:40]).count() >= 1, "the reviewer reads the draft's text"
    claim(lawyer)
    choice(lawyer, "decision", "return").check()
    answer = submit_task(lawyer)
    assert answer.status == 422
    comment_field = lawyer.locator("[data-field=comment]")
    assert comment_field.locator(".field-error").is_visible(), "an error next to the comment field"
    assert field(lawyer, "comment").get_attribute("aria-invalid") == "true"
    assert choice(lawyer, "decision", "return").is_checked(), "the chosen decision is kept"
    shot(lawyer, "15-legal-review-return-without-comment")
    field(lawyer, "comment").fill(lawyer_comment)
    assert submit_task(lawyer).status == 302
    assert instance_id_of(lawyer) == instance_id
    shot(lawyer, "16-instance-after-return")

    # The deputy reworks: the earlier text is prefilled and the lawyer's comment is shown.
    open_task_of(deputy, "mine", instance_id)
    assert field(deputy, "title").input_value() == title
    assert field(deputy, "body").input_value() == body
    assert field(deputy, "order_type").input_value() == "ai_ethics"
    assert deputy.get_by_text(lawyer_comment).count() >= 1, "the rework form shows why it came back"
    shot(deputy, "17-rework-form")
    field(deputy, "body").fill(reworked)
    assert submit_task(deputy).status == 302
    assert deputy.locator("[data-testid=timeline] blockquote").filter(has_text=lawyer_comment).count() == 1
    shot(deputy, "18-instance-after-rework")

    # The lawyer approves the reworked draft, then the director approves the order.
    open_task_of(lawyer, "roles", instance_id)
    claim(lawyer)
    assert lawyer.get_by_text("Қосымша тармақ").count() >= 1, "the reviewer sees the reworked text"
    inserted = lawyer.locator("[data-testid=edition-diff] ins")
    assert "Қосымша тармақ" in " ".join(inserted.all_inner_texts()), "the diff marks the inserted words"
    assert lawyer.locator("[data-testid=edition-diff] del").count() == 0
    shot(lawyer, "19a-legal-review-diff")
    choice(lawyer, "decision", "approve").check()
    shot(lawyer, "19-legal-review-approve")
    assert submit_task(lawyer).status == 302

    director = sign_in(new_context(), "director")
    open_task_of(director, "roles", instance_id)
    claim(director)
    choice(director, "decision", "approve").check()
    shot(director, "20-director-approval")
    assert submit_task(director).status == 302
    assert instance_id_of(director) == instance_id
    shot(director, "21-instance-after-approval")

    # The timeline: who completed what, with the decisions in order.
    timeline = director.locator("[data-testid=timeline] > li")
    entries = [" ".join(t.split()) for t in timeline.all_inner_texts()]
    decided = timeline.filter(has=director.locator("em"))
    decided_texts = [" ".join(t.split()) for t in decided.all_inner_texts()]
    # lawyer: return (with the comment), lawyer: approve, director: approve
    assert len(decided_texts) == 3, entries
    actors = [item.get_attribute("data-actor") for item in decided.all()]
    assert actors == ["lawyer", "lawyer", "director"], decided_texts
    decisions = [item.locator("em").inner_text() for item in decided.all()]
    assert decisions[0] != decisions[1] == decisions[2], decisions  # return, approve, approve
    assert lawyer_comment in decided_texts[0]
    by_deputy = [
        item
        for item in timeline.all()
        if item.get_attribute("data-actor") == "wg_deputy" and "«" in item.inner_text()
    ]
    assert len(by_deputy) == 2, entries  # the draft and the rework

    # The registered order is in the register with its number.
    number = director.locator("[data-testid=order-number]").inner_text()
    assert re.fullmatch(r"\d{4}/\d+", number), number
    director.goto(director.url.split("/instances/")[0] + "/orders?status=registered")
    row = director.locator("[data-testid=orders] tbody tr").filter(has_text=number)
    assert row.count() == 1 and title in row.inner_text()
    shot(director, "22-order-register")
    with director.expect_navigation():
        row.locator("a").first.click()
    assert director.locator("[data-testid=acknowledgements]").is_visible()
    with director.expect_download() as download_info:
        director.locator("[data-testid=download-pdf]").click()
    pdf_path = download_info.value.path()
    assert pdf_path is not None and Path(pdf_path).read_bytes().startswith(b"%PDF")
    director.reload()
    assert director.locator("[data-testid=verification-code]").is_visible()
    shot(director, "23-order-page")


# 3 ---------------------------------------------------------------------------------------------------


def test_typed_text_survives_a_reload_until_submitted(new_context: NewContext, shot: Shot) -> None:
    page = sign_in(new_context(), "wg_chair")
    task_id = start_order(page)
    typed = f"Жоба мәтіні, әлі сақталмаған: {KAZAKH_LETTERS}"
    field(page, "body").fill(typed)
    field(page, "title").fill("Сақталмаған тақырып")
    page.reload()
    assert field(page, "body").input_value() == typed
    assert field(page, "title").input_value() == "Сақталмаған тақырып"
    shot(page, "30-draft-restored-after-reload")

    # Once the form is submitted successfully the browser forgets the draft.
    field(page, "order_type").select_option("other")
    assert submit_task(page).status == 302
    stored = page.evaluate(f"localStorage.getItem('autosave:task-{task_id}')")
    assert stored is None


# 4 ---------------------------------------------------------------------------------------------------


def test_phone_layout_has_no_horizontal_scrolling(new_context: NewContext, shot: Shot) -> None:
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = sign_in(phone, "responsible")
    task_id = start_order(page)
    field(page, "title").fill("Телефоннан жазылған бұйрық")
    width, inner = page_widths(page)
    shot(page, "40-phone-task-form")
    assert width <= inner + 1, f"the task form scrolls sideways on a phone: {width} > {inner}"

    page.goto("/inbox?scope=mine")
    assert page.locator(f"[data-testid=inbox] a[href='/tasks/{task_id}']").count() == 1
    width, inner = page_widths(page)
    shot(page, "41-phone-inbox")
    assert width <= inner + 1, f"the inbox scrolls sideways on a phone: {width} > {inner}"


# 5 ---------------------------------------------------------------------------------------------------


def test_language_switch(new_context: NewContext, shot: Shot) -> None:
    anonymous = new_context().new_page()
    anonymous.goto("/login")
    with anonymous.expect_navigation():
        anonymous.locator("form.langswitch").get_by_role("button", name="Русский").click()
    assert anonymous.locator("html").get_attribute("lang") == "ru"
    assert "/login" in anonymous.url
    shot(anonymous, "50-login-ru")

    page = sign_in(new_context(), "staff1")
    assert page.locator("html").get_attribute("lang") == "kk"
    for number, label, code in ((51, "Русский", "ru"), (52, "English", "en")):
        with page.expect_navigation():
            page.locator("form.langswitch").get_by_role("button", name=label).click()
        assert page.locator("html").get_attribute("lang") == code
        assert page.locator("form.langswitch button[aria-current=true]").inner_text() == label
        shot(page, f"{number}-inbox-{code}")

    # The choice is kept for the person: a new sign-in elsewhere speaks English too.
    again = sign_in(new_context(), "staff1")
    assert again.locator("html").get_attribute("lang") == "en"
    with again.expect_navigation():
        again.locator("form.langswitch").get_by_role("button", name="Қазақша").click()
    assert again.locator("html").get_attribute("lang") == "kk"
