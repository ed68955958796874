"""A shipped diagram speaks the reader's language in every name it shows — pool, events, gateways, service
and script tasks, call activities, waiting steps — not only lanes, flows and form steps; a name an admin
gave (their own diagram, or an element they renamed in a shipped one) stays theirs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from lxml import etree

from service.platform.inbox.digest import send_daily_digests
from service.platform.web.timeline import localized_diagram
from tests.conftest import Api
from tests.integration.test_incident_api import escalate
from tests.web.sweep import signed_in, speak

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "bpmn").glob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
HIDDEN = ("inputDataItem", "outputDataItem", "dataInput", "dataOutput")  # bpmn-js draws no label
KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile(r"[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def forms() -> dict[str, Any]:
    paths = (ROOT / "forms").glob("*.json")
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def shown_names(xml: str) -> dict[str, str]:
    """Element id → the name the diagram draws."""
    root = etree.fromstring(xml.encode("utf-8"))
    return {
        str(el.get("id")): str(el.get("name"))
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.tag.startswith(BPMN)
        and el.get("name")
        and el.tag[len(BPMN) :] not in HIDDEN
    }


def render(app: Flask, xml: str, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return localized_diagram(xml, forms(), lang)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_diagram_names_nothing_in_kazakh_for_a_russian_reader(app: Flask, path: Path) -> None:
    names = shown_names(render(app, path.read_text(encoding="utf-8"), "ru"))
    left = {key: name for key, name in names.items() if KAZAKH.search(name)}
    assert left == {}, left
    assert len(names) > 20


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_diagram_names_everything_in_english_for_an_english_reader(app: Flask, path: Path) -> None:
    names = shown_names(render(app, path.read_text(encoding="utf-8"), "en"))
    left = {key: name for key, name in names.items() if CYRILLIC.search(name)}
    assert left == {}, left


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_kazakh_reader_sees_the_diagrams_own_names(app: Flask, path: Path) -> None:
    xml = path.read_text(encoding="utf-8")
    own = shown_names(xml)
    names = shown_names(render(app, xml, "kk"))
    renamed_elsewhere = {"userTask", "lane", "sequenceFlow"}  # form titles, roles, flow words
    root = etree.fromstring(xml.encode("utf-8"))
    kinds = {str(el.get("id")): el.tag[len(BPMN) :] for el in root.iter() if isinstance(el.tag, str)}
    differ = {
        key: (own[key], names[key])
        for key in own
        if kinds[key] not in renamed_elsewhere and " ".join(own[key].split()) != names[key]
    }
    assert differ == {}, differ


def test_a_name_an_admin_changed_or_a_diagram_no_feature_ships_stays_as_drawn(app: Flask) -> None:
    xml = (ROOT / "bpmn" / "order_drafting.bpmn").read_text(encoding="utf-8")
    renamed = xml.replace('name="Бұйрық қажет"', 'name="Бұйрықты директор сұрады"')
    names = shown_names(render(app, renamed, "ru"))
    assert names["StartEvent_order"] == "Бұйрықты директор сұрады"  # the admin's own name
    assert names["Gateway_legal_decision"] == "Решение юриста"  # the rest still translated
    # The same ids in a process no feature declares (an admin's diagram): every name as drawn.
    theirs = renamed.replace('"order_drafting"', '"my_order_flow"')
    names = shown_names(render(app, theirs, "ru"))
    assert names["Gateway_legal_decision"] == "Заңгердің шешімі"
    assert names["Participant_school"] == "Мектеп"


def test_the_instance_diagram_of_an_incident_speaks_russian(app: Flask, api: Api) -> None:
    iid = escalate(api)
    speak(api.rt, "ru")
    body = signed_in(app, "responsible").get(f"/instances/{iid}/diagram.json").get_json()
    names = shown_names(body["xml"])
    assert names["Gateway_disclosure"] == "Раскрыты ли персональные данные?"
    assert names["Participant_school"] == "Школа"
    assert {key: name for key, name in names.items() if KAZAKH.search(name)} == {}


def test_an_instance_is_titled_by_its_process_in_the_readers_language_until_it_has_its_own(
    app: Flask, api: Api
) -> None:
    iid = int(api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"])
    speak(api.rt, "ru")
    deputy = signed_in(app, "wg_deputy")
    page = deputy.get(f"/instances/{iid}").get_data(as_text=True)
    assert f"<h1>#{iid} Подготовка приказа</h1>" in page and "Бұйрық әзірлеу" not in page
    assert f"#{iid} Подготовка приказа</a>" in deputy.get("/inbox?scope=mine").get_data(as_text=True)
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    data = {"title": "Бұйрық о чат-ботах", "order_type": "other", "body": "Мәтін"}
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": data}).status_code == 200
    page = deputy.get(f"/instances/{iid}").get_data(as_text=True)
    assert f"<h1>#{iid} Бұйрық о чат-ботах</h1>" in page  # the title its drafter gave it


def test_notifications_name_the_step_and_an_untitled_instance_in_russian(app: Flask, api: Api) -> None:
    assert api.post("/processes/order_drafting/instances", "wg_deputy").status_code == 201
    assert send_daily_digests(api.rt, datetime(2026, 12, 4, 4, 0, tzinfo=UTC)) >= 1
    speak(api.rt, "ru")
    page = signed_in(app, "wg_deputy").get("/notifications").get_data(as_text=True)
    assert '<span class="meta">(Подготовка приказа)</span>' in page
    main = page[page.index("<main") :]
    assert "Бұйрық әзірлеу" not in main and "Бұйрық жобасын дайындау" not in main, main
    assert "Проект приказа</a>" in main  # the step, by its form's title (the task_assigned note)
