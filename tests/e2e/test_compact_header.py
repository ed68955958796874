"""The header is compact: one line for a teacher on a laptop, and on a phone the menu folds behind a
button (opened by app.js; without scripts by the #mainnav link), so the page starts near the top."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import PHONE, page_widths

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
NewContext = Callable[..., Any]
LAPTOP = {"width": 1366, "height": 768}


def test_the_menu_is_folded_on_a_phone_and_opens_with_its_button(new_context: NewContext, shot: Shot) -> None:
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = sign_in(phone, "director")
    header = page.locator("header.topbar")
    toggle = page.locator("[data-testid=menu-toggle]")
    nav = page.locator("nav.mainnav")
    assert toggle.is_visible() and not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    height = header.bounding_box()["height"]
    assert height <= 100, f"the folded header takes {height} px of the phone's screen"
    width, inner = page_widths(page)
    assert width <= inner + 1
    shot(page, "header-phone-folded-kk")

    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert nav.locator("a[href='/plan']").is_visible()
    assert nav.locator("a[href='/notifications']").is_visible()
    shot(page, "header-phone-open-kk")
    with page.expect_navigation():
        nav.locator("a[href='/plan']").click()
    assert re.search(r"/plan$", page.url)
    assert not page.locator("nav.mainnav").is_visible(), "a new page starts with the menu folded"
    page.locator("[data-testid=menu-toggle]").click()
    page.keyboard.press("Escape")
    assert not page.locator("nav.mainnav").is_visible()


def test_the_menu_opens_without_scripts_too(new_context: NewContext) -> None:
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = sign_in(phone, "staff1")
    assert not page.locator("nav.mainnav").is_visible()
    page.locator("[data-testid=menu-toggle]").click()
    assert page.locator("nav.mainnav a[href='/plan']").is_visible()


def test_the_header_takes_two_lines_on_a_laptop(new_context: NewContext, shot: Shot) -> None:
    page = sign_in(new_context(viewport=LAPTOP), "staff1")
    assert not page.locator("[data-testid=menu-toggle]").is_visible()
    # The brand with the account and languages, then the menu: one line without counts, two with many
    # (it took four lines, 114 px). Counts depend on what earlier tests left, so two lines are allowed.
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 90, f"the header wraps on a 1366 px screen: {header['height']} px"
    tops = {round(box["y"]) for box in (a.bounding_box() for a in page.locator("nav.mainnav a").all())}
    assert len(tops) <= 2, f"the menu takes {len(tops)} lines at 1366 px"
    shot(page, "header-laptop-staff-kk")
    director = sign_in(new_context(viewport=LAPTOP), "director")
    assert director.locator("header.topbar").bounding_box()["height"] <= 90
    shot(director, "header-laptop-director-kk")
