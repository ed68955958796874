"""The region level: its administrator lists and opens schools and reads per-school counts (never an
incident's content or people); everyone else gets 403; the dashboard's cost does not grow with schools."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import event

from service.platform import region as region_cases
from service.platform.auth import accounts
from service.platform.persistence import tenancy
from service.platform.runtime import Actor
from tests.conftest import Api, actor_named, csrf_from, login
from tests.integration.region_steps import REPORTER, SECRET, a_year_in_two_schools, add_region, region_token
from tests.integration.school_steps import add_school, token_in

NEW_SCHOOL = {
    "code": "school7",
    "name_kk": "№7 мектеп",
    "name_ru": "Школа №7",
    "timezone": "Asia/Aqtobe",
    "admin_username": "school7.admin",
    "admin_full_name": "Ерлан Қасымов",
    "admin_password": "jaña-qupiya-7",
}


def _figure(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(f for f in body["figures"] if f["key"] == key)


def _by_school(figure: dict[str, Any]) -> dict[int, Any]:
    return {row["school_id"]: row.get("values") or row.get("value") for row in figure["rows"]}


def test_the_region_admin_reads_counts_of_both_schools_and_no_incident_detail(api: Api) -> None:
    second, region = a_year_in_two_schools(api)
    first = tenancy.DEFAULT_SCHOOL
    answer = api.client.get("/api/v1/region/dashboard", headers=region_token(api, region))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert {s["id"] for s in body["schools"]} == {first, second}  # the region itself is no school here

    incidents = _by_school(_figure(body, "incidents_by_type"))
    assert incidents[first]["data_disclosure"] == 2 and incidents[first]["academic_integrity"] == 0
    assert incidents[second]["academic_integrity"] == 1 and incidents[second]["data_disclosure"] == 0
    assert _by_school(_figure(body, "orders_issued")) == {first: 1, second: 0}
    tools = _by_school(_figure(body, "tools_permitted"))
    assert tools[second] == {"permitted": 1, "permitted_with_restrictions": 1}
    assert tools[first] == {"permitted": 0, "permitted_with_restrictions": 0}
    plan = _by_school(_figure(body, "plan_completion"))
    assert plan[first]["all"] > 0 and plan[second]["all"] == 0
    assert _figure(body, "plan_completion")["unit"] == "percent"
    surveys = _by_school(_figure(body, "survey_participation"))
    assert surveys[first] == {"asked": 3, "answered": 1}
    assert surveys[second] == {"asked": 0, "answered": 0}

    # Counts only: no incident's description, reporter or the people it concerned, in any form.
    client = api.client
    assert login(client, "region_admin").status_code == 302
    page = client.get("/region")
    assert page.status_code == 200
    downloads = [client.get(f"/region/dashboard.{fmt}") for fmt in ("csv", "xlsx")]
    texts = [
        answer.get_data(as_text=True),
        page.get_data(as_text=True),
        downloads[0].data.decode("utf-8-sig"),
    ]
    book = load_workbook(io.BytesIO(downloads[1].data), read_only=True)
    texts.append(" ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row))
    for text in texts:
        for secret in (SECRET, REPORTER, actor_named(api.rt, REPORTER).full_name, "7Б", "ChatGPT"):
            assert secret not in text
    rows = list(csv.reader(io.StringIO(downloads[0].data.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[2][0] == "№2 мектеп"  # a header and the two schools, by code
    assert downloads[1].headers["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_dashboard_costs_one_query_per_figure_whatever_the_number_of_schools(api: Api) -> None:
    region = add_region(api.rt)
    with tenancy.acting_as(region):
        me = _region_admin(api)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    def measured() -> list[str]:
        statements.clear()
        event.listen(api.rt.db.engine, "before_cursor_execute", count)
        try:
            with tenancy.acting_as(region):
                region_cases.dashboard(api.rt, me)
        finally:
            event.remove(api.rt.db.engine, "before_cursor_execute", count)
        return [s for s in statements if not s.startswith(("PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE"))]

    add_school(api.rt)
    measured()  # the actor's own region row is then cached, as in any later request
    two = measured()
    from service.platform.schools import NewSchool

    for n in (3, 4, 5):
        add_school(api.rt, NewSchool(f"school{n}", f"№{n} мектеп", f"Школа №{n}"))
    five = measured()
    assert len(five) == len(two)
    figures = len(api.rt.features.region_figures)
    assert len(two) <= figures + 2  # the schools, the figures (and the actor's own region, at most)
    assert not any("state_json" in s for s in five)  # no workflow is loaded


def _region_admin(api: Api) -> Actor:
    return actor_named(api.rt, "region_admin")


def test_everyone_but_the_region_admin_gets_403(api: Api) -> None:
    second = add_school(api.rt)
    add_region(api.rt)
    for user in ("admin", "director", "staff1"):
        for path in ("/region/dashboard", "/region/schools"):
            assert api.get(path, user).status_code == 403, (user, path)
        assert api.post("/region/schools", user, json=NEW_SCHOOL).status_code == 403
    headers = {"Authorization": f"Bearer {token_in(api, second, 'school2.admin')}"}
    assert api.client.get("/api/v1/region/dashboard", headers=headers).status_code == 403
    # A school's admin who hands someone the role makes no region officer.
    accounts.add_role(api.rt, Actor.system(), "director", "region_admin")
    api._tokens.pop("director", None)
    assert api.get("/region/dashboard", "director").status_code == 403
    client = api.client
    assert login(client, "staff1").status_code == 302
    assert client.get("/region").status_code == 403
    assert client.get("/region/schools").status_code == 403
    assert client.get("/region/dashboard.csv").status_code == 403
    assert 'data-testid="nav-region"' not in client.get("/").get_data(as_text=True)


def test_opening_a_school_gives_it_an_admin_who_signs_in_and_sees_the_shipped_processes(
    api: Api, app: Flask
) -> None:
    region = add_region(api.rt)
    headers = region_token(api, region)
    created = api.client.post("/api/v1/region/schools", headers=headers, json=NEW_SCHOOL)
    assert created.status_code == 201, created.get_json()
    school = created.get_json()
    assert school["code"] == "school7" and school["timezone"] == "Asia/Aqtobe"
    listed = api.client.get("/api/v1/region/schools", headers=headers).get_json()["schools"]
    codes = [s["code"] for s in listed]
    assert "school7" in codes and "region" not in codes

    client = app.test_client()
    assert login(client, "school7.admin", NEW_SCHOOL["admin_password"]).status_code == 302
    started = client.get("/processes")
    assert started.status_code == 200
    token = headers_of(api, school["id"], "school7.admin")
    names = {p["id"] for p in api.client.get("/api/v1/processes", headers=token).get_json()["processes"]}
    assert {"order_drafting", "incident_escalation"} <= names
    # The same code or user name again: 409 naming the field; nothing else was made.
    again = api.client.post("/api/v1/region/schools", headers=headers, json=NEW_SCHOOL)
    assert again.status_code == 409 and set(again.get_json()["fields"]) == {"code"}
    other = {**NEW_SCHOOL, "code": "school8"}
    taken = api.client.post("/api/v1/region/schools", headers=headers, json=other)
    assert taken.status_code == 409 and set(taken.get_json()["fields"]) == {"admin_username"}


def headers_of(api: Api, school: int, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_in(api, school, username)}"}


def test_bad_input_is_422_per_field_and_the_page_keeps_what_was_typed(api: Api) -> None:
    region = add_region(api.rt)
    bad = {
        "code": "7 Мектеп",
        "name_kk": " ",
        "name_ru": "Школа",
        "timezone": "Mars/Base",
        "admin_username": "жаңа админ",
        "admin_full_name": "",
        "admin_password": "123",
    }
    answer = api.client.post("/api/v1/region/schools", headers=region_token(api, region), json=bad)
    assert answer.status_code == 422
    assert set(answer.get_json()["fields"]) == {
        "code",
        "name_kk",
        "timezone",
        "admin_username",
        "admin_full_name",
        "admin_password",
    }
    client = api.client
    assert login(client, "region_admin").status_code == 302
    form = client.get("/region/schools")
    assert form.status_code == 200
    typed = {**bad, "code": "жаңа-мектеп", "csrf_token": csrf_from(form.get_data(as_text=True))}
    page = client.post("/region/schools", data=typed)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'value="жаңа-мектеп"' in html and 'value="Школа"' in html and "123" not in html
    assert 'data-testid="error-code"' in html and 'data-testid="error-admin_password"' in html
    good = {**NEW_SCHOOL, "csrf_token": csrf_from(html)}
    assert client.post("/region/schools", data=good).status_code == 302
    listed = client.get("/region/schools").get_data(as_text=True)
    assert "№7 мектеп" in listed and 'data-testid="nav-region"' in listed
    again = client.post("/region/schools", data={**good, "csrf_token": csrf_from(listed)})
    assert again.status_code == 409 and 'data-testid="error-code"' in again.get_data(as_text=True)
