"""The register of local acts: the seed as edition 1, its clauses through the API and pages, who may start."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from service.features.acts.rules import parse_act
from tests.conftest import Api, login


def test_demo_loads_the_regulation_as_edition_1_with_addressable_clauses(api: Api) -> None:
    acts = api.get("/acts", "staff1").get_json()["acts"]
    assert [a["code"] for a in acts] == [
        "ai_regulation",
        "council_regulation",
        "responsible_regulation",
        "evaluation_rules",
    ]
    regulation = next(a for a in acts if a["code"] == "ai_regulation")
    assert regulation["edition_in_force"]["number"] == 1

    act = api.get("/acts/ai_regulation", "staff1").get_json()
    assert [(e["number"], e["status"], e["order_number"]) for e in act["editions"]] == [(1, "in_force", None)]
    assert act["editions"][0]["in_force_from"]

    edition = api.get("/acts/ai_regulation/editions/1", "staff1").get_json()
    assert edition["title"] == "МЕКТЕПТЕ ЖАСАНДЫ ИНТЕЛЛЕКТТІ ЖАУАПТЫ ПАЙДАЛАНУ ТУРАЛЫ ЕРЕЖЕ"
    assert [s["number"] for s in edition["sections"]] == [str(n) for n in range(1, 11)]
    clauses = {c["number"]: c["text"] for s in edition["sections"] for c in s["clauses"]}
    assert clauses["5.2"].startswith("Тыйым салынады:")
    assert "- ЖИ-ді мұғалімнің тексеруінсіз бағалау қою үшін пайдалану;" in clauses["5.2"].splitlines()
    assert (
        clauses["8.1"] == "Педагогтер ашық ЖИ сервистеріне оқушылардың дербес деректерін енгізбеуге міндетті."
    )
    assert len(clauses) == 24
    # A sentence broken across lines in the seed is one clause, not text outside it.
    assert "жасанды* интеллект құралдары" in clauses["7.2"]


def test_demo_is_idempotent(api: Api) -> None:
    result = api.client.application.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    act = api.get("/acts/ai_regulation", "director").get_json()
    assert [e["number"] for e in act["editions"]] == [1]


def test_unknown_act_and_edition_are_404(api: Api) -> None:
    assert api.get("/acts/no_such_act", "staff1").status_code == 404
    assert api.get("/acts/ai_regulation/editions/9", "staff1").status_code == 404
    assert api.get("/acts/council_regulation", "staff1").get_json()["editions"] == []


def test_staff_reads_but_cannot_start_an_amendment(api: Api) -> None:
    assert api.get("/acts/ai_regulation/editions/1", "staff3").status_code == 200
    ids = [p["id"] for p in api.get("/processes", "staff3").get_json()["processes"]]
    assert "regulation_amendment" not in ids
    assert "regulation_amendment" in [
        p["id"] for p in api.get("/processes", "responsible").get_json()["processes"]
    ]
    assert api.post("/processes/regulation_amendment/instances", "staff3").status_code == 403
    body = {
        "data": {"clause": "8.1", "change": "change", "proposed_text": "x", "reason": "y", "source": "other"}
    }
    response = api.post("/acts/ai_regulation/amendments", "staff3", json=body)
    assert response.status_code == 403
    assert set(response.get_json()) <= {"error", "message", "fields"}


def test_the_pages_show_the_register_and_an_edition(api: Api, client: FlaskClient) -> None:
    login(client, "staff2")
    listing = client.get("/acts").get_data(as_text=True)
    assert "/acts/ai_regulation" in listing
    page = client.get("/acts/ai_regulation/editions/1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="clause-5.2"' in html and "Тыйым салынады:" in html
    assert client.get("/acts/ai_regulation").status_code == 200


def test_parse_keeps_every_clause_of_the_seed() -> None:
    from pathlib import Path

    text = parse_act((Path(__file__).parents[2] / "seeds" / "ai_regulation.txt").read_text(encoding="utf-8"))
    assert [c.number for c in text.sections[0].clauses] == ["1.1", "1.2", "1.3", "1.4"]
    assert text.header.splitlines()[0] == "Бекітемін:"


def test_documents_download_for_any_reader(api: Api, client: FlaskClient) -> None:
    login(client, "staff4")
    pdf = client.get("/acts/ai_regulation/editions/1/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    docx = client.get("/acts/ai_regulation/editions/1/document.docx")
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    assert client.get("/acts/ai_regulation/editions/1/document.exe").status_code == 404
    table = client.get("/acts/ai_regulation/compare.pdf?from=1&to=1")
    assert table.status_code == 200 and table.data.startswith(b"%PDF")
    page = client.get("/acts/ai_regulation/compare?from=1&to=1")
    assert page.status_code == 200 and 'data-testid="comparison"' in page.get_data(as_text=True)
    assert client.get("/acts/ai_regulation/compare?from=x&to=1").status_code == 400


def test_act_answers_match_the_openapi_document(api: Api) -> None:
    from tests.integration.test_openapi_contract import _validator

    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert {
        "/acts",
        "/acts/{code}",
        "/acts/{code}/editions/{number}",
        "/acts/{code}/compare",
        "/acts/{code}/amendments",
        "/amendments/{instance_id}",
    } <= set(doc["paths"])
    _validator(doc, "Act").validate(api.get("/acts/ai_regulation", "staff1").get_json())
    _validator(doc, "Edition").validate(api.get("/acts/ai_regulation/editions/1", "staff1").get_json())
    _validator(doc, "Comparison").validate(
        api.get("/acts/ai_regulation/compare?from=1&to=1", "staff1").get_json()
    )
    body = {"data": {"clause": "5.2", "change": "delete", "reason": "Ескірді", "source": "law_change"}}
    started = api.post("/acts/ai_regulation/amendments", "council2", json=body)
    assert started.status_code == 201, started.get_json()
    iid = started.get_json()["instance_id"]
    task = api.open_task("council2", iid, "Task_proposal")
    data = api.get(f"/tasks/{task['id']}", "council2").get_json()["data"]
    assert data["clause"] == "5.2" and data["current_text"].startswith("Тыйым салынады:")
    pdf = api.get("/acts/ai_regulation/editions/1/document.pdf", "staff1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    bad = api.post(
        "/acts/ai_regulation/amendments", "council2", json={"data": {**body["data"], "clause": "99.1"}}
    )
    assert bad.status_code == 422 and "clause" in bad.get_json()["fields"]
    _validator(doc, "Error").validate(bad.get_json())


def test_a_proposer_starts_from_a_clause_and_staff_do_not_see_the_button(
    api: Api, client: FlaskClient
) -> None:
    from tests.conftest import csrf_from

    login(client, "staff5")
    page = client.get("/acts/ai_regulation/editions/1").get_data(as_text=True)
    assert 'data-testid="amend-8.1"' not in page
    refused = client.post("/acts/ai_regulation/clauses/8.1/amend", data={"csrf_token": csrf_from(page)})
    assert refused.status_code == 403
    proposer = api.client.application.test_client()
    login(proposer, "responsible")
    client = proposer
    page = client.get("/acts/ai_regulation/editions/1").get_data(as_text=True)
    assert 'data-testid="amend-8.1"' in page
    started = client.post("/acts/ai_regulation/clauses/8.1/amend", data={"csrf_token": csrf_from(page)})
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"]
    form = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Педагогтер ашық ЖИ сервистеріне" in form
    assert (
        client.post(
            "/acts/ai_regulation/clauses/99.9/amend", data={"csrf_token": csrf_from(page)}
        ).status_code
        == 404
    )


def test_the_migration_creates_the_four_acts_without_demo_data(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from service.platform.persistence.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT code FROM local_act ORDER BY id")).scalars().all()
    engine.dispose()
    assert codes == ["ai_regulation", "council_regulation", "responsible_regulation", "evaluation_rules"]
