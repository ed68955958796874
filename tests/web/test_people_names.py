"""People are named by their full names, never by logins or role tags: demo users, the order register,
its export, an order's editions, an incident's follow-ups."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from sqlalchemy import select, update

from service.platform.auth.demo import _OLD_NAMES, demo_accounts
from service.platform.persistence.models import User
from service.platform.roles import ROLE_CODES
from tests.conftest import Api, login
from tests.integration.test_order_register import _register, _submit


def test_demo_names_are_plain_kazakh_names() -> None:
    names = [name for _login, name, _roles in demo_accounts()]
    assert len(set(names)) == len(names)  # nobody is told apart by a tag
    for name in names:
        assert re.fullmatch(r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+ [А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+", name), name
        assert not any(code in name.casefold() for code in ROLE_CODES), name
        assert not re.search(r"\d|мүшесі|Педагог|Әкімші", name), name


def test_flask_demo_renames_the_old_tagged_names_but_not_edited_ones(app: Flask, api: Api) -> None:
    rt = api.rt
    with rt.db.session() as session:
        session.execute(
            update(User).where(User.username == "director").values(full_name=_OLD_NAMES["director"])
        )
        session.execute(
            update(User).where(User.username == "lawyer").values(full_name="Сәуле Оразқызы Бекова")
        )
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with rt.db.session() as session:
        names = dict(session.execute(select(User.username, User.full_name)).all())
    assert names["director"] == "Айгүл Серікқызы"
    assert names["lawyer"] == "Сәуле Оразқызы Бекова"  # a name the school set stays


def test_the_register_and_its_export_name_the_drafter(api: Api) -> None:
    iid = _submit(api, "wg_deputy", "Әдеп туралы бұйрық", "ai_ethics")
    _register(api, iid)
    client = api.client
    login(client, "director")
    page = client.get("/orders").get_data(as_text=True)
    row = page[page.index("Әдеп туралы бұйрық") :]
    row = row[: row.index("</tr>")]
    assert "Мәдина Асқарқызы" in row and "wg_deputy" not in row
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    detail = client.get(f"/orders/{order_id}").get_data(as_text=True)
    editions = detail[detail.index("<details") :]
    assert "Мәдина Асқарқызы" in editions and "· wg_deputy ·" not in editions
    for kind in ("csv", "xlsx"):
        exported = client.get(f"/orders/export.{kind}")
        assert exported.status_code == 200
    rows = list(
        csv.reader(io.StringIO(client.get("/orders/export.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    drafter = rows[0].index("Әзірлеуші")
    assert rows[1][drafter] == "Мәдина Асқарқызы"
