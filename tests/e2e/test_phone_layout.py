"""Every register and admin page fits a phone's width: no sideways scrolling for the people who use them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import PHONE, page_widths

Shot = Callable[[Any, str], Path]
NewContext = Callable[..., Any]

PAGES = {
    "wg_chair": [
        "/processes",
        "/instances",
        "/orders",
        "/acts",
        "/acts/ai_regulation",
        "/acts/ai_regulation/editions/1",
        "/tools",
        "/incidents",
        "/plan",
        "/plan/items/3",
        "/reports/annual",
        "/consultations",
    ],
    # The request form (open after a refused submit) and the responsible person's record forms.
    "responsible": ["/consultations", "/consultations/walk-in"],
    # Long process ids and form keys in monospace once pushed the admin's lists past the screen.
    "admin": [
        "/admin/processes",
        "/admin/forms",
        "/admin/forms/tool_member_vote",  # the builder: fields and options stack on a phone
        "/admin/users",
        "/admin/editor/order_drafting/versions",
    ],
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_registers_and_admin_pages_fit_a_phone(new_context: NewContext, shot: Shot, username: str) -> None:
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = sign_in(phone, username)
    too_wide = []
    for path in PAGES[username]:
        reply = page.goto(path)
        assert reply is not None and reply.status == 200, path
        width, inner = page_widths(page)
        if width > inner + 1:
            too_wide.append(f"{path}: {width} > {inner}")
            shot(page, f"phone-too-wide-{username}{path.replace('/', '-')}")
    assert not too_wide, "pages scroll sideways on a phone: " + "; ".join(too_wide)
