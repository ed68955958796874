"""The plan tracker's pages in Kazakh: progress by stage, filters, the mark form keeping what was typed,
undoing a mark, and the CSV/XLSX export."""

from __future__ import annotations

import io
import json
import re

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from service.features.plan import usecases as plan_cases
from service.features.plan.models import SchoolPlan
from service.platform.persistence.models import AuditEvent
from service.platform.runtime import Runtime
from tests.conftest import actor_named, csrf_from, login

ACTIVITY_7 = "Жасанды интеллект және академиялық адалдық бойынша қолданыстағы"


def _rows(html: str) -> list[str]:
    return re.findall(r'data-testid="item-(\d+)"', html)


def test_plan_page_in_kazakh_with_progress_and_filters(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "staff1")
    assert 'href="/plan"' in client.get("/inbox").get_data(as_text=True)  # in everyone's navigation
    html = client.get("/plan").get_data(as_text=True)
    year = plan_cases.get_plan(seeded, actor_named(seeded, "staff1")).plan.school_year
    assert 'lang="kk"' in html and f"Жоспар {year}–{year + 1}" in html
    # The year switcher, on the list and on an item's page, names the loaded school years.
    switcher = html[html.index('data-testid="year-switcher"') :]
    assert f'href="/plan?year={year}"' in switcher[: switcher.index("</nav>")]
    item = client.get("/plan/items/7").get_data(as_text=True)
    assert f'href="/plan/items/7?year={year}"' in item[item.index('data-testid="year-switcher"') :]
    assert "30 тармақтың 0 орындалды" in html
    assert 'data-testid="stage-4-progress">0 / 9<' in html and "ІСКЕ АСЫРУ" in html
    assert len(_rows(html)) == 30 and "<progress" in html
    assert "нақты мерзімі жоқ" in html and "кезектен тыс (қажет болған жағдайда)" in html
    assert _rows(client.get("/plan?stage=2").get_data(as_text=True)) == ["7", "8", "9", "10"]
    no_date = _rows(client.get("/plan?status=no_date").get_data(as_text=True))
    assert no_date == ["4", "6", "8", "16", "23", "25", "27", "28"]
    # staff1 (a teacher) may mark only item 5, whose responsible is the teachers' creative group.
    assert re.findall(r'data-testid="mark-link-(\d+)"', html) == ["5"]


def test_mark_form_keeps_what_was_typed_then_marks(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "responsible")
    page = client.get("/plan/items/7").get_data(as_text=True)
    assert ACTIVITY_7 in page and 'data-testid="mark"' in page
    token = csrf_from(page)
    assert client.post("/plan/items/7/mark", data={"comment": "x"}).status_code == 400  # no CSRF token
    bad = client.post(
        "/plan/items/7/mark",
        data={"csrf_token": token, "comment": "", "evidence_kind": "order", "evidence_ref": "999/Ж"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Бұл өрісті толтыру міндетті." in html
    assert "Сізге қолжетімді жазбалардың ішінен бұл сілтеме бойынша ештеңе табылмады." in html
    assert 'value="999/Ж"' in html and '<option value="order" selected>' in html
    done = client.post(
        "/plan/items/7/mark",
        data={
            "csrf_token": token,
            "comment": "Шолу дайын",
            "evidence_kind": "act_edition",
            "evidence_ref": "ai_regulation/1",
        },
    )
    assert done.status_code == 302
    plan = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "7-тармақ орындалды деп белгіленді." in plan
    assert 'data-testid="stage-2-progress">1 / 4<' in plan and "30 тармақтың 1 орындалды" in plan
    assert "Гүлнар Әлібекқызы" in plan
    item = client.get("/plan/items/7").get_data(as_text=True)
    assert "Орындау туралы белгі" in item and "Шолу дайын" in item
    assert 'href="/acts/ai_regulation/editions/1"' in item
    assert 'data-testid="unmark"' not in item  # only the chair and the director undo


def test_not_allowed_gets_403_without_data(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "staff1")
    token = csrf_from(client.get("/plan/items/7").get_data(as_text=True))
    refused = client.post("/plan/items/7/mark", data={"csrf_token": token, "comment": "x"})
    assert refused.status_code == 403 and ACTIVITY_7 not in refused.get_data(as_text=True)


def test_chair_undoes_a_mark_with_a_reason(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "wg_chair")
    token = csrf_from(client.get("/plan/items/2").get_data(as_text=True))
    client.post("/plan/items/2/mark", data={"csrf_token": token, "comment": "Стенд безендірілді"})
    page = client.get("/plan/items/2").get_data(as_text=True)
    assert 'data-testid="unmark"' in page
    missing = client.post("/plan/items/2/unmark", data={"csrf_token": token, "reason": " "})
    assert missing.status_code == 422 and "Бұл өрісті толтыру міндетті." in missing.get_data(as_text=True)
    undone = client.post("/plan/items/2/unmark", data={"csrf_token": token, "reason": "Фото жоқ"})
    assert undone.status_code == 302
    history = client.get("/plan/items/2").get_data(as_text=True)
    assert "белгіні алып тастады" in history and "Фото жоқ" in history and "Стенд безендірілді" in history
    twice = client.post("/plan/items/2/unmark", data={"csrf_token": token, "reason": "Тағы"})
    assert twice.status_code == 409 and "Бұл тармақ орындалды деп белгіленбеген." in twice.get_data(
        as_text=True
    )


def test_export_csv_and_xlsx(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "director")
    csv_text = client.get("/plan/export.csv?stage=5").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("№,Кезең,Іс-шара,Жауапты тұлға")
    assert len(lines) == 6 and lines[1].startswith("26,5,")
    xlsx = client.get("/plan/export.xlsx")
    assert xlsx.status_code == 200 and "plan.xlsx" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None and sheet.max_row == 31


def test_the_next_school_year_starts_from_this_plan(app: Flask, seeded: Runtime) -> None:
    director, teacher = app.test_client(), app.test_client()
    login(director, "director")
    login(teacher, "staff1")
    year = plan_cases.get_plan(seeded, actor_named(seeded, "director")).plan.school_year
    plan_cases.mark_item(seeded, actor_named(seeded, "director"), 1, comment="Топ құрылды")
    page = director.get("/plan").get_data(as_text=True)
    assert 'data-testid="open-next-year"' in page and f"{year + 1}–{year + 2} жоспарын осыдан бастау" in page
    # A teacher sees no such button and is refused by the use case all the same.
    teacher_page = teacher.get("/plan").get_data(as_text=True)
    assert 'data-testid="open-next-year"' not in teacher_page
    refused = teacher.post("/plan/next-year", data={"from_year": year, "csrf_token": csrf_from(teacher_page)})
    assert refused.status_code == 403
    token = csrf_from(page)
    opened = director.post("/plan/next-year", data={"from_year": year, "csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/plan?year={year + 1}")
    new_year = director.get(f"/plan?year={year + 1}").get_data(as_text=True)
    assert f"Жоспар {year + 1}–{year + 2}" in new_year and "арналған жоспар ашылды" in new_year
    assert "30 тармақтың 0 орындалды" in new_year and len(_rows(new_year)) == 30  # item 1's mark stays behind
    view = plan_cases.get_plan(seeded, actor_named(seeded, "director"), year + 1)
    assert f"{year + 1}-{year + 2}" in view.plan.title and view.plan.approval == ""
    seven = next(v.item for v in view.items if v.item.number == 7)
    assert seven.due_on is not None and (seven.due_on.year, seven.due_on.month) == (year + 2, 2)
    assert [(s.number, s.total) for s in view.stages] == [(1, 6), (2, 4), (3, 6), (4, 9), (5, 5)]
    old = plan_cases.get_plan(seeded, actor_named(seeded, "director"), year)
    assert old.done == 1 and not old.may_open_next_year  # the old year keeps its mark; no second button
    # Opening it again (a second tab, someone else just now) is a conflict, and nothing is duplicated.
    again = director.post("/plan/next-year", data={"from_year": year, "csrf_token": token})
    assert again.status_code == 409 and "жоспары бар" in again.get_data(as_text=True)
    with seeded.db.session() as session:
        plans = session.execute(select(SchoolPlan.school_year).order_by(SchoolPlan.school_year)).scalars()
        assert list(plans) == [year, year + 1]
        event = session.execute(select(AuditEvent).where(AuditEvent.action == "plan.next_year")).scalar_one()
        assert event.actor == "director" and json.loads(event.detail_json)["items"] == 30
