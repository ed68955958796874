"""Moving a meeting to another date or place before it starts, and calling it off before its minutes are
approved: the chair does both, the invitees are told, and a cancelled meeting's open tasks are withdrawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.features.meetings import access, rules
from service.features.meetings import queries as mq
from service.features.meetings.errors import MeetingStarted
from service.features.meetings.usecases import audit_event, notice, still_open, when
from service.platform.campaigns import usecases as campaign_cases
from service.platform.clock import utcnow
from service.platform.notify.outbox import notify
from service.platform.runtime import Actor, Runtime


def reschedule(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> None:
    """A new date, time and place, until the meeting starts (then 409 `meeting_started`)."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id, lock=True)
        access.require_chair(actor, meeting)
        still_open(meeting)
        if meeting.starts_at <= utcnow():
            raise MeetingStarted("the meeting has started")
        venue = rules.read_venue(data, rt.tz)
        before = when(rt, meeting)
        meeting.starts_at, meeting.place = venue.starts_at, venue.place
        meeting.online_link = venue.online_link
        meeting.updated_at = utcnow()
        audit_event(session, actor, "rescheduled", meeting, starts_at=venue.starts_at.isoformat())
        agenda = mq.agenda(session, meeting.id)
        users = mq.active_users(session, set(mq.invitees(session, meeting.id)) - {actor.username}).values()
        notify(
            session,
            users,
            "meeting_rescheduled",
            {**notice(rt, meeting, agenda, "meeting_rescheduled"), "before": before},
            mail_enabled=rt.smtp_host is not None,
        )


def cancel(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> None:
    """Call the meeting off with a reason, before its minutes are approved; its open follow-up tasks leave
    the inboxes (their campaigns are closed after the cancellation is saved)."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id, lock=True)
        access.require_chair(actor, meeting)
        still_open(meeting)
        reason = rules.read_text(data, "reason")
        meeting.status = "cancelled"
        meeting.updated_at = utcnow()
        audit_event(session, actor, "cancelled", meeting, reason_length=len(reason))
        users = mq.active_users(session, set(mq.invitees(session, meeting.id)) - {actor.username}).values()
        notify(
            session,
            users,
            "meeting_cancelled",
            {**notice(rt, meeting, [], "meeting_cancelled"), "reason": reason},
            mail_enabled=rt.smtp_host is not None,
        )
        campaigns = [f.campaign_id for f in mq.followups(session, meeting.id) if f.status == "open"]
    for campaign_id in campaigns:
        if campaign_id is not None:
            campaign_cases.end_campaign(rt, campaign_id, "closed", actor.username)
