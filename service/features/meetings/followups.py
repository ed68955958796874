"""Follow-up tasks of decisions: each one a campaign of one person, so it sits in their inbox with its due
date, is marked overdue there when late, and stays until done (the kind does not end at its deadline)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.meetings import access, rules
from service.features.meetings import queries as mq
from service.features.meetings.models import Decision, FollowUp, Meeting
from service.platform.audit import log as audit
from service.platform.campaigns import store
from service.platform.campaigns import usecases as campaign_cases
from service.platform.errors import NotFound
from service.platform.notify.outbox import notify
from service.platform.persistence.models import Campaign, CampaignTask
from service.platform.registry import CampaignEnd, CampaignKind
from service.platform.runtime import Actor, Runtime

KIND = "meeting_followup"


def _due_moment(rt: Runtime, day: date) -> datetime:
    """The end of the due day in the school's time zone: late from the next morning."""
    return datetime.combine(day + timedelta(days=1), time(), rt.tz)


def give(
    rt: Runtime,
    session: Session,
    actor: Actor,
    meeting: Meeting,
    decision: Decision,
    tasks: Sequence[rules.FollowUpData],
) -> int:
    """Open one campaign per task, inside the decision's transaction; the person is also notified."""
    people = mq.active_users(session, [t.assignee for t in tasks])
    for task in tasks:
        row = FollowUp(
            meeting_id=meeting.id,
            decision_id=decision.id,
            assignee=task.assignee,
            due_on=task.due_on,
            text=task.text,
            status="open",
            note="",
        )
        session.add(row)
        session.flush()
        user = people[task.assignee]
        campaign = store.open_campaign(
            session,
            rt.features,
            kind=KIND,
            audience=[user.id],
            title=task.text[:300],
            subject_ref=str(row.id),
            deadline_at=_due_moment(rt, task.due_on),
            opened_by=actor.username,
        )
        row.campaign_id = campaign.id
        notify(
            session,
            [user],
            "meeting_followup",
            {
                "subject": "meeting_followup",
                "meeting": meeting.id,
                "followup": row.id,
                "title": meeting.title,
                "task": task.text,
                "due": task.due_on.strftime("%d.%m.%Y"),
                "path": f"/meetings/followups/{row.id}",
            },
            mail_enabled=rt.smtp_host is not None,
        )
    return len(tasks)


def is_overdue(row: FollowUp, today: date) -> bool:
    return row.status == "open" and row.due_on < today


@dataclass
class FollowUpView:
    followup: FollowUp
    meeting: Meeting
    decision: str
    overdue: bool
    mine: bool  # the actor is the person it was given to (and may mark it done)
    assignee_name: str


def get_followup(rt: Runtime, actor: Actor, followup_id: int, today: date) -> FollowUpView:
    """The person it was given to, and the meeting's readers, see a follow-up; others get 404."""
    with rt.db.session() as session:
        row = session.get(FollowUp, followup_id)
        if row is None:
            raise NotFound("no such task")
        meeting = session.get(Meeting, row.meeting_id)
        assert meeting is not None  # the foreign key holds it
        if row.assignee != actor.username and not access.may_read(session, actor, meeting):
            raise NotFound("no such task")
        decision = session.get(Decision, row.decision_id)
        names = mq.full_names(session, [row.assignee])
        return FollowUpView(
            row,
            meeting,
            decision.text if decision else "",
            is_overdue(row, today),
            row.assignee == actor.username,
            names.get(row.assignee, row.assignee),
        )


def complete(rt: Runtime, actor: Actor, followup_id: int, data: Mapping[str, Any]) -> None:
    """The person marks their task done (once: 409 after); the campaign's end records it on the row."""
    with rt.db.read() as session:
        row = session.get(FollowUp, followup_id)
        if row is None or row.assignee != actor.username or row.campaign_id is None:
            raise NotFound("no such task")
        campaign_id = row.campaign_id
    campaign_cases.respond(rt, actor, campaign_id, data)


def remind(rt: Runtime, actor: Actor, followup_id: int) -> tuple[int, int]:
    """The meeting's chair or secretary reminds the person of an open task (even after the minutes are
    approved: the tasks outlive them); 403 for others, 409 once it is done. (reminded, meeting id)"""
    with rt.db.read() as session:
        row = session.get(FollowUp, followup_id)
        meeting = session.get(Meeting, row.meeting_id) if row is not None else None
        if row is None or meeting is None or row.campaign_id is None:
            raise NotFound("no such task")
        access.readable(session, actor, meeting.id)
        campaign_id, meeting_id = row.campaign_id, meeting.id
    return campaign_cases.remind(rt, actor, campaign_id), meeting_id


def _check_response(
    session: Session, actor: Actor, campaign: Campaign, data: Mapping[str, Any]
) -> Mapping[str, Any]:
    note = rules.read_text(data, "note", required=False)
    return {"note": note} if note else {}


def _on_end(end: CampaignEnd) -> None:
    """Done when the person responded; cancelled when a manager closed it unanswered."""
    row = mq.followup_by_campaign(end.session, end.campaign.id)
    if row is None:
        return
    task = end.session.execute(
        select(CampaignTask).where(CampaignTask.campaign_id == end.campaign.id, CampaignTask.status == "done")
    ).scalar_one_or_none()
    if task is None:
        row.status = "cancelled"
    else:
        row.status, row.done_at = "done", task.responded_at
        row.note = str(json.loads(task.data_json).get("note", "")) if task.data_json else ""
    audit.append(
        end.session,
        end.summary.get("ended_by", "system"),
        "meeting.followup_" + row.status,
        detail={"meeting": row.meeting_id, "followup": row.id, "due_on": row.due_on.isoformat()},
    )


def _may_manage(session: Session, actor: Actor, campaign: Campaign) -> bool:
    """The meeting's chair and secretary may remind the person or close a task no longer needed."""
    row = mq.followup_by_campaign(session, campaign.id)
    meeting = session.get(Meeting, row.meeting_id) if row else None
    return meeting is not None and access.is_editor(actor, meeting)


CAMPAIGN_KIND = CampaignKind(
    titles={
        "kk": "Отырыс тапсырмасы: {title}",
        "ru": "Поручение заседания: {title}",
        "en": "Meeting follow-up: {title}",
    },
    act_at=lambda campaign: ("meetings.followup", {"followup_id": int(campaign.subject_ref or 0)}),
    may_manage=_may_manage,
    on_end=_on_end,
    check_response=_check_response,
    ends_at_deadline=False,
)


@dataclass
class Tracker:
    rows: list[tuple[FollowUp, Meeting]]
    overdue: set[int]
    names: dict[str, str]
    everyone: bool  # all follow-ups (overseers) or the actor's own


def tracker(rt: Runtime, actor: Actor, today: date) -> Tracker:
    everyone = actor.has(*access.OVERSEERS)
    with rt.db.session() as session:
        rows = mq.followups_of(session, None if everyone else actor.username)
        names = mq.full_names(session, [f.assignee for f, _m in rows])
        return Tracker(rows, {f.id for f, _m in rows if is_overdue(f, today)}, names, everyone)
