"""The register of AI tools: what staff and evaluators see, the conclusion PDF, the memo, council changes."""

from __future__ import annotations

import hashlib
import io
import json

from flask.testing import FlaskClient
from sqlalchemy import select

from service.features.tools import usecases as tool_cases
from service.features.tools.models import Tool
from service.platform.persistence.models import AuditEvent
from tests.conftest import Api, login
from tests.integration.test_tool_evaluation_api import MEMBERS, start_to_vote, vote, vote_data


def registered(api: Api, decisions: list[str], memo: dict[str, object] | None = None) -> int:
    """Vote with `decisions` (in member order), the chair confirms, the memo is written if permitted."""
    iid = start_to_vote(api)
    for member, decision in zip(MEMBERS, decisions, strict=False):
        restrictions = "Only for drafts" if decision == "approve_with_restrictions" else ""
        assert vote(api, member, iid, vote_data(decision, restrictions)).status_code == 200
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    r = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        {"data": {"decision": "approve", "conclusion": "Decided."}},
    )
    assert r.status_code == 200, r.get_json()
    if memo is not None:
        task = api.open_task("responsible", iid, "Task_memo", scope="roles")
        api.post(f"/tasks/{task['id']}/claim", "responsible")
        r = api.post(f"/tasks/{task['id']}/complete", "responsible", {"data": memo})
        assert r.status_code == 200, r.get_json()
    return iid


def tool_id_of(api: Api, iid: int) -> int:
    with api.rt.db.session() as session:
        return int(session.execute(select(Tool.id).where(Tool.instance_id == iid)).scalar_one())


def test_staff_see_permitted_tools_and_memos_only(api: Api) -> None:
    ok = tool_id_of(api, registered(api, ["approve_with_restrictions"] * 3, {"memo": "Drafts."}))
    bad = tool_id_of(api, registered(api, ["reject", "reject", "reject"]))
    staff = api.get("/tools", "staff4").get_json()["tools"]
    assert [t["id"] for t in staff] == [ok]
    assert staff[0]["status"] == "permitted_with_restrictions"
    assert set(staff[0]) == {
        "id", "name", "vendor", "status", "allowed_uses", "restrictions",
        "personal_data_allowed", "review_date", "instance_id", "source",
    }  # fmt: skip
    one = api.get(f"/tools/{ok}", "staff4").get_json()
    assert one["memo"] == "Drafts." and "votes" not in one and "assessment" not in one
    assert api.get(f"/tools/{bad}", "staff4").status_code == 404
    assert api.get(f"/tools/{ok}/conclusion.pdf", "staff4").status_code == 404
    assert api.get(f"/tools/{ok}/conclusion.pdf", "commission1").status_code == 200
    for reader in ("commission3", "ict", "responsible", "wg_chair", "director"):
        rows = api.get("/tools", reader).get_json()["tools"]
        assert {t["id"] for t in rows} == {ok, bad}, reader
        full = api.get(f"/tools/{bad}", reader).get_json()
        assert [v["decision"] for v in full["votes"]] == ["reject"] * 3
        assert all(v["signed_at"] and v["signature_method"] == "statement" for v in full["votes"])
        assert full["assessment"]["security"] == 4
    assert api.get("/tools?status=rejected", "ict").get_json()["tools"][0]["id"] == bad
    assert api.get("/tools?status=nonsense", "ict").status_code == 422


def test_register_pages_show_the_split(api: Api, client: FlaskClient) -> None:
    ok = tool_id_of(api, registered(api, ["approve", "approve", "approve"], {"memo": "Use with care."}))
    login(client, "staff5")
    page = client.get("/tools").get_data(as_text=True)
    assert "ChatHelper" in page and 'data-testid="tool-row"' in page
    detail = client.get(f"/tools/{ok}").get_data(as_text=True)
    assert "Use with care." in detail and 'data-testid="evaluation"' not in detail
    client = api.client.application.test_client()
    login(client, "commission1")
    detail = client.get(f"/tools/{ok}").get_data(as_text=True)
    assert 'data-testid="evaluation"' in detail and 'data-testid="conclusion-pdf"' in detail


def test_conclusion_pdf_hash_is_in_the_audit_log(api: Api) -> None:
    tid = tool_id_of(api, registered(api, ["approve_with_restrictions", "approve", "approve", "approve"]))
    reply = api.get(f"/tools/{tid}/conclusion.pdf", "director")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    pdf = reply.get_data()
    assert pdf.startswith(b"%PDF")
    with api.rt.db.session() as session:
        event = session.execute(select(AuditEvent).where(AuditEvent.action == "tool.conclusion")).scalar_one()
        audited = json.loads(event.detail_json)["pdf_sha256"]
    assert hashlib.sha256(pdf).hexdigest() == audited
    assert api.get(f"/tools/{tid}/conclusion.pdf", "ict").get_data() == pdf  # byte-identical again
    from pypdf import PdfReader

    # Words as read: a table cell may wrap a long name between its words.
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "ЖИ бойынша қорытынды",
        "ChatHelper",
        "Ләззат Ермекқызы",
        "Шектеулермен",
        "Only for drafts",
    ):
        assert expected in text, expected


def test_memo_attachment_is_downloadable_by_staff(api: Api, client: FlaskClient) -> None:
    iid = registered(api, ["approve", "approve", "approve"])
    task = api.open_task("responsible", iid, "Task_memo", scope="roles")
    login(client, "responsible")
    client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": _csrf(client, f"/tasks/{task['id']}")})
    page = client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    from tests.conftest import csrf_from

    reply = client.post(
        f"/tasks/{task['id']}",
        data={
            "csrf_token": csrf_from(page),
            "memo": "Read the attached rules.",
            "memo_attachment": (io.BytesIO(b"%PDF-1.4 rules"), "rules.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)[:2000]
    client = api.client.application.test_client()
    tid = tool_id_of(api, iid)
    login(client, "staff6")
    detail = client.get(f"/tools/{tid}").get_data(as_text=True)
    assert "Read the attached rules." in detail and 'data-testid="memo-attachment"' in detail
    download = client.get(f"/tools/{tid}/memo-attachment")
    assert download.status_code == 200 and download.get_data() == b"%PDF-1.4 rules"


def _csrf(client: FlaskClient, path: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get(path).get_data(as_text=True))


def test_permitted_tools_and_council_status_changes(api: Api) -> None:
    ok = tool_id_of(api, registered(api, ["approve", "approve", "approve"]))
    other = tool_id_of(api, registered(api, ["approve", "approve", "approve"]))
    rejected = tool_id_of(api, registered(api, ["reject", "reject", "reject"]))
    with api.rt.db.session() as session:
        listed = tool_cases.permitted_tools(session)
        assert {t["id"] for t in listed} == {ok, other} and rejected not in {t["id"] for t in listed}
        assert all(set(t) == {"id", "name", "status", "source"} and t["source"] == "school" for t in listed)
        tool_cases.change_tool_status(
            session, ok, "permitted_with_restrictions", "council1", "No pupils' work", "No pupils' work"
        )
        tool_cases.change_tool_status(session, other, "withdrawn", "council1", "Data leak incident")
    with api.rt.db.session() as session:
        assert [(t["id"], t["status"]) for t in tool_cases.permitted_tools(session)] == [
            (ok, "permitted_with_restrictions")
        ]
        changes = [
            json.loads(e.detail_json)
            for e in session.execute(select(AuditEvent).where(AuditEvent.action == "tool.status")).scalars()
        ]
        assert [(c["tool"], c["to"], c["reason"]) for c in changes] == [
            (ok, "permitted_with_restrictions", "No pupils' work"),
            (other, "withdrawn", "Data leak incident"),
        ]
    staff = api.get("/tools", "staff1").get_json()["tools"]
    assert [(t["id"], t["restrictions"]) for t in staff] == [(ok, ["No pupils' work"])]
    import pytest

    from service.platform.errors import NotFound, ValidationFailed

    with api.rt.db.session() as session, pytest.raises(ValidationFailed):
        tool_cases.change_tool_status(session, ok, "permitted", "council1", "")
    with api.rt.db.session() as session, pytest.raises(NotFound):
        tool_cases.change_tool_status(session, 9999, "withdrawn", "council1", "")


def test_tool_answers_match_the_openapi_document(api: Api) -> None:
    from tests.integration.test_openapi_contract import _validator

    tid = tool_id_of(api, registered(api, ["approve_with_restrictions"] * 3, {"memo": "M"}))
    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert {"/tools", "/tools/{tool_id}", "/tools/{tool_id}/conclusion.pdf"} <= set(doc["paths"])
    tool_v = _validator(doc, "Tool")
    for user in ("staff1", "director"):
        for row in api.get("/tools", user).get_json()["tools"]:
            tool_v.validate(row)
        tool_v.validate(api.get(f"/tools/{tid}", user).get_json())
