"""The kk/ru page sweep's parts: a school year of full runs with Kazakh data, the codes the service
knows (read from its own registry, role table, forms, diagrams and database), and a crawler that reads
every page, diagram, PDF, DOCX, CSV and XLSX a person can reach and reports codes and English sentences."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import inspect, select, text, update

from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, User
from service.platform.roles import ROLE_CODES
from service.platform.runtime import Runtime
from tests.conftest import Api, login
from tests.integration import amendment_steps as amend

ROOT = Path(__file__).resolve().parents[2]
SOON = (utcnow() + timedelta(days=7)).date().isoformat()
YESTERDAY = (utcnow() - timedelta(days=1)).date().isoformat()

# ------------------------------------------------------------------ a school year, in Kazakh


def _respond_all(api: Api, iid: int, people: Iterable[str]) -> None:
    for name in people:
        rows = [r for r in api.get("/tasks", name).get_json()["campaign_tasks"] if r["instance_id"] == iid]
        assert rows, name
        done = api.post(
            f"/campaign-tasks/{rows[0]['id']}/respond", name, json={"data": {"acknowledged": True}}
        )
        assert done.status_code == 200, done.get_json()


def order_with_a_return(api: Api) -> int:
    """Drafted, returned by the lawyer, reworked, approved, registered and acknowledged by two."""
    started = api.post("/processes/order_drafting/instances", "wg_deputy")
    iid = int(started.get_json()["id"])
    order = {
        "title": "ЖИ құралдарын пайдалану тәртібі туралы",
        "order_type": "ai_ethics",
        "body": "Рұқсат етілген құралдар тізімін бекіту.",
        "basis": "Жоспардың 5-тармағы",
    }
    amend.complete(api, "wg_deputy", api.open_task("wg_deputy", iid, "Task_draft")["id"], order)
    amend.claim_and_complete(
        api, "lawyer", iid, "Task_legal_review", {"decision": "return", "comment": "Негіздемені нақтылаңыз"}
    )
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    amend.complete(api, "wg_deputy", rework["id"], {**order, "basis": "Жылдық жоспардың 5-тармағы"})
    amend.claim_and_complete(api, "lawyer", iid, "Task_legal_review", {"decision": "approve"})
    amend.claim_and_complete(api, "director", iid, "Task_director_approval", {"decision": "approve"})
    _respond_all(api, iid, ("staff1", "staff2"))
    return iid


def tool_with_restrictions(api: Api) -> int:
    """Proposed, assessed, voted (one with restrictions, one against), confirmed, memo written."""
    iid = int(api.post("/processes/tool_evaluation/instances", "staff1").get_json()["id"])
    proposal = {
        "name": "Gemini",
        "vendor": "Google",
        "url": "https://gemini.google.com",
        "purpose": "Сабақ жоспарларын дайындау",
        "processes": ["text_preparation", "translation"],
        "data_processed": "Педагогтер жазған мәтіндер",
        "personal_data": False,
        "age_limit": "18+",
        "cost": "тегін",
    }
    amend.complete(api, "staff1", api.open_task("staff1", iid, "Task_proposal")["id"], proposal)
    assessment = {
        "security": 4,
        "data_protection": 3,
        "functionality": 5,
        "limitations": 3,
        "findings": "Деректер шетелде сақталады; оқушы аккаунттары жоқ.",
        "decision": "approve",
    }
    amend.claim_and_complete(api, "ict", iid, "Task_ict_assessment", assessment)
    votes = [
        ("commission1", "approve_with_restrictions", "Оқушылардың дербес деректерін енгізбеу"),
        ("commission2", "approve", ""),
        ("commission3", "reject", ""),
        ("commission4", "approve", ""),
        ("commission5", "approve", ""),
    ]
    for member, decision, restrictions in votes:
        data: dict[str, Any] = {
            "security": 4,
            "data_protection": 3,
            "functionality": 4,
            "limitations": 3,
            "decision": decision,
            "comment": "Қарадым",
            "signed": True,
        }
        if restrictions:
            data["restrictions"] = restrictions
        task = api.open_task(member, iid, "Task_member_vote")
        amend.complete(api, member, task["id"], data)
    chair = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    amend.complete(api, "wg_chair", chair["id"], {"decision": "approve", "conclusion": "Рұқсат етілді."})
    amend.claim_and_complete(api, "responsible", iid, "Task_memo", {"memo": "Тек жобалар үшін пайдаланыңыз."})
    return iid


def incident_through_the_council(api: Api) -> int:
    """Reported, escalated, voted (training 1, restrict the tool 3), decided by the chair."""
    iid = int(api.post("/processes/incident_escalation/instances", "staff2").get_json()["id"])
    report = {
        "type": "data_disclosure",
        "tool": "Gemini",
        "occurred_on": utcnow().date().isoformat(),
        "description": "Бағалар тізімі чат-ботқа енгізілді",
        "affected": "9А сыныбының оқушылары",
        "anonymous": False,
    }
    amend.complete(api, "staff2", api.open_task("staff2", iid, "Task_report")["id"], report)
    amend.claim_and_complete(
        api, "responsible", iid, "Task_triage", {"severity": "serious", "decision": "escalate"}
    )
    for member, decision in (
        ("council1", "training"),
        ("council2", "restrict_tool"),
        ("council3", "restrict_tool"),
        ("council4", "restrict_tool"),
        ("council5", "abstain"),
    ):
        task = api.open_task(member, iid, "Task_vote")
        amend.complete(api, member, task["id"], {"decision": decision, "comment": "Келісемін"})
    chair = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    amend.complete(
        api,
        "wg_chair",
        chair["id"],
        {"decision": "restrict_tool", "tool_restriction": "Оқушылардың деректерін енгізбеу"},
    )
    return iid


def amendment_published(api: Api) -> int:
    """The AI regulation's clause 8.1 changed through the council and an order; two acknowledge."""
    iid = amend.start(api, amend.proposal())
    comment = api.open_task("wg_member", iid, "Task_wg_comment")
    amend.complete(api, "wg_member", comment["id"], {"comment": "Қолдаймын"})
    amend.claim_and_complete(api, "wg_chair", iid, "Task_wg_decision", {"decision": "proceed"})
    amend.claim_and_complete(api, "lawyer", iid, "Task_amendment_legal_review", {"decision": "approve"})
    for n, member in enumerate(amend.COUNCIL):
        task = api.open_task(member, iid, "Task_council_opinion")
        decision = "support" if n < 4 else ("object" if n == 4 else "abstain")
        amend.complete(api, member, task["id"], {"decision": decision, "comment": "Пікірім осы"})
    amend.through_order(api, iid)
    _respond_all(api, iid, ("staff1", "staff3"))
    return iid


def consultation_held(api: Api, tool_id: int) -> None:
    asked = api.post(
        "/consultations",
        "staff1",
        json={
            "topic": "Бағалау рубрикаларын ЖИ-мен дайындау",
            "duty": "Математика мұғалімі",
            "preferred_on": SOON,
        },
    ).get_json()
    cid = asked["id"]
    assert (
        api.post(f"/consultations/{cid}/schedule", "responsible", json={"scheduled_on": SOON}).status_code
        == 200
    )
    held = api.post(
        f"/consultations/{cid}/record",
        "responsible",
        json={
            "held_on": YESTERDAY,
            "topic": asked["topic"],
            "advice": "Бағаны мұғалім өзі қояды.",
            "tool_id": tool_id,
        },
    )
    assert held.status_code == 200, held.get_json()
    second = api.post(
        "/consultations",
        "staff2",
        json={"topic": "Мәтінді аудару", "duty": "Ағылшын тілі мұғалімі", "preferred_on": SOON},
    ).get_json()
    assert second["status"] == "requested"


def plan_marked(api: Api) -> None:
    done = api.post(
        "/plan/items/7/mark",
        "responsible",
        json={
            "data": {
                "comment": "Шолу дайын",
                "evidence_kind": "act_edition",
                "evidence_ref": "ai_regulation/1",
            }
        },
    )
    assert done.status_code == 200, done.get_json()


def school_year(api: Api) -> None:
    order_with_a_return(api)
    tool_with_restrictions(api)
    incident_through_the_council(api)
    amendment_published(api)
    tools = api.get("/tools", "responsible").get_json()["tools"]
    consultation_held(api, int(tools[0]["id"]))
    plan_marked(api)


# ------------------------------------------------------------------ the codes the service knows


def _form_codes() -> set[str]:
    codes: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.get("enum", []):
                if isinstance(value, str):
                    codes.add(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for path in sorted((ROOT / "forms").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return codes


def _diagram_codes() -> set[str]:
    codes: set[str] = set()
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    for path in sorted((ROOT / "bpmn").glob("*.bpmn")):
        tree = etree.parse(str(path))
        for lane in tree.iterfind(".//bpmn:lane", ns):
            codes.update(part.strip() for part in (lane.get("name") or "").split(","))
        for flow in tree.iterfind(".//bpmn:sequenceFlow", ns):
            codes.add(flow.get("id") or "")
            if flow.get("name"):
                codes.add(flow.get("name") or "")
        for process in tree.iterfind(".//bpmn:process", ns):
            codes.add(process.get("id") or "")
    return codes


def _database_codes(rt: Runtime) -> set[str]:
    """Every audit action the run wrote and every status value any table holds."""
    codes: set[str] = set()
    with rt.db.session() as session:
        codes.update(session.execute(select(AuditEvent.action).distinct()).scalars())
        inspector = inspect(session.connection())
        for table in inspector.get_table_names():
            columns = {c["name"] for c in inspector.get_columns(table)}
            for column in (
                "status",
                "outcome",
                "decision",
                "verdict",
                "severity",
                "kind",
                "order_type",
                "type",
            ):
                if column in columns:
                    found = session.execute(text(f'SELECT DISTINCT "{column}" FROM "{table}"')).scalars()
                    codes.update(str(v) for v in found if isinstance(v, str))
    return codes


def known_codes(rt: Runtime, extra: Iterable[str] = ()) -> set[str]:
    """Codes that must never reach a kk or ru reader: from the role table, the forms, the diagrams, the
    registry's words and what the run stored."""
    codes = set(ROLE_CODES) | _form_codes() | _diagram_codes() | _database_codes(rt) | set(extra)
    # A code is a machine word: lower case with an underscore or a dot, or a plain English role/decision.
    return {c for c in codes if re.fullmatch(r"[a-z][a-z_.]*[a-z]", c) and len(c) >= 2}


# ------------------------------------------------------------------ reading what a person sees

ENGLISH = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,]+[a-z]{2,}){2,}\b")
# The admin's process and form editors show the JSON and BPMN themselves: codes are their content.
SKIP_PATHS = ("/logout", "/static/", "/api/", "/admin/editor", "/admin/forms")
DOWNLOADS = ("application/pdf", "text/csv", "spreadsheetml", "wordprocessingml")


def visible_text(html: str) -> str:
    """What a reader sees: text and the attributes read aloud or shown, without scripts and without
    what the page marks as not to be translated (`translate="no"`: logins, typed data)."""
    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style|//*[@translate='no']"):
        bad.drop_tree()
    parts = [" ".join(root.itertext())]
    for attribute in ("placeholder", "aria-label", "alt"):
        parts.extend(root.xpath(f"//@{attribute}"))
    parts.extend(root.xpath("//input[@type='submit']/@value"))
    return " ".join(" ".join(parts).split())


def download_text(content_type: str, data: bytes) -> str:
    if "pdf" in content_type:
        from pypdf import PdfReader

        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)
    if "csv" in content_type:
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return " | ".join(" ; ".join(row) for row in rows)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return " | ".join(
            " ; ".join(str(c) for c in row if c is not None)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if "wordprocessingml" in content_type:
        from docx import Document

        document = Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return " ".join([p.text for p in document.paragraphs] + cells)
    return ""


BPMN_NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def diagram_text(body: dict[str, Any]) -> str:
    """The names a diagram shows: lanes, flows, steps, and the step histories."""
    root = etree.fromstring(body["xml"].encode("utf-8"))
    hidden = ("inputDataItem", "outputDataItem", "dataInput", "dataOutput")  # bpmn-js draws no label
    names = [
        el.get("name")
        for el in root.iter()
        if str(el.tag).startswith(BPMN_NS) and el.get("name") and str(el.tag)[len(BPMN_NS) :] not in hidden
    ]
    histories = [line for lines in body.get("history", {}).values() for line in lines]
    holders = [h for step in body.get("current", []) for h in step.get("holders", [])]
    return " | ".join([*names, *histories, *holders])


@dataclass
class Finding:
    lang: str
    user: str
    url: str
    what: str
    context: str

    def __str__(self) -> str:
        return f"[{self.lang} {self.user}] {self.url}: {self.what!r} in …{self.context}…"


@dataclass
class Sweep:
    app: Flask
    codes: set[str]
    allowed_english: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0

    def __post_init__(self) -> None:
        alternatives = "|".join(re.escape(c) for c in sorted(self.codes, key=len, reverse=True))
        self._code = re.compile(rf"(?<![\w./:-])({alternatives})(?![\w/-])")

    def check(self, lang: str, user: str, url: str, content: str) -> None:
        for match in self._code.finditer(content):
            self._found(lang, user, url, match.group(1), content, match.start())
        for match in ENGLISH.finditer(content):
            if match.group(0) not in self.allowed_english:
                self._found(lang, user, url, match.group(0), content, match.start())

    def _found(self, lang: str, user: str, url: str, what: str, content: str, at: int) -> None:
        self.findings.append(Finding(lang, user, url, what, content[max(0, at - 60) : at + 60]))

    def crawl(self, user: str, lang: str, start: str = "/") -> None:
        client = self.app.test_client()
        assert login(client, user).status_code == 302
        queue, seen, variants = [start], {start}, {}
        while queue:
            url = queue.pop(0)
            response = client.get(url)
            if response.status_code != 200:
                continue
            self.pages += 1
            kind = response.content_type or ""
            if any(d in kind for d in DOWNLOADS):
                content = download_text(kind, response.data)
                self.check(lang, user, url, content)
                if "csv" in kind or "spreadsheetml" in kind:  # a column headed by its code
                    for cell in re.findall(r"(?:^|[;|] ?)([a-z][a-z_]+)(?= ?[;|]|$)", content):
                        self._found(lang, user, url, cell, content, content.find(cell))
                continue
            if "json" in kind and url.endswith("/diagram.json"):
                self.check(lang, user, url, diagram_text(response.get_json()))
                continue
            if "html" not in kind:
                continue
            html = response.get_data(as_text=True)
            self.check(lang, user, url, visible_text(html))
            for link in self._links(url, html):
                key = (re.sub(r"\d+", "N", urlsplit(link).path), tuple(sorted(_query_keys(link))))
                if link in seen or variants.get(key, 0) >= 4:
                    continue
                variants[key] = variants.get(key, 0) + 1
                seen.add(link)
                queue.append(link)

    @staticmethod
    def _links(url: str, html: str) -> Iterator[str]:
        root = lxml.html.fromstring(html)
        for href in root.xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if any(parts.path.startswith(s) for s in SKIP_PATHS):
                continue
            yield parts.path + (f"?{parts.query}" if parts.query else "")
        match = re.search(r"/instances/(\d+)$", url)
        if match:
            yield f"/instances/{match.group(1)}/diagram.json"


def _query_keys(link: str) -> list[str]:
    query = urlsplit(link).query
    return [part.split("=", 1)[0] for part in query.split("&") if part]


def speak(rt: Runtime, lang: str) -> None:
    """Every person's saved language."""
    with rt.db.session() as session:
        session.execute(update(User).values(language=lang))


def signed_in(app: Flask, user: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client
