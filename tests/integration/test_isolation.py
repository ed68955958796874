"""Isolation over the whole API and every page: a school's people get 404 for every object of another
school, whatever the route, and nothing another school does changes what their lists show.

The default school ("B") runs a school year through the API — an order, an incident decided by the
council, a permitted tool, an amendment with its new edition, a consultation, meetings with a decision
and its follow-up, surveys, a plan mark, a deputy, open tasks and campaigns, an uploaded file, a process
only it has. Then the admin and a teacher of school2 ("A") call every operation of the OpenAPI document,
and A's admin every page of the URL map that names an object, with B's ids.

Each answer must be exactly the one the same person gets for an id no school has: 404 (every read by
the admin is held to 404 itself), or, where a route refuses the person's role before it looks anything
up (a teacher cancelling an instance, an admin closing a survey, which only its keepers do), the same
refusal for any id. Never a 2xx, and never a 403 that a missing object would not get: that would confirm
B's object exists. Lists are read by A before and after B's year and must be the same.
Turning the school's criteria off for A's queries (all of them, or one table's) fails both tests.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from service.platform.files import storage
from service.platform.processes import form_editor
from service.platform.web.openapi import openapi_document
from tests.conftest import Api, actor_named, csrf_from, login
from tests.integration import amendment_steps as amend
from tests.integration import report_steps as steps
from tests.integration.meeting_steps import call, decide, due
from tests.integration.school_steps import add_school, token_in
from tests.integration.survey_steps import open_survey
from tests.integration.test_consultations import ask

A_USERS = ("school2.admin", "school2.staff1")
ONLY_IN_B = (Path(__file__).resolve().parents[1] / "fixtures" / "escalation.bpmn").read_bytes()
PDF = b"%PDF-1.4\n% a file only school B has\n"
METHODS = ("get", "post", "put", "patch", "delete")
# Values that stand for no object (a document's format, a step's name): every value is tried.
QUERIES = {"compare": "?from=1&to=2", "compare.pdf": "?from=1&to=2"}
# What a call sends, so that the object is looked up rather than the input refused first.
BODIES: dict[str, Any] = {
    "cancel": {"reason": "Себебі"},
    "extend": {"deadline_at": "2099-01-01T09:00:00+05:00"},
    "amendments": amend.proposal(),
    "migrations": {"from_version": 1, "to_version": 2},
}
# What a page's form posts, so that the object is looked up rather than the input refused first.
FORM = {"body": "Пікір", "reason": "Себебі", "due": "2099-01-01", "comment": "Пікір", "text": "Мәтін"}
FORMATS = {"kind": ["pdf", "docx"], "fmt": ["pdf", "docx", "csv", "xlsx"], "clause": ["8.1"]}


@dataclass
class SchoolB:
    """B's objects by the name a route gives its parameter; several values where one name has kinds."""

    ids: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, name: str, *values: Any) -> None:
        self.ids.setdefault(name, []).extend(values)


def _school_b_year(api: Api) -> SchoolB:
    b = SchoolB()
    order_instance = steps.register_order(api, acknowledged=0)  # its acknowledgement stays open
    incident_instance = steps.decided_incident(api)
    tool_instance = steps.permitted_tool(api)
    amendment = steps.published_amendment(api, acknowledged=0)
    open_instance = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    open_task = api.open_task("wg_deputy", open_instance, "Task_draft")["id"]
    b.add("instance_id", order_instance, incident_instance, tool_instance, amendment, open_instance)
    b.add("task_id", open_task)
    campaign_tasks = api.get("/tasks", "staff1").get_json()["campaign_tasks"]
    assert campaign_tasks
    b.add("campaign_task_id", *(row["id"] for row in campaign_tasks))
    b.add("campaign_id", *{row["campaign_id"] for row in campaign_tasks})
    b.add("order_id", *(o["id"] for o in api.get("/orders", "director").get_json()["orders"]))
    b.add("incident_id", *(i["id"] for i in api.get("/incidents", "responsible").get_json()["incidents"]))
    b.add("tool_id", *(t["id"] for t in api.get("/tools", "staff1").get_json()["tools"]))
    b.add("consultation_id", int(ask(api, "staff1")["id"]))
    meeting = call(api, invited_roles=[], invitees=["ict", "staff1"])
    decided = decide(
        api,
        meeting["id"],
        meeting["agenda"][0]["id"],
        followups=[{"assignee": "wg_deputy", "due_on": due(7), "text": "Жадынама әзірлеу"}],
    )
    assert decided.status_code in (200, 201), decided.get_json()
    decision = decided.get_json()["decisions"][0]
    b.add("meeting_id", int(meeting["id"]))
    b.add("decision_id", int(decision["id"]))
    b.add("followup_id", *(int(f["id"]) for f in decision["followups"]))
    b.add("survey_id", open_survey(api, api.rt, ["staff1", "staff2"]))
    b.add("survey_id", int(api.post("/surveys", "hr", json={"template": "competences"}).get_json()["id"]))
    marked = api.post("/plan/items/7/mark", "responsible", json={"data": {"comment": "Шолу дайын"}})
    assert marked.status_code == 200, marked.get_json()
    b.add("number", 7)
    deputy = api.post("/deputies", "lawyer", json={"deputy": "hr", "starts_on": due(1), "ends_on": due(3)})
    assert deputy.status_code == 201, deputy.get_json()
    b.add("substitution_id", int(deputy.get_json()["id"]))
    acts = api.get("/acts", "staff1").get_json()["acts"]
    b.add("code", *(a["code"] for a in acts))
    editions = api.get(f"/acts/{acts[0]['code']}", "staff1").get_json()["editions"]
    b.add("number", *(e["number"] for e in editions))
    deployed = api.post("/processes", "admin", data=ONLY_IN_B, headers={"Content-Type": "application/xml"})
    assert deployed.status_code == 201, deployed.get_json()
    b.add("process_id", "test_escalation")
    b.add("version", 1)
    b.add("username", "staff1", "admin")
    saved = form_editor.save_form(
        api.rt, actor_named(api.rt, "admin"), "b_only_form", json.dumps(form_editor.BLANK_FORM)
    )
    assert not saved.problems, saved.problems
    b.add("key", "b_only_form")
    sha = storage.store_upload(api.rt, actor_named(api.rt, "staff1"), "file", "b.pdf", "application/pdf", PDF)
    b.add("sha", sha.removeprefix("sha256:"))
    return b


def _values(b: SchoolB, name: str, path: str) -> list[Any]:
    if name in FORMATS:
        return FORMATS[name]
    if name == "task_id" and "campaign-task" in path:
        return b.ids["campaign_task_id"]
    if name == "instance_id" and path.startswith("/amendments"):
        return b.ids["instance_id"][3:4]
    values = b.ids.get(name)
    assert values, f"school B has no object for {{{name}}} of {path}: add one to _school_b_year"
    return values


def _filled(b: SchoolB, path: str, names: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for combination in itertools.product(*(_values(b, n, path) for n in names)):
        yield path, dict(zip(names, combination, strict=True))


def _api_operations(app: Flask) -> list[tuple[str, str]]:
    doc = openapi_document(app.extensions["runtime"].features.features)
    return [(m.upper(), p) for p, ops in doc["paths"].items() for m in ops if m in METHODS]


def _lists(api: Api, headers: dict[str, str], operations: list[tuple[str, str]]) -> dict[str, Any]:
    """Every list (a GET without a parameter) as A reads it, minus what changes by itself (time)."""
    seen = {}
    for method, path in operations:
        if method == "GET" and "{" not in path and path != "/openapi.json":
            answer = api.client.get(f"/api/v1{path}", headers=headers)
            seen[path] = (answer.status_code, _without_moments(answer.get_json()))
    return seen


def _without_moments(value: Any) -> Any:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return json.loads(re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?", "<moment>", text))


@pytest.fixture
def two_schools(api: Api) -> Iterator[tuple[SchoolB, dict[str, dict[str, str]], dict[str, Any]]]:
    second = add_school(api.rt)
    headers = {u: {"Authorization": f"Bearer {token_in(api, second, u)}"} for u in A_USERS}
    operations = _api_operations(api.client.application)
    before = {u: _lists(api, headers[u], operations) for u in A_USERS}
    b = _school_b_year(api)
    yield b, headers, before


def _ghost(name: str, value: Any) -> Any:
    """A value of the same kind that names no object in any school."""
    if name in FORMATS:
        return value
    if isinstance(value, int):
        return 987654
    return "0" * 64 if name == "sha" else "no_such_thing"


def _answer(api: Api, method: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    body = None if method == "GET" else BODIES.get(path.split("/")[-1], {})
    query = QUERIES.get(path.split("/")[-1], "")
    answer = api.client.open(f"/api/v1{path}{query}", method=method, headers=headers, json=body)
    code = (answer.get_json(silent=True) or {}).get("error", "") if answer.is_json else ""
    return answer.status_code, str(code)


def test_every_api_operation_answers_404_for_another_schools_objects(
    api: Api, two_schools: tuple[SchoolB, dict[str, dict[str, str]], dict[str, Any]]
) -> None:
    b, headers, before = two_schools
    operations = _api_operations(api.client.application)
    leaks: list[str] = []
    found = 0
    for method, template in operations:
        names = re.findall(r"{(\w+)}", template)
        if not names:
            continue
        for _, values in _filled(b, template, names):
            path = template.format(**values)
            ghost = template.format(**{n: _ghost(n, v) for n, v in values.items()})
            for user in A_USERS:
                theirs = _answer(api, method, path, headers[user])
                nobodys = _answer(api, method, ghost, headers[user])
                found += theirs[0] == 404

                if 200 <= theirs[0] < 300 or theirs != nobodys:
                    leaks.append(f"{user} {method} {path}: {theirs}, for no object: {nobodys}")
                elif method == "GET" and user == A_USERS[0] and theirs[0] != 404:
                    leaks.append(f"{user} {method} {path}: {theirs}, not 404")
    assert found > 100
    assert not leaks, "\n".join(leaks)
    for user in A_USERS:
        after = _lists(api, headers[user], operations)
        changed = [p for p in after if after[p] != before[user][p]]
        assert not changed, (user, {p: (before[user][p], after[p]) for p in changed})


def _page_rules(app: Flask) -> list[Rule]:
    """Every page that names an object: an int in its path, or an act's code, a process, a user, a file
    or a form."""
    named = {"code", "process_id", "username", "sha", "key"}

    def takes_an_id(rule: Rule) -> bool:
        ints = any(type(c).__name__.endswith("IntConverter") for c in rule._converters.values())
        return ints or bool(named & rule.arguments)

    return [
        r for r in app.url_map.iter_rules() if not r.rule.startswith(("/api/", "/static")) and takes_an_id(r)
    ]


def _page_values(b: SchoolB, rule: Rule) -> Iterator[dict[str, Any]]:
    names = sorted(rule.arguments)
    choices = []
    for name in names:
        converter = rule._converters[name]
        if type(converter).__name__ == "AnyConverter":
            choices.append(sorted(converter.items))  # type: ignore[attr-defined]
        else:
            choices.append(_values(b, name, rule.rule))
    for combination in itertools.product(*choices):
        yield dict(zip(names, combination, strict=True))


def _built(rule: Rule, values: dict[str, Any]) -> str:
    return str(rule.build(values, append_unknown=False)[1])  # type: ignore[index]


def _signed_in(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client, csrf_from(client.get("/deputies").get_data(as_text=True))


def test_every_page_naming_an_object_answers_404_for_another_schools_objects(
    app: Flask, two_schools: tuple[SchoolB, dict[str, dict[str, str]], dict[str, Any]]
) -> None:
    b, _, _ = two_schools
    client, token = _signed_in(app, "school2.admin")
    leaks: list[str] = []
    found = 0
    for rule in _page_rules(app):
        for values in _page_values(b, rule):
            path = _built(rule, values)
            fixed = {n for n, c in rule._converters.items() if type(c).__name__ == "AnyConverter"}
            ghost = _built(rule, {n: v if n in fixed else _ghost(n, v) for n, v in values.items()})
            for method in sorted(rule.methods & {"GET", "POST"}):  # type: ignore[operator]
                data = {"csrf_token": token, **FORM} if method == "POST" else None
                query = QUERIES.get(path.split("/")[-1], "")
                theirs = client.open(path + query, method=method, data=data).status_code
                nobodys = client.open(ghost + query, method=method, data=data).status_code
                found += theirs == 404

                if 200 <= theirs < 300 or theirs != nobodys:
                    leaks.append(f"{method} {path}: {theirs}, for no object: {nobodys}")
    assert found > 100
    assert not leaks, "\n".join(leaks)
