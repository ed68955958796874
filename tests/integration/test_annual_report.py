"""The annual report from real processes: its figures, who may read and write it, and finalization."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime

from pypdf import PdfReader
from sqlalchemy import select, update

from service.features.incidents.models import Incident
from service.features.reports import usecases as reports
from service.platform.clock import utcnow
from service.platform.formats import short_date
from service.platform.persistence.models import AuditEvent, User
from tests.conftest import Api, csrf_from, login
from tests.integration import report_steps as steps
from tests.integration.audit_probe import printed_anchor

FILLED = {"achievements": "Тізілім жасалды", "problems": "Уақыт аз", "recommendations": "Оқыту"}


def figures(api: Api, year: int | None = None, user: str = "responsible") -> dict[str, object]:
    answer = api.get("/reports/annual" + (f"?year={year}" if year else ""), user)
    assert answer.status_code == 200, answer.get_json()
    body: dict[str, object] = answer.get_json()
    return body


def this_year(api: Api) -> int:
    return reports.current_year(api.rt).start


def test_figures_of_a_year_of_real_processes(api: Api) -> None:
    steps.register_order(api, acknowledged=3)
    steps.resolved_incident(api)
    steps.decided_incident(api)
    open_one = steps.report(api, "staff3", steps.incident_report(type="other"))
    steps.permitted_tool(api)
    steps.published_amendment(api, acknowledged=2)

    body = figures(api)
    assert body["year"] == this_year(api) and body["status"] == "draft"
    f = body["figures"]
    assert isinstance(f, dict)
    # The amendment's order is registered too: two orders, one of each type.
    assert f["orders"]["total"] == 2
    assert f["orders"]["by_type"] == {"ai_ethics": 1, "act_amendment": 1}
    assert all(o["number"] for o in f["orders"]["orders"])
    assert f["tools"]["evaluated"] == {"permitted": 1, "permitted_with_restrictions": 0, "rejected": 0}
    assert f["tools"]["register"] == {"permitted": 1}
    incidents = f["incidents"]
    assert incidents["total"] == 3 and incidents["open"] == 1
    assert incidents["by_type"] == {"academic_integrity": 1, "data_disclosure": 1, "other": 1}
    assert incidents["by_outcome"] == {"resolved": 1, "warning": 1}
    assert incidents["by_decision"] == {"warning": 1}
    assert incidents["median_days_to_decision"] == 0.0
    assert f["amendments"] == {
        "editions_published": 1,
        "acts": {"ai_regulation": 1},
        "proposed": 1,
        "dropped": 0,
    }
    assert f["order_acknowledgements"]["done"] == 3 and f["order_acknowledgements"]["total"] >= 30
    assert f["edition_acknowledgements"]["done"] == 2
    # `flask demo` loads the plan for the current school year, so the year's report has its completion.
    assert f["extra"].get("survey_results") is None and sum(f["extra"]["plan_completion"].values()) == 30
    assert open_one

    # Nothing of this happened in the previous school year.
    before = figures(api, this_year(api) - 1)["figures"]
    assert isinstance(before, dict)
    assert before["orders"]["total"] == 0 and before["incidents"]["total"] == 0
    assert before["tools"]["evaluated"]["permitted"] == 0 and before["tools"]["register"] == {"permitted": 1}


def test_plan_completion_comes_from_the_plan_tracker(api: Api) -> None:
    """The plan's school year reports its items by status; a year without a plan says "no data"."""
    from service.features.plan import usecases as plan_cases
    from tests.conftest import actor_named

    (plan_year,) = {p for p in range(2020, this_year(api) + 1) if _has_plan(api, p)}
    plan_cases.mark_item(
        api.rt, actor_named(api.rt, "wg_chair"), 1, comment="Жұмыс тобы құрылды", year=plan_year
    )

    found = figures(api, plan_year)["figures"]
    assert isinstance(found, dict)
    completion = found["extra"]["plan_completion"]
    assert completion["done"] == 1 and sum(completion.values()) == 30
    earlier = figures(api, plan_year - 1)["figures"]
    assert isinstance(earlier, dict) and earlier["extra"]["plan_completion"] is None


def _has_plan(api: Api, year: int) -> bool:
    from service.features.plan import queries as plan_queries

    with api.rt.db.session() as session:
        return plan_queries.plan_for_year(session, year) is not None


def test_school_year_boundary_is_midnight_in_almaty(api: Api) -> None:
    """Counted in the database, with the zone: 19:00 UTC on 31 August is 1 September in Almaty."""
    ids = [steps.report(api, "staff1", steps.incident_report()) for _ in range(2)]
    year = this_year(api)
    moments = [datetime(year, 8, 31, 18, 59, 59, tzinfo=UTC), datetime(year, 8, 31, 19, 0, tzinfo=UTC)]
    with api.rt.db.session() as session:
        for iid, moment in zip(ids, moments, strict=True):
            session.execute(update(Incident).where(Incident.instance_id == iid).values(reported_at=moment))
    assert figures(api, year)["figures"]["incidents"]["total"] == 1  # type: ignore[index]
    assert figures(api, year - 1)["figures"]["incidents"]["total"] == 1  # type: ignore[index]


def test_only_the_report_readers_see_it_and_only_its_writers_change_it(api: Api) -> None:
    for user in ("responsible", "wg_chair", "director", "council1"):
        assert api.get("/reports/annual", user).status_code == 200, user
    for user in ("staff1", "admin", "lawyer", "commission1"):
        answer = api.get("/reports/annual", user)
        assert answer.status_code == 403 and "figures" not in answer.get_json(), user
    client = api.client
    for user, status in (("council1", 403), ("staff1", 403), ("director", 403)):
        login(client, user)
        page = client.get("/reports/annual")
        if user == "staff1":
            assert page.status_code == 403 and 'data-testid="orders' not in page.get_data(as_text=True)
            assert client.get("/reports/annual.pdf").status_code == 403
        else:
            assert page.status_code == 200 and 'name="achievements"' not in page.get_data(as_text=True)
        token = csrf_from(page.get_data(as_text=True))
        saved = client.post("/reports/annual", data={"csrf_token": token, "action": "save", **FILLED})
        assert saved.status_code == status, user
        client.post("/logout", data={"csrf_token": token})
    assert api.get("/reports/annual?year=1999", "responsible").status_code == 422
    assert api.get("/reports/annual?year=abc", "responsible").status_code == 400


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_no_incident_detail_or_reporter_in_page_api_or_documents(api: Api) -> None:
    steps.resolved_incident(api, "staff1")
    with api.rt.db.session() as session:
        name = session.execute(select(User.full_name).where(User.username == "staff1")).scalar_one()
    client = api.client
    login(client, "responsible")
    page = client.get("/reports/annual").get_data(as_text=True)
    answer = json.dumps(figures(api), ensure_ascii=False)
    pdf = client.get("/reports/annual.pdf")
    docx = client.get("/reports/annual.docx")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    text = _pdf_text(pdf.data)
    assert "Инциденттер" in text
    with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
        words = archive.read("word/document.xml").decode()
    assert "Инциденттер" in words
    for shown in (page, answer, text, words):
        for secret in (name, "staff1", steps.SECRET_DESCRIPTION, "Mukhtarova", "pupils of 9A", "Talked"):
            assert secret not in shown


def test_draft_keeps_typed_text_and_finalizing_freezes_the_figures(api: Api) -> None:
    steps.resolved_incident(api)
    client = api.client
    login(client, "responsible")
    token = csrf_from(client.get("/reports/annual").get_data(as_text=True))
    draft = {"achievements": "Жартылай мәтін", "problems": "", "recommendations": ""}
    saved = client.post("/reports/annual", data={"csrf_token": token, "action": "save", **draft})
    assert saved.status_code == 302
    refused = client.post("/reports/annual", data={"csrf_token": token, "action": "finalize", **draft})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Жартылай мәтін" in html and html.count('class="field-error"') == 2
    assert figures(api)["status"] == "draft"

    done = client.post("/reports/annual", data={"csrf_token": token, "action": "finalize", **FILLED})
    assert done.status_code == 302
    frozen = figures(api)
    assert frozen["status"] == "final" and frozen["finalized_by"] and frozen["narrative"] == FILLED
    assert frozen["figures"]["incidents"]["total"] == 1  # type: ignore[index]

    steps.resolved_incident(api, "staff2")  # after finalization: the report does not move
    later = figures(api)
    assert later["figures"] == frozen["figures"]
    pdf = client.get("/reports/annual.pdf").data
    assert pdf == client.get("/reports/annual.pdf").data
    digest = hashlib.sha256(pdf).hexdigest()
    assert digest == frozen["pdf_sha256"]
    with api.rt.db.session() as session:
        event = session.execute(select(AuditEvent).where(AuditEvent.action == "report.finalize")).scalar_one()
        assert json.loads(event.detail_json) == {"year": this_year(api), "pdf_sha256": digest}
        assert event.actor == "responsible"
        # The log as it stood at finalization is printed, anchoring it on paper: length and root hash.
        assert printed_anchor(session, event.id - 1) in " ".join(_pdf_text(pdf).split())
    again = client.post("/reports/annual", data={"csrf_token": token, "action": "save", **FILLED})
    assert again.status_code == 409


def test_the_page_in_kazakh_with_the_nav_link_for_readers_only(api: Api) -> None:
    steps.resolved_incident(api)
    steps.register_order(api, acknowledged=0)
    client = api.client
    login(client, "wg_chair")
    html = client.get("/reports/annual").get_data(as_text=True)
    year = reports.current_year(api.rt)
    # Dates through Babel in the one short form of pages: the year's first day, the order's date.
    assert short_date(year.first_day, "kk") in html
    today = utcnow().astimezone(api.rt.tz).date()
    assert short_date(today, "kk") in html and "ж." not in html
    assert steps.ORDER["title"] in html
    assert "Жасанды интеллектті енгізу бойынша жылдық есеп" in html
    assert "Жетістіктер" in html and 'name="recommendations"' in html
    # The plan's section, fed through the registry: its title and row names in Kazakh, never its codes.
    assert "Жоспардың орындалуы" in html and "орындалды" in html
    shown = re.sub(r"<[^>]+>", " ", html)  # the text a reader sees (ids may carry codes)
    assert "plan_completion" not in shown and "due_soon" not in shown
    earlier = client.get(f"/reports/annual?year={year.start - 1}").get_data(as_text=True)
    assert "Деректер жоқ" in earlier  # no plan that year: no data rather than invented figures
    assert 'href="/reports/annual"' in html
    token = csrf_from(html)
    client.post("/logout", data={"csrf_token": token})
    login(client, "staff1")
    assert 'href="/reports/annual"' not in client.get("/inbox").get_data(as_text=True)


def test_the_answer_matches_the_openapi_document(api: Api) -> None:
    from tests.integration.test_openapi_contract import _validator

    steps.resolved_incident(api)
    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert "/reports/annual" in doc["paths"]
    _validator(doc, "AnnualReport").validate(figures(api))
    _validator(doc, "Error").validate(api.get("/reports/annual", "staff1").get_json())
