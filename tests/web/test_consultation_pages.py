"""Consultation pages in Kazakh: a request keeps what was typed on 422, the responsible person records it,
the journal lists it for its readers only, exports and the paper journal (PDF) are deterministic."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service.platform.clock import utcnow
from service.platform.runtime import Runtime
from tests.conftest import csrf_from, login

SOON = (utcnow() + timedelta(days=5)).date().isoformat()
YESTERDAY = (utcnow() - timedelta(days=1)).date().isoformat()


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def request_one(client: FlaskClient, topic: str = "Презентация жасау") -> str:
    page = client.get("/consultations").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "topic": topic, "duty": "Тарих пәні", "preferred_on": SOON}
    sent = client.post("/consultations", data=form)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return str(sent.headers["Location"])


def test_request_form_keeps_what_was_typed_and_names_each_field(app: Flask, seeded: Runtime) -> None:
    staff = signed_in(app, "staff1")
    page = staff.get("/consultations")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Менің консультацияларым" in html and "Консультация сұрау" in html
    assert 'href="/consultations"' in html  # the navigation link
    assert 'data-testid="export-csv"' not in html and 'data-testid="record-walk-in"' not in html
    refused = staff.post(
        "/consultations",
        data={
            "csrf_token": csrf_from(html),
            "topic": "Мұқият жазылған тақырып",
            "duty": "",
            "preferred_on": "2020-01-01",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'value="Мұқият жазылған тақырып"' in html
    assert "Бұл өрісті толтыру міндетті." in html and "Бұл күн өтіп кетті." in html
    assert staff.post("/consultations", data={"topic": "x"}).status_code == 400  # no CSRF token


def test_responsible_records_and_the_journal_lists_it(app: Flask, seeded: Runtime) -> None:
    staff = signed_in(app, "staff1")
    location = request_one(staff)
    own = staff.get(location).get_data(as_text=True)
    assert "сұралды" in own and 'data-testid="record-form"' not in own
    responsible = signed_in(app, "responsible")
    journal = responsible.get("/consultations?status=requested").get_data(as_text=True)
    assert "Өткізілген консультациялар журналы" in journal and "Презентация жасау" in journal
    show = responsible.get(location).get_data(as_text=True)
    assert 'data-testid="record-form"' in show
    record_url = location + "/record"
    bad = responsible.post(
        record_url,
        data={
            "csrf_token": csrf_from(show),
            "held_on": YESTERDAY,
            "topic": "Презентация жасау",
            "advice": "",
        },
    )
    assert bad.status_code == 422 and "Бұл өрісті толтыру міндетті." in bad.get_data(as_text=True)
    done = responsible.post(
        record_url,
        data={
            "csrf_token": csrf_from(show),
            "held_on": YESTERDAY,
            "topic": "Презентация жасау",
            "advice": "Слайдтарды ЖИ-мен жасап, деректерді өзіңіз тексеріңіз",
            "material": (io.BytesIO(b"%PDF-1.4 memo"), "memo.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    held = staff.get(location).get_data(as_text=True)
    assert "өткізілді" in held and "Слайдтарды ЖИ-мен" in held
    material = re.search(r'href="(/files/[0-9a-f]{64})" data-testid="consultation-material"', held)
    assert material is not None
    assert staff.get(material.group(1)).status_code == 200  # the consulted person opens the material
    assert signed_in(app, "director").get(material.group(1)).status_code == 200
    other = signed_in(app, "staff2")
    assert other.get(material.group(1)).status_code == 404
    assert other.get(location).status_code == 404
    assert "Презентация жасау" not in other.get("/consultations").get_data(as_text=True)


def test_walk_in_form_is_for_the_responsible_person_only(app: Flask, seeded: Runtime) -> None:
    assert signed_in(app, "staff1").get("/consultations/walk-in").status_code == 403
    responsible = signed_in(app, "responsible")
    form = responsible.get("/consultations/walk-in").get_data(as_text=True)
    bad = responsible.post("/consultations/walk-in", data={"csrf_token": csrf_from(form), "topic": "Аударма"})
    assert bad.status_code == 422 and 'value="Аударма"' in bad.get_data(as_text=True)
    done = responsible.post(
        "/consultations/walk-in",
        data={
            "csrf_token": csrf_from(form),
            "staff_member": "staff3",
            "held_on": YESTERDAY,
            "topic": "Аударма",
            "advice": "Мәтінді өзіңіз тексеріңіз",
        },
    )
    assert done.status_code == 302
    assert "алдын ала сұралмаған" in signed_in(app, "staff3").get(done.headers["Location"]).get_data(
        as_text=True
    )


def test_exports_and_the_paper_journal(app: Flask, seeded: Runtime) -> None:
    staff = signed_in(app, "staff1")
    request_one(staff, "Бірінші тақырып")
    location = request_one(staff, "Екінші тақырып")
    responsible = signed_in(app, "responsible")
    show = responsible.get(location).get_data(as_text=True)
    data = {"csrf_token": csrf_from(show), "held_on": YESTERDAY, "topic": "Екінші тақырып", "advice": "Кеңес"}
    assert responsible.post(location + "/record", data=data).status_code == 302
    assert staff.get("/consultations/export.csv").status_code == 403
    assert staff.get("/consultations/journal.pdf").status_code == 403
    director = signed_in(app, "director")
    csv_text = director.get("/consultations/export.csv").get_data(as_text=True)
    assert "Бірінші тақырып" in csv_text and "Екінші тақырып" in csv_text
    only_held = director.get("/consultations/export.csv?status=held").get_data(as_text=True)
    assert "Бірінші тақырып" not in only_held
    sheet = load_workbook(io.BytesIO(director.get("/consultations/export.xlsx").data)).active
    assert sheet is not None and sheet.max_row == 3
    first = director.get("/consultations/journal.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert "attachment" in first.headers["Content-Disposition"]
    assert director.get("/consultations/journal.pdf").data == first.data  # the same journal, the same bytes
