"""Meetings over the API on a real database: a quarterly working-group meeting from the invitation to
approved minutes with two decisions and three follow-ups in the inboxes; approved minutes refuse edits
(409) and take numbered addenda; who may read (403, 404 for a council meeting on an incident); 422s."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from service.platform.campaigns.usecases import end_due_campaigns
from service.platform.clock import utcnow
from service.platform.persistence.models import AuditEvent, Notification, User
from tests.conftest import Api
from tests.integration.meeting_steps import WG_MEETING, attend, call, decide, due, local, soon
from tests.integration.test_incident_api import report, triage


def notices(api: Api, user: str, kind: str) -> list[dict[str, Any]]:
    with api.rt.db.session() as session:
        uid = session.execute(select(User.id).where(User.username == user)).scalar_one()
        rows = session.execute(
            select(Notification).where(Notification.user_id == uid, Notification.kind == kind)
        ).scalars()
        return [json.loads(n.body) for n in rows]


def audit(api: Api, prefix: str = "meeting.") -> list[tuple[str, str, dict[str, Any]]]:
    with api.rt.db.session() as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        return [
            (e.actor, e.action, json.loads(e.detail_json or "{}"))
            for e in rows
            if e.action.startswith(prefix)
        ]


def test_a_quarterly_meeting_from_invitation_to_approved_minutes(api: Api) -> None:
    meeting = call(api)
    mid = meeting["id"]
    # Named people, the chair and secretary, and every holder of the invited roles are on the list.
    assert {"wg_chair", "wg_member", "wg_deputy", "responsible", "ict", "staff1"} <= set(meeting["invitees"])
    invitation = notices(api, "ict", "meeting_invited")
    assert invitation and invitation[0]["agenda"] == [i["title"] for i in WG_MEETING["agenda"]]
    assert notices(api, "wg_chair", "meeting_invited") == []  # the one who called it is not told

    # The chair changes the agenda before the start; invitees see the new one.
    agenda = [*WG_MEETING["agenda"], {"title": "Келесі тоқсанның жоспары", "presenter": "Мәдина Асқарқызы"}]
    changed = api.post(f"/meetings/{mid}/agenda", "wg_chair", json={"agenda": agenda})
    assert changed.status_code == 200, changed.get_json()
    assert [i["title"] for i in changed.get_json()["agenda"]] == [a["title"] for a in agenda]
    assert notices(api, "staff1", "meeting_agenda_changed")[0]["agenda"][-1] == "Келесі тоқсанның жоспары"
    assert api.post(f"/meetings/{mid}/agenda", "wg_member", json={"agenda": agenda}).status_code == 403
    assert api.get(f"/meetings/{mid}", "staff1").status_code == 200  # invitees read
    assert api.get(f"/meetings/{mid}", "staff2").status_code == 403  # others are refused

    assert attend(api, meeting).status_code == 200
    items = [i["id"] for i in changed.get_json()["agenda"]]
    first = decide(
        api,
        mid,
        items[0],
        heard="Е. Қайратұлы жоспардың орындалуы туралы баяндады.",
        discussion="Д. Маратұлы: ЖИ құралдарының тізімін жаңарту қажет.",
        text="Жоспардың І тоқсандағы орындалуы қанағаттанарлық деп танылсын.",
        vote="counts",
        votes_for=5,
        votes_against=0,
        votes_abstain=0,
        followups=[
            {"assignee": "responsible", "due_on": due(10), "text": "Тоқсандық есепті дайындау"},
            {"assignee": "ict", "due_on": due(14), "text": "Құралдар тізімін жаңарту"},
        ],
    )
    assert first.status_code == 201, first.get_json()
    second = decide(
        api,
        mid,
        items[1],
        text="Бағалау нәтижелері педагогтерге таныстырылсын.",
        followups=[{"assignee": "wg_deputy", "due_on": due(7), "text": "Жадынама әзірлеу"}],
    )
    assert second.status_code == 201, second.get_json()
    body = second.get_json()
    assert len(body["decisions"]) == 2 and body["decisions"][0]["adopted"] is True
    assert sum(len(d["followups"]) for d in body["decisions"]) == 3

    # Each follow-up waits in its person's inbox with its due date.
    for user, text in (("responsible", "Тоқсандық"), ("ict", "Құралдар"), ("wg_deputy", "Жадынама")):
        rows = api.get("/tasks", user).get_json()["campaign_tasks"]
        mine = [r for r in rows if r["kind"] == "meeting_followup"]
        assert len(mine) == 1 and text in mine[0]["title"] and mine[0]["due_at"], rows
        assert mine[0]["url"].startswith("/meetings/followups/")

    approved = api.post(f"/meetings/{mid}/approve", "wg_chair")
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["number"] == 1
    assert api.post(f"/meetings/{mid}/approve", "wg_chair").status_code == 409
    shown = api.get(f"/meetings/{mid}", "wg_member").get_json()
    assert shown["status"] == "approved" and shown["number"] == 1 and shown["approved_by"] == "wg_chair"
    approval = [e for e in audit(api) if e[1] == "meeting.approved"]
    assert len(approval) == 1 and approval[0][0] == "wg_chair" and len(approval[0][2]["sha256"]) == 64

    pdf = api.get(f"/meetings/{mid}/minutes.pdf", "staff1")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for heading in ("ХАТТАМА № 1", "КҮН ТӘРТІБІ", "ТЫҢДАЛДЫ", "СӨЙЛЕДІ", "ҚАУЛЫ ЕТТІ", "Төраға", "Хатшы"):
        assert heading in text, heading
    assert "ауырып қалды" in text and "Тоқсандық есепті дайындау" in text
    docx = api.get(f"/meetings/{mid}/minutes.docx", "wg_chair")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_approved_minutes_refuse_edits_and_take_numbered_addenda(api: Api) -> None:
    meeting = call(api)
    mid = meeting["id"]
    assert api.post(f"/meetings/{mid}/approve", "wg_chair").status_code == 409  # no attendance yet
    assert attend(api, meeting).status_code == 200
    item = meeting["agenda"][0]["id"]
    assert decide(api, mid, item).status_code == 201
    assert api.post(f"/meetings/{mid}/addenda", "wg_chair", json={"text": "x"}).status_code == 409
    assert api.post(f"/meetings/{mid}/approve", "wg_member").status_code == 403  # the chair approves
    assert api.post(f"/meetings/{mid}/approve", "wg_chair").status_code == 200

    refused = decide(api, mid, item)
    assert refused.status_code == 409 and refused.get_json()["error"] == "minutes_approved"
    assert attend(api, meeting).status_code == 409
    assert (
        api.post(f"/meetings/{mid}/agenda", "wg_chair", json={"agenda": WG_MEETING["agenda"]}).status_code
        == 409
    )

    first = api.post(
        f"/meetings/{mid}/addenda", "wg_member", json={"text": "2-тармақтағы мерзім 15 күн деп оқылсын."}
    )
    second = api.post(
        f"/meetings/{mid}/addenda", "wg_chair", json={"text": "Қатысушылар тізімі толықтырылсын."}
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.get_json()["number"], second.get_json()["number"]) == (1, 2)
    assert api.post(f"/meetings/{mid}/addenda", "staff1", json={"text": "x"}).status_code == 403
    assert api.post(f"/meetings/{mid}/addenda", "wg_chair", json={"text": " "}).status_code == 422
    shown = api.get(f"/meetings/{mid}", "wg_chair").get_json()
    assert [a["number"] for a in shown["addenda"]] == [1, 2]
    assert len(shown["decisions"]) == 1  # the minutes themselves did not change
    text = (
        PdfReader(io.BytesIO(api.get(f"/meetings/{mid}/minutes.pdf", "wg_chair").data))
        .pages[-1]
        .extract_text()
    )
    assert "№ 2 қосымша" in text
    assert [e[2]["number"] for e in audit(api) if e[1] == "meeting.addendum"] == [1, 2]


def test_numbers_run_per_kind_and_year(api: Api) -> None:
    numbers = []
    for kind in ("working_group", "council", "working_group"):
        meeting = call(api, kind=kind)
        attend(api, meeting)
        numbers.append(
            (kind, api.post(f"/meetings/{meeting['id']}/approve", "wg_chair").get_json()["number"])
        )
    assert numbers == [("working_group", 1), ("council", 1), ("working_group", 2)]


def test_the_agenda_is_fixed_once_the_meeting_started(api: Api) -> None:
    started = call(api, starts_at=local(utcnow() - timedelta(hours=1)))
    refused = api.post(f"/meetings/{started['id']}/agenda", "wg_chair", json={"agenda": WG_MEETING["agenda"]})
    assert refused.status_code == 409 and refused.get_json()["error"] == "meeting_started"


def test_a_council_meeting_on_an_incident_is_secret(api: Api) -> None:
    ref = _incident_ref(api)
    meeting = call(
        api,
        kind="council",
        title="Кеңестің кезектен тыс отырысы",
        invited_roles=["council"],
        invitees=[],
        plan_item=28,
        agenda=[{"title": "Инцидентті қарау", "link_kind": "incident", "link_ref": ref}],
    )
    mid = meeting["id"]
    assert api.get(f"/meetings/{mid}", "staff2").status_code == 404  # its existence is secret
    assert api.get(f"/meetings/{mid}/minutes.pdf", "staff2").status_code == 404
    seen = api.get(f"/meetings/{mid}", "council1").get_json()
    assert seen["agenda"][0]["link"]["ref"] == ref
    assert mid not in [m["id"] for m in api.get("/meetings", "staff2").get_json()["meetings"]]

    # A named vote of the council, settled by its quorum rule.
    attend(api, meeting, absent=("council5",))
    named = {
        "council1": "for",
        "council2": "for",
        "council3": "against",
        "council4": "abstain",
        "wg_chair": "for",
    }
    voted = decide(api, mid, seen["agenda"][0]["id"], user="wg_member", vote="named", named_votes=named)
    assert voted.status_code == 201, voted.get_json()
    decision = voted.get_json()["decisions"][0]
    assert (decision["votes_for"], decision["votes_against"], decision["votes_abstain"]) == (3, 1, 1)
    assert decision["quorum"] is True and decision["adopted"] is True
    absent_vote = decide(api, mid, seen["agenda"][0]["id"], vote="named", named_votes={"council5": "for"})
    assert absent_vote.status_code == 422 and "named_votes" in absent_vote.get_json()["fields"]


def _incident_ref(api: Api) -> str:
    """A real incident, reported and escalated through its process; cited as year/number."""
    from service.features.incidents.models import Incident

    iid = report(api, "staff3")
    escalated = triage(api, iid, {"severity": "serious", "decision": "escalate"})
    assert escalated.status_code == 200, escalated.get_json()
    with api.rt.db.session() as session:
        row = session.execute(select(Incident).where(Incident.instance_id == iid)).scalar_one()
        return f"{row.year}/{row.number}"


def test_invalid_input_is_422_per_field_and_nobody_else_calls_council_meetings(api: Api) -> None:
    bad = api.post(
        "/meetings",
        "wg_chair",
        json={
            "kind": "nope",
            "title": "",
            "starts_at": "tomorrow",
            "chair": "ghost",
            "agenda": [{"title": ""}],
        },
    )
    assert bad.status_code == 422
    fields = bad.get_json()["fields"]
    assert {"kind", "title", "starts_at", "place", "agenda.0.title"} <= set(fields), fields
    hidden = api.post(
        "/meetings",
        "wg_chair",
        json={
            **WG_MEETING,
            "starts_at": soon(),
            "agenda": [{"title": "x", "link_kind": "order", "link_ref": "99/Ж"}],
        },
    )
    assert hidden.status_code == 422 and "agenda.0.link_ref" in hidden.get_json()["fields"]
    assert api.post("/meetings", "staff1", json={**WG_MEETING, "starts_at": soon()}).status_code == 403
    class_hour = call(
        api, "staff1", kind="class_hour", chair="staff1", secretary="staff1", invited_roles=[], invitees=[]
    )
    assert class_hour["kind"] == "class_hour"


def test_a_followup_is_done_once_late_ones_are_marked_overdue_and_stay_open(api: Api) -> None:
    meeting = call(api)
    attend(api, meeting)
    follow = [{"assignee": "staff1", "due_on": due(0), "text": "Сынып сағатын өткізу"}]
    body = decide(api, meeting["id"], meeting["agenda"][0]["id"], followups=follow).get_json()
    followup = body["decisions"][0]["followups"][0]
    rows = api.get("/tasks", "staff1").get_json()["campaign_tasks"]
    task = next(r for r in rows if r["kind"] == "meeting_followup")
    # Past its due date the task stays in the inbox (marked overdue there), never closed by the deadline.
    assert end_due_campaigns(api.rt, utcnow().replace(year=utcnow().year + 1)) == 0
    assert api.get("/tasks", "staff1").get_json()["campaign_tasks"][0]["id"] == task["id"]

    assert api.post(f"/campaign-tasks/{task['id']}/respond", "ict", json={}).status_code == 404
    done = api.post(f"/campaign-tasks/{task['id']}/respond", "staff1", json={"data": {"note": "Өткізілді"}})
    assert done.status_code == 200, done.get_json()
    assert api.post(f"/campaign-tasks/{task['id']}/respond", "staff1", json={}).status_code in (404, 409)
    shown = api.get(f"/meetings/{meeting['id']}", "wg_chair").get_json()["decisions"][0]["followups"][0]
    assert shown["id"] == followup["id"] and shown["status"] == "done" and shown["done_at"]
    assert [e[1] for e in audit(api) if e[1].startswith("meeting.followup")] == ["meeting.followup_done"]


def test_the_register_filters_by_kind_year_and_words(api: Api) -> None:
    call(api)
    call(
        api,
        kind="parents",
        title="Ата-аналар жиналысы: ЖИ-ді қауіпсіз пайдалану",
        external_count=40,
        invited_roles=[],
        invitees=["staff2"],
    )
    year = utcnow().year
    listed = api.get(f"/meetings?kind=parents&year={year}", "director").get_json()
    assert listed["total"] == 1 and listed["whole_register"] is True
    assert api.get("/meetings?q=қауіпсіз", "director").get_json()["total"] == 1
    assert api.get(f"/meetings?year={year - 3}", "director").get_json()["total"] == 0
    assert api.get("/meetings?kind=bogus", "director").status_code == 422
    mine = api.get("/meetings", "ict").get_json()
    assert mine["whole_register"] is False and mine["total"] == 1  # invited only to the working group's


def test_a_decision_taken_back_before_approval_withdraws_its_tasks(api: Api) -> None:
    meeting = call(api)
    mid = meeting["id"]
    attend(api, meeting)
    follow = [{"assignee": "staff1", "due_on": due(5), "text": "Қате жазылған тапсырма"}]
    body = decide(api, mid, meeting["agenda"][0]["id"], followups=follow).get_json()
    decision = body["decisions"][0]["id"]
    assert [t["kind"] for t in api.get("/tasks", "staff1").get_json()["campaign_tasks"]] == [
        "meeting_followup"
    ]
    assert (
        api.call("DELETE", f"/meetings/{mid}/decisions/{decision}", "staff1").status_code == 403
    )  # an invitee
    removed = api.call("DELETE", f"/meetings/{mid}/decisions/{decision}", "wg_member")
    assert removed.status_code == 200, removed.get_json()
    assert removed.get_json()["decisions"] == []
    assert api.get("/tasks", "staff1").get_json()["campaign_tasks"] == []  # gone from the inbox
    assert api.call("DELETE", f"/meetings/{mid}/decisions/{decision}", "wg_member").status_code == 404
    kept = decide(api, mid, meeting["agenda"][0]["id"]).get_json()["decisions"][0]["id"]
    assert api.post(f"/meetings/{mid}/approve", "wg_chair").status_code == 200
    assert api.call("DELETE", f"/meetings/{mid}/decisions/{kept}", "wg_member").status_code == 409
    assert [e[1] for e in audit(api) if e[1] == "meeting.decision_removed"] == ["meeting.decision_removed"]


def test_attendance_and_decisions_refuse_what_does_not_hold_with_per_field_422s(api: Api) -> None:
    meeting = call(api)
    mid, item = meeting["id"], meeting["agenda"][0]["id"]
    no_reason = api.post(
        f"/meetings/{mid}/attendance",
        "wg_member",
        json={"attendance": [{"username": "ict", "present": False}]},
    )
    assert no_reason.status_code == 422 and "attendance.0.reason" in no_reason.get_json()["fields"]
    stranger = api.post(
        f"/meetings/{mid}/attendance",
        "wg_member",
        json={"attendance": [{"username": "staff9", "present": True}]},
    )
    assert stranger.status_code == 422 and "attendance.0.username" in stranger.get_json()["fields"]
    assert attend(api, meeting).status_code == 200
    bad = decide(
        api,
        mid,
        item,
        text="",
        vote="counts",
        votes_for="many",
        followups=[{"assignee": "ghost", "due_on": "2000-01-01", "text": ""}],
    )
    assert bad.status_code == 422
    assert {"text", "votes_for", "votes_against", "followups.0.due_on", "followups.0.text"} <= set(
        bad.get_json()["fields"]
    )
    too_many = decide(api, mid, item, vote="counts", votes_for=40, votes_against=0, votes_abstain=0)
    assert too_many.status_code == 422 and "votes_for" in too_many.get_json()["fields"]
    unknown = decide(api, mid, item, followups=[{"assignee": "ghost", "due_on": due(3), "text": "x"}])
    assert unknown.status_code == 422 and "followups.0.assignee" in unknown.get_json()["fields"]
    other_item = decide(api, mid, 999999)
    assert other_item.status_code == 422 and "item_id" in other_item.get_json()["fields"]
    assert api.get(f"/meetings/{mid}", "wg_chair").get_json()["decisions"] == []  # nothing was kept


def test_a_draft_order_linked_by_its_process_is_shown_only_to_those_who_may_see_it(api: Api) -> None:
    draft = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    meeting = call(
        api,
        agenda=[{"title": "Бұйрық жобасын талқылау", "link_kind": "process", "link_ref": str(draft)}],
    )
    link = api.get(f"/meetings/{meeting['id']}", "wg_deputy").get_json()["agenda"][0]["link"]
    assert link["kind"] == "process" and link["ref"] == str(draft)
    assert api.get(f"/meetings/{meeting['id']}", "staff1").get_json()["agenda"][0].get("link") is None
    hidden = api.post(
        "/meetings",
        "staff1",
        json={
            **WG_MEETING,
            "kind": "class_hour",
            "chair": "staff1",
            "secretary": "staff1",
            "starts_at": soon(),
            "agenda": [{"title": "x", "link_kind": "process", "link_ref": str(draft)}],
        },
    )
    assert hidden.status_code == 422 and "agenda.0.link_ref" in hidden.get_json()["fields"]


def test_the_chair_moves_a_meeting_before_it_starts_and_invitees_are_told(api: Api) -> None:
    meeting = call(api)
    mid = meeting["id"]
    later = soon(5)
    moved = api.post(
        f"/meetings/{mid}/reschedule", "wg_chair", json={"starts_at": later, "place": "Акт залы"}
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["place"] == "Акт залы"
    told = notices(api, "staff1", "meeting_rescheduled")
    assert len(told) == 1 and told[0]["where"] == "Акт залы" and told[0]["when"].endswith(later[-5:])
    assert api.post(f"/meetings/{mid}/reschedule", "wg_member", json={"starts_at": later}).status_code == 403
    bad = api.post(f"/meetings/{mid}/reschedule", "wg_chair", json={"starts_at": "", "place": ""})
    assert bad.status_code == 422 and {"starts_at", "place"} <= set(bad.get_json()["fields"])
    started = call(api, starts_at=local(utcnow() - timedelta(hours=1)))
    late = api.post(
        f"/meetings/{started['id']}/reschedule", "wg_chair", json={"starts_at": later, "place": "x"}
    )
    assert late.status_code == 409 and late.get_json()["error"] == "meeting_started"


def test_a_cancelled_meeting_withdraws_its_tasks_and_takes_no_minutes(api: Api) -> None:
    meeting = call(api)
    mid = meeting["id"]
    attend(api, meeting)
    follow = [{"assignee": "staff1", "due_on": due(5), "text": "Болмайтын тапсырма"}]
    assert decide(api, mid, meeting["agenda"][0]["id"], followups=follow).status_code == 201
    assert api.post(f"/meetings/{mid}/cancel", "wg_chair", json={"reason": ""}).status_code == 422
    assert api.post(f"/meetings/{mid}/cancel", "wg_member", json={"reason": "x"}).status_code == 403
    cancelled = api.post(f"/meetings/{mid}/cancel", "wg_chair", json={"reason": "Карантин"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert notices(api, "ict", "meeting_cancelled")[0]["reason"] == "Карантин"
    assert api.get("/tasks", "staff1").get_json()["campaign_tasks"] == []
    followup = cancelled.get_json()["decisions"][0]["followups"][0]
    assert api.get(f"/meetings/{mid}", "wg_chair").get_json()["decisions"][0]["followups"][0]["status"] == (
        "cancelled"
    ), followup
    for refused in (
        api.post(f"/meetings/{mid}/approve", "wg_chair"),
        attend(api, meeting),
        api.post(f"/meetings/{mid}/cancel", "wg_chair", json={"reason": "again"}),
    ):
        assert refused.status_code == 409 and refused.get_json()["error"] == "meeting_cancelled"
    assert [e[1] for e in audit(api) if e[1] == "meeting.cancelled"] == ["meeting.cancelled"]
