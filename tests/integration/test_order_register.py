"""The order register: lifecycle rows, filters, Kazakh search, visibility, detail and CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.conftest import Api, csrf_from, login


def _submit(api: Api, drafter: str, title: str, order_type: str = "other", **extra: Any) -> int:
    iid = api.post("/processes/order_drafting/instances", drafter).get_json()["id"]
    draft = api.open_task(drafter, iid, "Task_draft")
    data = {"title": title, "order_type": order_type, "body": "Мәтін", **extra}
    assert api.post(f"/tasks/{draft['id']}/complete", drafter, json={"data": data}).status_code == 200
    return iid


def _register(api: Api, iid: int) -> None:
    for user, step in (("lawyer", "Task_legal_review"), ("director", "Task_director_approval")):
        task = api.open_task(user, iid, step, scope="roles")
        api.post(f"/tasks/{task['id']}/claim", user)
        assert (
            api.post(
                f"/tasks/{task['id']}/complete", user, json={"data": {"decision": "approve"}}
            ).status_code
            == 200
        )


def test_register_lists_filters_and_searches(api: Api) -> None:
    first = _submit(api, "wg_deputy", "Жұмыс тобын құру туралы", "working_group")
    _submit(
        api,
        "responsible",
        "ЖАСАНДЫ ИНТЕЛЛЕКТ этикасы туралы",
        "ai_ethics",
        ai_assisted=True,
        ai_help=["plain_text", "structuring"],
    )
    _register(api, first)
    everything = api.get("/orders", "director").get_json()
    assert everything["total"] == 2
    row = next(o for o in everything["orders"] if o["instance_id"] == first)
    assert set(row) >= {"id", "number", "date", "title", "order_type", "status", "drafter", "instance_id"}
    assert row["status"] == "registered" and row["number"].endswith("/1") and row["date"]
    assert [o["status"] for o in api.get("/orders?status=in_review", "director").get_json()["orders"]] == [
        "in_review"
    ]
    assert api.get("/orders?type=working_group", "director").get_json()["total"] == 1
    found = api.get("/orders?q=интеллект", "director").get_json()["orders"]  # different case than stored
    assert [o["order_type"] for o in found] == ["ai_ethics"] and found[0]["ai_help"] == [
        "plain_text",
        "structuring",
    ]
    assert api.get("/orders?year=1999", "director").get_json()["total"] == 0
    assert api.get("/orders?status=lost", "director").status_code == 422


def test_drafts_are_seen_only_by_their_drafter_and_reviewers(api: Api) -> None:
    registered = _submit(api, "wg_deputy", "Тіркелген бұйрық")
    _register(api, registered)
    _submit(api, "responsible", "Жоба")
    staff_view = [o["title"] for o in api.get("/orders", "staff1").get_json()["orders"]]
    assert staff_view == ["Тіркелген бұйрық"]
    assert {o["title"] for o in api.get("/orders", "responsible").get_json()["orders"]} == {
        "Тіркелген бұйрық",
        "Жоба",
    }
    draft_id = next(
        o["id"] for o in api.get("/orders", "lawyer").get_json()["orders"] if o["title"] == "Жоба"
    )
    assert api.get(f"/orders/{draft_id}", "staff1").status_code == 404


def test_order_detail_has_editions_history_and_acknowledgements(api: Api) -> None:
    iid = _submit(api, "wg_deputy", "Бұйрық")
    _register(api, iid)
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    body = api.get(f"/orders/{order_id}", "director").get_json()
    assert [e["number"] for e in body["editions"]] == [1]
    assert [(h["actor"], h["decision"]) for h in body["approval_history"]] == [
        ("lawyer", "approve"),
        ("director", "approve"),
    ]
    assert body["acknowledgements"]["total"] == 30 and body["acknowledgements"]["done"] == 0
    # A teacher reads the registered text, not its approval history (issue 15 item 5).
    staff = api.get(f"/orders/{order_id}", "staff3").get_json()
    assert [e["number"] for e in staff["editions"]] == [1] and staff["approval_history"] == []
    assert staff["acknowledgements"]["total"] == 30


def test_register_page_and_csv_export(api: Api) -> None:
    iid = _submit(api, "wg_deputy", "Әдеп туралы бұйрық", "ai_ethics", marking="final")
    _register(api, iid)
    client = api.client
    login(client, "director")
    page = client.get("/orders?q=әдеп").get_data(as_text=True)
    assert "Әдеп туралы бұйрық" in page
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    detail = client.get(f"/orders/{order_id}").get_data(as_text=True)
    assert 'data-testid="order-number"' in detail and "Қорытынды нұсқа" in detail
    exported = client.get("/orders/export.csv?status=registered")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Нөмірі", "Күні", "Атауы"] and rows[1][2] == "Әдеп туралы бұйрық"
    # the export link carries the register's query, page included: an export is still every row
    paged = client.get("/orders/export.csv?status=registered&page=2").get_data(as_text=True)
    assert "Әдеп туралы бұйрық" in paged


def test_the_chair_reminds_again_and_extends_the_deadline(api: Api) -> None:
    from datetime import date, timedelta

    import pytest

    from service.features.orders import usecases as order_cases
    from service.platform.errors import Forbidden, ValidationFailed
    from service.platform.notify import news as inbox_news
    from tests.conftest import actor_named

    rt = api.rt
    iid = _submit(api, "wg_deputy", "Бұйрық")
    _register(api, iid)
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    with pytest.raises(Forbidden):
        order_cases.remind_pending(rt, actor_named(rt, "staff1"), order_id)
    before = inbox_news.unread_count(rt, actor_named(rt, "staff2"))
    assert order_cases.remind_pending(rt, actor_named(rt, "wg_chair"), order_id) == 30
    assert inbox_news.unread_count(rt, actor_named(rt, "staff2")) == before + 1
    with pytest.raises(ValidationFailed):
        order_cases.extend_acknowledgement(rt, actor_named(rt, "wg_chair"), order_id, date(2000, 1, 1))
    new_due = date.today() + timedelta(days=30)
    assert order_cases.extend_acknowledgement(rt, actor_named(rt, "wg_chair"), order_id, new_due) == 30
    task = api.get("/tasks", "staff2").get_json()["campaign_tasks"][0]
    assert task["due_at"].startswith((new_due.isoformat(), (new_due + timedelta(days=1)).isoformat()))


def test_registered_order_documents_and_verification(api: Api) -> None:
    import hashlib

    from docx import Document
    from pypdf import PdfReader
    from sqlalchemy import func, select

    from service.platform.persistence.models import AuditEvent

    iid = _submit(
        api,
        "wg_deputy",
        "Әдеп туралы бұйрық (әғқңөұүһі)",
        "ai_ethics",
        ai_assisted=True,
        ai_help=["structuring"],
        marking="final",
    )
    draft_id = api.get("/orders", "wg_deputy").get_json()["orders"][0]["id"]
    assert api.get(f"/orders/{draft_id}/document.pdf", "wg_deputy").status_code == 409  # not registered yet
    _register(api, iid)
    order = api.get("/orders", "staff4").get_json()["orders"][0]
    pdf = api.get(f"/orders/{order['id']}/document.pdf", "staff4")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in (
        order["number"],
        "Әдеп туралы бұйрық (әғқңөұүһі)",
        "Мәтін",
        "Келісу парағы",
        "Қорытынды нұсқа",
        "пайдаланылды (құрылымдау)",
        "Бекітемін",
    ):
        assert expected in text, expected
    code = api.get(f"/orders/{order['id']}", "staff4").get_json()["verification_code"]
    assert code and f"Тексеру коды: {code}" in text
    again = api.get(f"/orders/{order['id']}/document.pdf", "director")
    assert again.data == pdf.data  # the same document, so the recorded hash keeps matching
    with api.rt.db.session() as session:
        recorded = (
            session.execute(select(AuditEvent.detail_json).where(AuditEvent.action == "order.document"))
            .scalars()
            .all()
        )
        assert len(recorded) == 1 and hashlib.sha256(pdf.data).hexdigest() in recorded[0]
        assert session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() > 0
    docx = api.get(f"/orders/{order['id']}/document.docx", "staff4")
    document = Document(io.BytesIO(docx.data))
    assert "Әдеп туралы бұйрық (әғқңөұүһі)" in " ".join(p.text for p in document.paragraphs)
    login(api.client, "staff4")
    assert 'data-testid="verified"' in api.client.get(f"/orders/verify?code={code}").get_data(as_text=True)
    typed = code.replace("-", " ").lower()  # as someone types it from paper
    assert 'data-testid="verified"' in api.client.get(f"/orders/verify?code={typed}").get_data(as_text=True)
    assert "not-verified" in api.client.get("/orders/verify?code=0000-0000-0000").get_data(as_text=True)


def test_xlsx_export_and_acknowledgement_form(api: Api) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    iid = _submit(api, "wg_deputy", "Қазақша атау")
    _register(api, iid)
    # staff7 acknowledges on the order's page (the inbox row links there): the box is required.
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    row = api.get("/tasks", "staff7").get_json()["campaign_tasks"][0]
    assert row["url"] == f"/orders/{order_id}"
    reader = api.client.application.test_client()
    login(reader, "staff7")
    page = reader.get(f"/orders/{order_id}").get_data(as_text=True)
    assert 'data-testid="acknowledge-form"' in page
    token = csrf_from(page)
    refused = reader.post(f"/orders/{order_id}/acknowledge", data={"csrf_token": token, "comment": "Оқыдым"})
    assert refused.status_code == 422 and "Оқыдым" in refused.get_data(as_text=True)
    done = reader.post(
        f"/orders/{order_id}/acknowledge",
        data={"csrf_token": token, "acknowledged": "true", "comment": "Оқыдым"},
    )
    assert done.status_code == 302
    again = reader.post(f"/orders/{order_id}/acknowledge", data={"csrf_token": token, "acknowledged": "true"})
    assert again.status_code == 409
    assert 'data-testid="acknowledge-form"' not in reader.get(f"/orders/{order_id}").get_data(as_text=True)
    client = api.client
    login(client, "director")
    sheet = load_workbook(io.BytesIO(client.get("/orders/export.xlsx").data)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Нөмірі", "Күні", "Атауы"] and values[1][2] == "Қазақша атау"
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    pdf = client.get(f"/orders/{order_id}/acknowledgements.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "келісу формасы" in text and "Олжас Бейсенұлы" in text and "Қазақша атау" in text


def test_an_order_title_that_looks_like_a_formula_stays_text_in_both_exports(api: Api) -> None:
    from openpyxl import load_workbook

    title = '=HYPERLINK("http://evil.example","Бұйрық")'
    _submit(api, "wg_deputy", title)
    client = api.client
    login(client, "director")
    rows = list(
        csv.reader(io.StringIO(client.get("/orders/export.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    assert any(("'" + title) in row for row in rows)
    sheet = load_workbook(io.BytesIO(client.get("/orders/export.xlsx").data)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == title]
    assert cells and all(c.data_type == "s" for c in cells)
