"""Meeting pages in Kazakh: calling a meeting keeps what was typed on 422, the secretary records attendance
and a decision with a follow-up, the chair approves, the register, calendar, follow-ups and exports."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, update

from service.features.meetings import usecases as meetings
from service.features.meetings.followups import KIND
from service.features.meetings.models import FollowUp
from service.features.meetings.queries import agenda
from service.platform.clock import utcnow
from service.platform.persistence.models import Campaign, Notification, User
from service.platform.runtime import Runtime
from tests.conftest import actor_named, csrf_from, login

LATER = (utcnow() + timedelta(days=3, hours=5)).strftime("%Y-%m-%dT10:00")
DUE = (utcnow() + timedelta(days=9)).date().isoformat()


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def call_meeting(chair: FlaskClient) -> str:
    page = chair.get("/meetings/new")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "kind": "working_group",
        "title": "Жұмыс тобының отырысы",
        "starts_at": LATER,
        "place": "210 каб.",
        "chair": "wg_chair",
        "secretary": "wg_member",
        "invitees": ["ict", "staff1"],
        "agenda_title": ["Жоспардың орындалуы", ""],
        "agenda_presenter": ["Ерлан Қайратұлы", ""],
        "agenda_link_kind": ["", ""],
        "agenda_link_ref": ["", ""],
    }
    sent = chair.post("/meetings/new", data=form)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return str(sent.headers["Location"])


def test_the_form_keeps_what_was_typed_on_422(app: Flask, seeded: Runtime) -> None:
    chair = signed_in(app, "wg_chair")
    page = chair.get("/meetings/new").get_data(as_text=True)
    assert "Отырыс шақыру" in page
    sent = chair.post(
        "/meetings/new",
        data={
            "csrf_token": csrf_from(page),
            "kind": "working_group",
            "title": "Менің отырысым",
            "starts_at": "",
            "chair": "wg_chair",
            "secretary": "wg_member",
            "agenda_title": ["Бірінші мәселе"],
            "agenda_presenter": [""],
            "agenda_link_kind": [""],
            "agenda_link_ref": [""],
        },
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert 'value="Менің отырысым"' in html and 'value="Бірінші мәселе"' in html
    assert "Белгіленген өрістерді түзетіңіз." in html
    assert chair.post("/meetings/new", data={"kind": "working_group"}).status_code == 400  # no CSRF token


def test_secretary_records_chair_approves_and_the_register_lists_it(app: Flask, seeded: Runtime) -> None:
    chair = signed_in(app, "wg_chair")
    where = call_meeting(chair)
    mid = int(where.rsplit("/", 1)[1])
    secretary = signed_in(app, "wg_member")
    page = secretary.get(where).get_data(as_text=True)
    assert "Қатысуды сақтау" in page and "Шешімді жазу" in page
    token = csrf_from(page)
    invitees = re.findall(r'name="listed" value="([^"]+)"', page)
    form = {"csrf_token": token, "listed": invitees}
    for u in invitees:
        form[f"present_{u}"] = "no" if u == "staff1" else "yes"
        form[f"reason_{u}"] = "іссапарда" if u == "staff1" else ""
    saved = secretary.post(f"/meetings/{mid}/attendance", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    item = re.search(r'name="item_id" value="(\d+)"', page)
    assert item
    missing = secretary.post(
        f"/meetings/{mid}/decision", data={"csrf_token": token, "item_id": item.group(1), "heard": "Баяндама"}
    )
    assert missing.status_code == 422 and "Баяндама" in missing.get_data(as_text=True)
    decided = secretary.post(
        f"/meetings/{mid}/decision",
        data={
            "csrf_token": token,
            "item_id": item.group(1),
            "heard": "Е. Қайратұлы баяндады.",
            "discussion": "Талқыланды.",
            "text": "Ақпарат назарға алынсын.",
            "vote": "counts",
            "votes_for": "3",
            "votes_against": "0",
            "votes_abstain": "0",
            "followup_assignee": ["staff1", "", ""],
            "followup_due_on": [DUE, "", ""],
            "followup_text": ["Сынып сағатын өткізу", "", ""],
        },
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)
    assert secretary.post(f"/meetings/{mid}/approve", data={"csrf_token": token}).status_code == 403
    approved = chair.post(
        f"/meetings/{mid}/approve", data={"csrf_token": csrf_from(chair.get(where).get_data(as_text=True))}
    )
    assert approved.status_code == 302
    shown = chair.get(where).get_data(as_text=True)
    assert "хаттама бекітілген" in shown and "Хаттама № 1" in shown

    teacher = signed_in(app, "staff1")
    inbox = teacher.get("/inbox").get_data(as_text=True)
    assert "Сынып сағатын өткізу" in inbox
    notices = teacher.get("/notifications").get_data(as_text=True)
    assert "отырысына шақырылдыңыз" in notices and "Жоспардың орындалуы" in notices  # with the agenda
    assert "Отырыстан сізге тапсырма, мерзімі" in notices
    followups = teacher.get("/meetings/followups").get_data(as_text=True)
    link = re.search(r'href="(/meetings/followups/\d+)"', followups)
    assert link
    task_page = teacher.get(link.group(1)).get_data(as_text=True)
    done = teacher.post(link.group(1), data={"csrf_token": csrf_from(task_page), "note": "Өтті"})
    assert done.status_code == 302
    status = re.search(
        r'data-testid="followup-status">([^<(]+)', teacher.get(link.group(1)).get_data(as_text=True)
    )
    assert status and status.group(1).strip() == "орындалды"

    register = chair.get("/meetings?kind=working_group").get_data(as_text=True)
    assert "Жұмыс тобының отырысы" in register and "Отырыстар тізілімі" in register
    day = date.fromisoformat(LATER[:10])
    quarter = (day.month - 1) // 3 + 1
    calendar = chair.get(f"/meetings/calendar?year={day.year}&quarter={quarter}").get_data(as_text=True)
    assert f"{day.year} жылғы {quarter}-тоқсанның отырыстары" in calendar
    assert f'href="/meetings/{mid}"' in calendar and "Жұмыс тобының отырысы" in calendar
    other = chair.get(f"/meetings/calendar?year={day.year - 1}&quarter={quarter}").get_data(as_text=True)
    assert f'href="/meetings/{mid}"' not in other
    xlsx = chair.get("/meetings/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None and sheet.max_row == 2
    csv = chair.get("/meetings/export.csv").get_data(as_text=True)
    assert "Жұмыс тобының отырысы" in csv
    assert signed_in(app, "staff2").get(where).status_code == 403


def test_a_late_follow_up_is_marked_overdue_in_the_tracker_the_meeting_and_the_inbox(
    app: Flask, seeded: Runtime
) -> None:
    chair = signed_in(app, "wg_chair")
    mid = int(call_meeting(chair).rsplit("/", 1)[1])
    secretary = actor_named(seeded, "wg_member")
    present = {"attendance": [{"username": "wg_chair", "present": True}]}
    meetings.record_attendance(seeded, secretary, mid, present)
    with seeded.db.session() as session:
        item_id = agenda(session, mid)[0].id
    follow = [{"assignee": "staff1", "due_on": DUE, "text": "Кешіккен тапсырма"}]
    decision = {"item_id": item_id, "text": "Шешім", "followups": follow}
    meetings.record_decision(seeded, secretary, mid, decision)
    past = utcnow() - timedelta(days=2)
    with seeded.db.session() as session:  # the due date has passed
        session.execute(update(FollowUp).values(due_on=past.date()))
        session.execute(update(Campaign).where(Campaign.kind == KIND).values(deadline_at=past))
    teacher = signed_in(app, "staff1")
    tracker = teacher.get("/meetings/followups").get_data(as_text=True)
    assert 'class="overdue"' in tracker and "tag-overdue" in tracker
    assert "tag-overdue" in chair.get(f"/meetings/{mid}").get_data(as_text=True)
    inbox = teacher.get("/inbox").get_data(as_text=True)
    assert "Кешіккен тапсырма" in inbox and "tag-overdue" in inbox


def test_the_chair_changes_the_agenda_on_the_page_and_invitees_are_told(app: Flask, seeded: Runtime) -> None:
    chair = signed_in(app, "wg_chair")
    where = call_meeting(chair)
    mid = int(where.rsplit("/", 1)[1])
    page = chair.get(where).get_data(as_text=True)
    assert "Күн тәртібін өзгерту" in page
    rows = {
        "agenda_title": ["Жоспардың орындалуы", "Жаңа мәселе: ата-аналар жиналысы", ""],
        "agenda_presenter": ["Ерлан Қайратұлы", "", ""],
        "agenda_link_kind": ["", "", ""],
        "agenda_link_ref": ["", "", ""],
    }
    bad = chair.post(
        f"/meetings/{mid}/agenda",
        data={**rows, "agenda_link_kind": ["", "order", ""], "csrf_token": csrf_from(page)},
    )
    assert bad.status_code == 422 and 'value="Жаңа мәселе: ата-аналар жиналысы"' in bad.get_data(as_text=True)
    changed = chair.post(f"/meetings/{mid}/agenda", data={**rows, "csrf_token": csrf_from(page)})
    assert changed.status_code == 302
    assert "Жаңа мәселе: ата-аналар жиналысы" in chair.get(where).get_data(as_text=True)
    notices = signed_in(app, "staff1").get("/notifications").get_data(as_text=True)
    assert "күн тәртібі өзгерді" in notices and "Жаңа мәселе: ата-аналар жиналысы" in notices
    secretary = signed_in(app, "wg_member")
    token = csrf_from(secretary.get(where).get_data(as_text=True))
    assert "Күн тәртібін өзгерту" not in secretary.get(where).get_data(as_text=True)
    refused = secretary.post(f"/meetings/{mid}/agenda", data={**rows, "csrf_token": token})
    assert refused.status_code == 403  # the chair sets the agenda


def test_the_secretary_reminds_a_person_of_an_open_task_even_after_approval(
    app: Flask, seeded: Runtime
) -> None:
    chair = signed_in(app, "wg_chair")
    where = call_meeting(chair)
    mid = int(where.rsplit("/", 1)[1])
    secretary = actor_named(seeded, "wg_member")
    meetings.record_attendance(
        seeded, secretary, mid, {"attendance": [{"username": "wg_chair", "present": True}]}
    )
    with seeded.db.session() as session:
        item_id = agenda(session, mid)[0].id
    follow = [{"assignee": "staff1", "due_on": DUE, "text": "Еске салынатын тапсырма"}]
    meetings.record_decision(seeded, secretary, mid, {"item_id": item_id, "text": "Ш", "followups": follow})
    meetings.approve(seeded, actor_named(seeded, "wg_chair"), mid)
    page_client = signed_in(app, "wg_member")
    page = page_client.get(where).get_data(as_text=True)
    link = re.search(r'action="(/meetings/followups/\d+/remind)"', page)
    assert link, "the secretary sees the reminder button on approved minutes"
    sent = page_client.post(link.group(1), data={"csrf_token": csrf_from(page)})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(where.rsplit("/", 1)[1])
    with seeded.db.session() as session:
        reminders = (
            session.execute(
                select(Notification.body)
                .join(User, User.id == Notification.user_id)
                .where(User.username == "staff1", Notification.kind == "reminder")
            )
            .scalars()
            .all()
        )
    assert len(reminders) == 1 and "Еске салынатын тапсырма" in reminders[0]
    invitee = signed_in(app, "ict")
    token = csrf_from(invitee.get(where).get_data(as_text=True))
    assert "remind-followup" not in invitee.get(where).get_data(as_text=True)
    assert invitee.post(link.group(1), data={"csrf_token": token}).status_code == 403


def test_the_chair_moves_then_cancels_the_meeting_on_its_page(app: Flask, seeded: Runtime) -> None:
    chair = signed_in(app, "wg_chair")
    where = call_meeting(chair)
    mid = int(where.rsplit("/", 1)[1])
    page = chair.get(where).get_data(as_text=True)
    assert "Отырысты ауыстыру" in page and "Отырысты тоқтату" in page
    assert f'value="{LATER}"' in page  # the current date and time, as the school reads it
    token = csrf_from(page)
    bad = chair.post(
        f"/meetings/{mid}/reschedule", data={"csrf_token": token, "starts_at": "", "place": "Зал"}
    )
    assert bad.status_code == 422 and 'value="Зал"' in bad.get_data(as_text=True)
    moved = chair.post(
        f"/meetings/{mid}/reschedule", data={"csrf_token": token, "starts_at": LATER, "place": "Зал"}
    )
    assert moved.status_code == 302 and "Зал" in chair.get(where).get_data(as_text=True)
    gone = chair.post(f"/meetings/{mid}/cancel", data={"csrf_token": token, "reason": "Карантин"})
    assert gone.status_code == 302
    shown = chair.get(where).get_data(as_text=True)
    assert "отырыс тоқтатылды" in shown and "Отырысты тоқтату" not in shown and "Шешімді жазу" not in shown
    notices = signed_in(app, "staff1").get("/notifications").get_data(as_text=True)
    assert "отырысы болмайды" in notices and "Карантин" in notices and "уақытына ауыстырылды" in notices
