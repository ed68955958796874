"""The region level: its administrator lists and opens schools and reads per-school counts (never an
incident's content or people) a page of schools at a time with the region's totals; everyone else gets
403; a dashboard page's cost does not grow with schools."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import event, select

from service.features.plan.models import PlanItem, SchoolPlan
from service.platform import region as region_cases
from service.platform.auth import accounts
from service.platform.clock import utcnow
from service.platform.errors import ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import User, UserRole
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
    # The region's totals: every school's counts added up (a share over every school's items).
    totals = {f["key"]: f["total"].get("values") or f["total"].get("value") for f in body["figures"]}
    assert totals["incidents_by_type"]["data_disclosure"] == 2
    assert totals["incidents_by_type"]["academic_integrity"] == 1
    assert totals["orders_issued"] == 1
    assert totals["tools_permitted"] == {"permitted": 1, "permitted_with_restrictions": 1}
    assert totals["survey_participation"] == {"asked": 3, "answered": 1}
    assert 0 < totals["plan_completion"]["all"] < plan[first]["all"]  # school 2's untouched plan counts
    assert body["school_count"] == 2 and body["next"] is None

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
    # The page of schools, their count, a page query and a total per figure (and the actor's region).
    assert len(two) <= 2 * figures + 3
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
    # A school's admin cannot hand anyone the role; and a school's person holding it anyway (written
    # past the use case) is still no region officer.
    with pytest.raises(ValidationFailed):
        accounts.add_role(api.rt, Actor.system(), "director", "region_admin")
    with api.rt.db.session() as session:
        director = session.execute(select(User).where(User.username == "director")).scalar_one()
        session.add(UserRole(user_id=director.id, role="region_admin"))
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


def _plan_in(rt: Any, school: int, year: int, done: bool) -> None:
    """A plan of two items (stages 1 and 2) in `school`, the first marked done when `done`."""
    with tenancy.acting_as(school), rt.db.session() as session:
        plan = SchoolPlan(school_year=year, title="Жоспар")
        session.add(plan)
        session.flush()
        for stage in (1, 2):
            session.add(
                PlanItem(
                    plan_id=plan.id,
                    stage=stage,
                    position=stage,
                    number=stage,
                    activity="Іс-шара",
                    responsible="Директор",
                    roles="director",
                    deadline="Қыркүйек",
                    deadline_kind="month",
                    done_at=utcnow() if done and stage == 1 else None,
                )
            )


def _plan_counts(rt: Any, school: int, year: int) -> tuple[int, int, int, int]:
    """(items, done, stage-1 items, stage-1 done) of a school's plan of the year, counted in Python."""
    with tenancy.acting_as(school), rt.db.read() as session:
        items = (
            session.execute(select(PlanItem).join(SchoolPlan).where(SchoolPlan.school_year == year))
            .scalars()
            .all()
        )
        first = [i for i in items if i.stage == 1]
        return (
            len(items),
            sum(i.done_at is not None for i in items),
            len(first),
            sum(i.done_at is not None for i in first),
        )


def test_35_schools_come_30_to_a_page_with_totals_over_all_35(api: Api) -> None:
    """Pages of 30 by code (`after` the last code), the next page holds the other 5; every page's totals
    cover all 35 schools; the search narrows the rows, never the totals; the download has every school."""
    from service.platform.schools import NewSchool, ensure_school

    rt = api.rt
    region = add_region(rt)
    with tenancy.acting_as(region):
        year = region_cases.school_year_scope(rt, ()).first_day.year
    codes = [f"p{n:02d}" for n in range(1, 35)]  # with the deployment's first school ("school"): 35
    for n, code in enumerate(codes, start=1):
        info, _ = ensure_school(rt, NewSchool(code, f"№{n} мектеп", f"Школа №{n}"))
        _plan_in(rt, info.id, year, done=n <= 7)
    headers = region_token(api, region)

    first = api.client.get("/api/v1/region/dashboard", headers=headers).get_json()
    assert [s["code"] for s in first["schools"]] == codes[:30]
    assert first["school_count"] == 35 and first["next"] == "p30"
    plan = _figure(first, "plan_completion")
    assert len(plan["rows"]) == 30 and plan["rows"][0]["values"]["all"] == 50
    assert plan["rows"][29]["values"]["all"] == 0
    nxt = api.client.get("/api/v1/region/dashboard?after=p30", headers=headers).get_json()
    assert [s["code"] for s in nxt["schools"]] == [*codes[30:], "school"]
    assert nxt["next"] is None and len(_figure(nxt, "plan_completion")["rows"]) == 5
    assert len(_figure(nxt, "orders_issued")["rows"]) == 5

    items, done, first_items, first_done = _plan_counts(rt, tenancy.DEFAULT_SCHOOL, year)
    expected = {
        "all": round(100 * (7 + done) / (68 + items)),
        "1": round(100 * (7 + first_done) / (34 + first_items)),
    }
    for page in (first, nxt):
        total = _figure(page, "plan_completion")["total"]["values"]
        assert {k: total[k] for k in expected} == expected, page["schools"][0]["code"]
    assert expected["1"] != round(100 * 7 / 30)  # not the first page's share alone

    small = api.client.get("/api/v1/region/dashboard?limit=7&after=p03", headers=headers).get_json()
    assert [s["code"] for s in small["schools"]] == codes[3:10] and small["next"] == "p10"
    assert api.client.get("/api/v1/region/dashboard?limit=0", headers=headers).status_code == 422
    found = api.client.get("/api/v1/region/dashboard?q=P1", headers=headers).get_json()
    assert [s["code"] for s in found["schools"]] == codes[9:19] and found["next"] is None
    assert _figure(found, "plan_completion")["total"] == _figure(first, "plan_completion")["total"]

    client = api.client
    assert login(client, "region_admin").status_code == 302
    page = client.get("/region").get_data(as_text=True)
    assert page.count('<tr data-school="') == 30 * len(rt.features.region_figures)
    assert "after=p30" in page and 'data-testid="total-plan_completion"' in page
    rest = client.get("/region?after=p30").get_data(as_text=True)
    assert rest.count('<tr data-school="') == 5 * len(rt.features.region_figures)
    assert 'rel="next"' not in rest and 'data-testid="pager-first"' in rest
    named = client.get("/region?q=%E2%84%9633").get_data(as_text=True)  # "№33"
    assert named.count('<tr data-school="') == len(rt.features.region_figures)
    csv_rows = list(csv.reader(io.StringIO(client.get("/region/dashboard.csv").data.decode("utf-8-sig"))))
    assert len(csv_rows) == 36  # a header and every school, not a page
