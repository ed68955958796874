"""Timelines name people by their full name (the username as its title), looked up once per page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update

from service.platform.audit import log as audit
from service.platform.persistence.models import User
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from, login
from tests.integration.test_incident_api import escalate


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def full_name(rt: Runtime, username: str) -> str:
    with rt.db.session() as session:
        return str(session.execute(select(User.full_name).where(User.username == username)).scalar_one())


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(rt.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", note)


def _order_through_legal_review(api: Api) -> int:
    iid = int(api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"])
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    data = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
    assert api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": data}).status_code == 200
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    assert api.post(f"/tasks/{review['id']}/claim", "lawyer").status_code == 200
    done = api.post(f"/tasks/{review['id']}/complete", "lawyer", json={"data": {"decision": "approve"}})
    assert done.status_code == 200, done.get_json()
    return iid


def _actors(html: str) -> list[tuple[str, str]]:
    """(title, text) of every person named in the timeline."""
    timeline = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<strong data-testid="actor"(?: title="([^"]*)")?>([^<]*)</strong>', timeline)


def test_the_timeline_shows_full_names_with_the_username_as_title(app: Flask, api: Api) -> None:
    iid = _order_through_legal_review(api)
    with api.rt.db.session() as session:  # what a timer writes when it fires
        audit.append(session, "system", "timer.fire", instance_id=iid, detail={"timer": "Timer_reminder"})
    director = signed_in(app, "director")
    with statements(api.rt) as seen:
        html = director.get(f"/instances/{iid}").get_data(as_text=True)
    deputy, lawyer = full_name(api.rt, "wg_deputy"), full_name(api.rt, "lawyer")
    actors = set(_actors(html))
    assert ("wg_deputy", deputy) in actors and ("lawyer", lawyer) in actors
    assert ("", "Жүйе") in actors  # the service's own events, in the reader's language
    assert "(wg_deputy)" not in html.replace(deputy, "")  # the username only as a title: names differ
    # one look-up of names for the whole timeline, none per row
    lookups = [s for s in seen if "full_name" in s and "app_user.username IN" in s]
    per_row = [s for s in seen if "full_name" in s and "app_user.username =" in s]
    assert len(lookups) == 1 and per_row == [], seen

    body = api.get(f"/instances/{iid}", "director").get_json()
    rows = {(h["actor"], h["actor_name"]) for h in body["history"]}
    assert rows == {("wg_deputy", deputy), ("lawyer", lawyer), ("system", "system")}  # `actor`: username


def test_people_sharing_a_full_name_are_told_apart_by_username(app: Flask, api: Api) -> None:
    iid = _order_through_legal_review(api)
    with api.rt.db.session() as session:
        session.execute(update(User).where(User.username == "director").values(full_name="Сәуле Оразқызы"))
        session.execute(update(User).where(User.username == "lawyer").values(full_name="Сәуле Оразқызы"))
    director = signed_in(app, "director")
    page = director.get(f"/instances/{iid}").get_data(as_text=True)
    token = csrf_from(page)
    director.post(f"/instances/{iid}/comments", data={"body": "Қарадым", "csrf_token": token})
    html = director.get(f"/instances/{iid}").get_data(as_text=True)
    assert ("lawyer", "Сәуле Оразқызы") in _actors(html) and ("director", "Сәуле Оразқызы") in _actors(html)
    assert "(lawyer)" in html and "(director)" in html
    assert "(wg_deputy)" not in html


def test_the_order_page_names_the_approvers(app: Flask, api: Api) -> None:
    _order_through_legal_review(api)
    order_id = api.get("/orders", "director").get_json()["orders"][0]["id"]
    html = signed_in(app, "director").get(f"/orders/{order_id}").get_data(as_text=True)
    assert f'title="lawyer">{full_name(api.rt, "lawyer")}</strong>' in html
    body = api.get(f"/orders/{order_id}", "director").get_json()
    assert [(h["actor"], h["actor_name"]) for h in body["approval_history"]] == [
        ("lawyer", full_name(api.rt, "lawyer"))
    ]


def test_an_anonymous_reporters_name_reaches_only_responsible(app: Flask, api: Api) -> None:
    iid = escalate(api)  # an anonymous report by staff1, escalated by responsible
    reporter = full_name(api.rt, "staff1")
    page = signed_in(app, "responsible").get(f"/instances/{iid}").get_data(as_text=True)
    assert ("staff1", reporter) in _actors(page)
    history = api.get(f"/instances/{iid}", "responsible").get_json()["history"]
    assert ("staff1", reporter) in {(h["actor"], h["actor_name"]) for h in history}
    for other in ("council1", "wg_chair", "director", "admin", "staff2", "staff1"):
        shown = signed_in(app, other).get(f"/instances/{iid}")
        answered = api.get(f"/instances/{iid}", other)
        assert shown.status_code == 404 and answered.status_code == 404, other
        if other != "staff1":  # the reporter's own pages carry their name in the header
            assert reporter not in shown.get_data(as_text=True) + answered.get_data(as_text=True)
