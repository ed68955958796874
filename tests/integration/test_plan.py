"""The plan tracker on a real database: loading, who may mark and undo, 403/404/409/422, evidence that
never leaks an incident, the audit log, and two people marking one item at the same moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.features.plan import usecases as plan_cases
from service.features.plan.models import PlanItem, PlanMark, SchoolPlan
from service.features.plan.rules import school_year_of
from service.platform.persistence.models import AuditEvent
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, make_app
from tests.integration.test_incident_api import incident_of, report, triage
from tests.threads import run_together

SEED = Path(__file__).resolve().parents[2] / "seeds" / "plan_2025_2026.txt"


def this_school_year(rt: Runtime) -> int:
    """`flask demo` loads the seed's plan for the school year of today in the school's zone."""
    return school_year_of(datetime.now(ZoneInfo(rt.timezone)).date())


def end_of_february(year: int) -> str:
    """Item 7's deadline is February: its last day, the 29th in a leap year."""
    return (date(year, 3, 1) - timedelta(days=1)).isoformat()


def mark(api: Api, number: int, user: str, **data: str) -> Any:
    return api.post(f"/plan/items/{number}/mark", user, json={"data": data})


def unmark(api: Api, number: int, user: str, reason: str = "") -> Any:
    return api.post(f"/plan/items/{number}/unmark", user, json={"data": {"reason": reason}})


def audit_actions(rt: Runtime, action: str) -> list[AuditEvent]:
    with rt.db.session() as session:
        return list(session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_demo_loads_the_plan_once(app: Flask, api: Api) -> None:
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0  # a second time: nothing new
    with api.rt.db.session() as session:
        assert session.execute(select(func.count()).select_from(SchoolPlan)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(PlanItem)).scalar_one() == 30
    assert len(audit_actions(api.rt, "plan.load")) == 1
    body = api.get("/plan", "staff1").get_json()
    year = this_school_year(api.rt)
    assert body["school_year"] == year and body["total"] == 30 and body["done"] == 0
    assert f"{year}-{year + 1}" in body["title"] and "2025-2026" not in body["title"]
    assert [(s["number"], s["total"]) for s in body["stages"]] == [(1, 6), (2, 4), (3, 6), (4, 9), (5, 5)]
    seven = next(i for i in body["items"] if i["number"] == 7)
    assert seven["roles"] == ["responsible"] and seven["due_on"] == end_of_february(
        year + 1
    )  # the seed's month
    assert seven["may_mark"] is False  # staff1 is not responsible for it
    assert next(i for i in body["items"] if i["number"] == 27)["status"] == "no_date"


def test_plan_load_command_for_another_school_year(app: Flask, api: Api) -> None:
    runner = app.test_cli_runner()
    next_year = this_school_year(api.rt) + 1
    result = runner.invoke(args=["plan", "load", str(SEED), "--year", str(next_year)])
    assert result.exit_code == 0 and "plan loaded" in result.output
    again = runner.invoke(args=["plan", "load", str(SEED), "--year", str(next_year)])
    assert again.exit_code == 0 and "unchanged" in again.output
    later = api.get(f"/plan?year={next_year}", "staff1").get_json()
    assert next(i for i in later["items"] if i["number"] == 7)["due_on"] == end_of_february(next_year + 1)


def test_responsible_marks_an_item_and_the_progress_moves(api: Api) -> None:
    done = mark(
        api,
        7,
        "responsible",
        comment="Шолу дайын",
        evidence_kind="act_edition",
        evidence_ref="ai_regulation/1",
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["status"] == "done" and body["mark"]["by"] == "responsible"
    assert body["mark"]["evidence"] == {"kind": "act_edition", "ref": "ai_regulation/1"}
    plan = api.get("/plan", "director").get_json()
    assert plan["done"] == 1 and plan["stages"][1] == {**plan["stages"][1], "done": 1, "total": 4}
    events = audit_actions(api.rt, "plan.mark")
    assert len(events) == 1 and events[0].actor == "responsible"
    assert '"item":7' in events[0].detail_json.replace(" ", "")


def test_who_may_mark(api: Api) -> None:
    forbidden = mark(api, 7, "staff1", comment="x")
    assert forbidden.status_code == 403
    assert "Жасанды" not in forbidden.get_data(as_text=True)  # nothing of the item in the answer
    assert mark(api, 7, "wg_member", comment="x").status_code == 403
    assert mark(api, 8, "wg_member", comment="Инфрақұрылым бағаланды").status_code == 200
    assert mark(api, 19, "commission1", comment="Қорытынды").status_code == 200
    assert mark(api, 7, "wg_chair", comment="Төраға белгіледі").status_code == 200
    assert mark(api, 1, "director", comment="Директор белгіледі").status_code == 200
    assert mark(api, 3, "admin", comment="x").status_code == 403  # admin runs the system, not the plan
    assert mark(api, 99, "director", comment="x").status_code == 404


def test_validation_per_field(api: Api) -> None:
    empty = mark(api, 7, "responsible", comment="  ")
    assert empty.status_code == 422 and set(empty.get_json()["fields"]) == {"comment"}
    bad = mark(api, 7, "responsible", comment="ok", evidence_kind="order", evidence_ref="999/Ж")
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"evidence_ref"}
    kind = mark(api, 7, "responsible", comment="ok", evidence_kind="photo", evidence_ref="1")
    assert kind.status_code == 422 and set(kind.get_json()["fields"]) == {"evidence_kind"}
    no_ref = mark(api, 7, "responsible", comment="ok", evidence_kind="tool")
    assert no_ref.status_code == 422 and set(no_ref.get_json()["fields"]) == {"evidence_ref"}
    assert api.get("/plan/items/7", "responsible").get_json()["status"] != "done"
    assert audit_actions(api.rt, "plan.mark") == []


def test_marking_twice_and_undoing(api: Api) -> None:
    assert mark(api, 11, "responsible", comment="Ереже жобасы").status_code == 200
    twice = mark(api, 11, "wg_chair", comment="Тағы")
    assert twice.status_code == 409 and twice.get_json()["error"] == "plan_item_marked"
    assert unmark(api, 11, "responsible", "Қате").status_code == 403
    no_reason = unmark(api, 11, "wg_chair")
    assert no_reason.status_code == 422 and set(no_reason.get_json()["fields"]) == {"reason"}
    undone = unmark(api, 11, "wg_chair", "Бекітілмеген")
    assert undone.status_code == 200 and undone.get_json()["status"] != "done"
    assert undone.get_json()["mark"] is None
    again = unmark(api, 11, "director", "Тағы")
    assert again.status_code == 409 and again.get_json()["error"] == "plan_item_not_marked"
    assert mark(api, 11, "responsible", comment="Бекітілді").status_code == 200
    history = api.get("/plan/items/11", "staff1").get_json()["history"]
    assert [(h["action"], h["by"]) for h in history] == [
        ("mark", "responsible"),
        ("unmark", "wg_chair"),
        ("mark", "responsible"),
    ]
    assert history[1]["comment"] == "Бекітілмеген"
    assert len(audit_actions(api.rt, "plan.unmark")) == 1


def _journal_incident(api: Api) -> str:
    iid = report(api, "staff1")
    done = triage(api, iid, {"severity": "minor", "decision": "resolve", "corrective_action": "Әңгіме"})
    assert done.status_code == 200, done.get_json()
    number = incident_of(api, iid)["number"]
    assert number, incident_of(api, iid)
    return str(number)


def test_incident_evidence_never_leaks(api: Api) -> None:
    number = _journal_incident(api)
    # staff2 may mark item 5 (teachers) but may not read the incident: the same answer as a missing one.
    hidden = mark(api, 5, "staff2", comment="ok", evidence_kind="incident", evidence_ref=number)
    missing = mark(api, 5, "staff2", comment="ok", evidence_kind="incident", evidence_ref="1999/99")
    assert hidden.status_code == missing.status_code == 422
    assert hidden.get_json() == missing.get_json()
    assert mark(api, 27, "responsible", comment="Тіркелді", evidence_kind="incident", evidence_ref=number)
    seen = api.get("/plan/items/27", "wg_chair").get_json()["mark"]["evidence"]
    assert seen == {"kind": "incident", "ref": number}
    for user in ("staff2", "lawyer"):
        other = api.get("/plan/items/27", user).get_json()
        assert other["mark"]["evidence"] == {"kind": "incident", "ref": None}
        assert other["history"][0]["evidence"] == {"kind": "incident", "ref": None}
        listed = next(i for i in api.get("/plan", user).get_json()["items"] if i["number"] == 27)
        assert number not in str(listed)


def _race(rt: Runtime) -> None:
    people = [actor_named(rt, u) for u in ("responsible", "wg_chair", "director", "responsible")]
    results = run_together(
        [(lambda a=a: plan_cases.mark_item(rt, a, 10, comment=f"{a.username} белгіледі")) for a in people]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 3 and all(isinstance(e, plan_cases.AlreadyMarked) for e in errors), errors
    with rt.db.session() as session:
        marks = session.execute(select(func.count()).select_from(PlanMark)).scalar_one()
        assert marks == 1
        row = session.execute(select(PlanItem).where(PlanItem.number == 10)).scalar_one()
        assert row.done_at is not None and row.done_comment.endswith("белгіледі")
    assert len(audit_actions(rt, "plan.mark")) == 1


def test_simultaneous_marks_one_wins(api: Api) -> None:
    _race(api.rt)


@pytest.mark.postgres
def test_simultaneous_marks_one_wins_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app = make_app(pg_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    try:
        _race(rt)
    finally:
        rt.db.dispose()


def test_order_and_tool_evidence(api: Api) -> None:
    from tests.integration.test_order_register import _register, _submit
    from tests.integration.test_tool_register import registered, tool_id_of

    draft = _submit(api, "wg_deputy", "Жұмыс тобын құру туралы", "working_group")
    unregistered = api.get("/orders", "director").get_json()["orders"][0]
    assert unregistered["number"] is None
    _register(api, draft)
    number = api.get("/orders", "director").get_json()["orders"][0]["number"]
    assert number
    done = mark(api, 3, "wg_deputy", comment="Бұйрық шықты", evidence_kind="order", evidence_ref=number)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["mark"]["evidence"] == {"kind": "order", "ref": number}
    tool = tool_id_of(api, registered(api, ["approve"] * 3))
    by_id = mark(api, 19, "commission1", comment="Қорытынды", evidence_kind="tool", evidence_ref=str(tool))
    assert by_id.status_code == 200, by_id.get_json()
    assert by_id.get_json()["mark"]["evidence"] == {"kind": "tool", "ref": str(tool)}
    assert (
        mark(api, 18, "responsible", comment="x", evidence_kind="tool", evidence_ref="999").status_code == 422
    )


def test_overdue_from_midnight_in_the_school_time_zone(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def status_at(moment: datetime) -> str:
        monkeypatch.setattr(plan_cases, "utcnow", lambda: moment)
        return str(api.get("/plan/items/7", "staff1").get_json()["status"])

    # Item 7 is due on the last day of February; at midnight in Almaty it is still that day in UTC.
    february = this_school_year(api.rt) + 1
    midnight = datetime(february, 3, 1, tzinfo=ZoneInfo(api.rt.timezone)).astimezone(UTC)
    assert api.rt.timezone == "Asia/Almaty" and midnight.date().isoformat() == end_of_february(february)
    assert status_at(midnight - timedelta(minutes=1)) == "due_soon"
    assert status_at(midnight) == "overdue"
    assert status_at(datetime(february, 1, 1, tzinfo=UTC)) == "open"


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime(2026, 12, 4, 12, tzinfo=UTC), 2026),  # December: the school year that began in September
        (datetime(2027, 3, 10, 12, tzinfo=UTC), 2026),  # spring: still that one
        # 31 August 20:00 in UTC is already 1 September in Almaty: the new school year.
        (datetime(2027, 8, 31, 20, tzinfo=UTC), 2027),
    ],
)
def test_the_demo_plan_is_for_the_school_year_of_today_at_school(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: datetime, year: int
) -> None:
    monkeypatch.setattr(plan_cases, "utcnow", lambda: today)
    app = make_app(db_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    view = plan_cases.get_plan(rt, actor_named(rt, "director"))
    assert view.plan.school_year == year and f"{year}-{year + 1}" in view.plan.title
    due = {v.item.number: v.item.due_on for v in view.items}
    assert (
        due[7] is not None
        and due[7].isoformat() == end_of_february(year + 1)
        and due[1] is not None
        and due[1].year in (year, year + 1)
    )
    if year == 2027:  # on the school year's first day nothing is overdue: every month lies ahead
        assert not [v for v in view.items if v.status == "overdue"]
    rt.db.dispose()
