"""Use cases of meetings: call one, change its agenda, record attendance and decisions, approve, correct.

Each is one transaction: it locks the meeting row first (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE),
checks who may act there, and ends with its audit event, so two secretaries typing at once never
interleave and an approval never races an edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.features.meetings import access, links, rules
from service.features.meetings import followups as followup_cases
from service.features.meetings import queries as mq
from service.features.meetings.documents import minutes_pdf
from service.features.meetings.errors import (
    MeetingCancelled,
    MeetingStarted,
    MinutesApproved,
    MinutesIncomplete,
    MinutesNotApproved,
)
from service.features.meetings.minutes import minutes_document
from service.features.meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    FollowUp,
    Meeting,
    MeetingInvitee,
)
from service.platform.audit import log as audit
from service.platform.campaigns import usecases as campaign_cases
from service.platform.clock import utcnow
from service.platform.errors import FieldError, NotFound
from service.platform.inbox import queries as inbox_queries
from service.platform.notify.outbox import notify
from service.platform.persistence.locks import next_value
from service.platform.roles import ROLE_CODES
from service.platform.runtime import Actor, Runtime


def today(rt: Runtime) -> date:
    return datetime.now(rt.tz).date()


def local_year(rt: Runtime, moment: datetime) -> int:
    return moment.astimezone(rt.tz).year


def audit_event(session: Session, actor: Actor, action: str, meeting: Meeting, **detail: Any) -> None:
    audit.append(
        session,
        actor.username,
        f"meeting.{action}",
        detail={"meeting": meeting.id, "kind": meeting.kind, **detail},
    )


def _check_links(
    session: Session, rt: Runtime, actor: Actor, lines: Sequence[rules.AgendaLine]
) -> tuple[dict[str, FieldError], list[rules.AgendaLine], bool]:
    """Each linked record must be one the person setting the agenda may see (stored normalized); the flag
    says whether any of them is private (an incident), which makes a council meeting secret."""
    errors: dict[str, FieldError] = {}
    normalized: list[rules.AgendaLine] = []
    private = False
    for n, line in enumerate(lines):
        if line.link_kind is None or line.link_ref is None:
            normalized.append(line)
            continue
        found = links.resolve(rt, session, actor, line.link_kind, line.link_ref)
        if found is None or found.evidence.ref is None:
            errors[f"agenda.{n}.link_ref"] = FieldError("evidence_not_found")
            normalized.append(line)
        else:
            private = private or found.private
            normalized.append(
                rules.AgendaLine(line.title, line.presenter, line.link_kind, found.evidence.ref)
            )
    return errors, normalized, private


def _people_problems(session: Session, parsed: rules.MeetingData) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    known = mq.active_users(session, [parsed.chair, parsed.secretary, *parsed.invitees])
    for name in ("chair", "secretary"):
        if getattr(parsed, name) not in known:
            errors[name] = FieldError("unknown_user")
    if any(u not in known for u in parsed.invitees):
        errors["invitees"] = FieldError("unknown_user")
    return errors


def when(rt: Runtime, meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(rt.tz).strftime("%d.%m.%Y %H:%M")


def notice(rt: Runtime, meeting: Meeting, agenda: Sequence[AgendaItem], subject: str) -> dict[str, Any]:
    return {
        "subject": subject,
        "meeting": meeting.id,
        "title": meeting.title,
        "when": when(rt, meeting),
        "where": meeting.place or meeting.online_link,
        "agenda": [item.title for item in agenda],
        "path": f"/meetings/{meeting.id}",
    }


def _set_agenda(
    session: Session, meeting: Meeting, lines: Sequence[rules.AgendaLine], private: bool
) -> list[AgendaItem]:
    """Replace the agenda (only before the meeting starts, so nothing recorded refers to old items)."""
    session.execute(delete(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    items = [
        AgendaItem(
            meeting_id=meeting.id,
            position=n,
            title=line.title,
            presenter=line.presenter,
            link_kind=line.link_kind,
            link_ref=line.link_ref,
            heard="",
            discussion="",
        )
        for n, line in enumerate(lines, start=1)
    ]
    session.add_all(items)
    # A council meeting on an incident is as private as the incident itself.
    meeting.secret = meeting.kind == "council" and private
    meeting.search_folded = rules.fold(meeting.title, meeting.place, *(line.title for line in lines))
    meeting.updated_at = utcnow()
    session.flush()
    return items


def create_meeting(rt: Runtime, actor: Actor, data: Mapping[str, Any]) -> int:
    """Call a meeting: its invitees (named, and every holder of the invited roles) are notified at once."""
    kind = str(data.get("kind") or "")
    if kind in rules.KINDS:  # refused before the form is read: a 422 would tell them to retry
        access.require_creator(actor, kind)
    with rt.db.session() as session:
        holder: dict[str, Any] = {}

        def check(parsed: rules.MeetingData) -> dict[str, FieldError]:
            errors = _people_problems(session, parsed)
            link_errors, holder["agenda"], holder["private"] = _check_links(session, rt, actor, parsed.agenda)
            return {**errors, **link_errors}

        parsed = rules.read_meeting(
            data, rt.tz, sources=links.kinds(rt), roles=tuple(ROLE_CODES), check=check
        )
        access.require_creator(actor, parsed.kind)
        meeting = Meeting(
            kind=parsed.kind,
            title=parsed.title,
            starts_at=parsed.starts_at,
            place=parsed.place,
            online_link=parsed.online_link,
            chair=parsed.chair,
            secretary=parsed.secretary,
            invited_roles=",".join(parsed.invited_roles),
            external_count=parsed.external_count,
            external_list=parsed.external_list,
            plan_item=parsed.plan_item,
            status="planned",
            secret=False,
            created_by=actor.username,
            search_folded="",
        )
        session.add(meeting)
        session.flush()
        agenda = _set_agenda(session, meeting, holder["agenda"], holder["private"])
        people = set(parsed.invitees) | {parsed.chair, parsed.secretary}
        for role in parsed.invited_roles:
            people.update(u.username for u in inbox_queries.users_with_role(session, role) if u.is_active)
        session.add_all(MeetingInvitee(meeting_id=meeting.id, username=u) for u in sorted(people))
        audit_event(session, actor, "created", meeting, invitees=len(people), items=len(agenda))
        users = mq.active_users(session, people - {actor.username}).values()
        notify(
            session,
            users,
            "meeting_invited",
            notice(rt, meeting, agenda, "meeting_invited"),
            mail_enabled=rt.smtp_host is not None,
        )
        return meeting.id


def still_open(meeting: Meeting) -> None:
    """Minutes are recorded only while the meeting is neither approved (409) nor cancelled (409)."""
    if meeting.status == "approved":
        raise MinutesApproved("the minutes are approved; add an addendum instead")
    if meeting.status == "cancelled":
        raise MeetingCancelled("the meeting was cancelled")


def _editable(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    meeting = access.readable(session, actor, meeting_id, lock=True)
    access.require_editor(actor, meeting)
    still_open(meeting)
    return meeting


def change_agenda(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> None:
    """The chair changes the agenda until the meeting starts; the invitees are told of the new one."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id, lock=True)
        access.require_chair(actor, meeting)
        still_open(meeting)
        if meeting.starts_at <= utcnow():
            raise MeetingStarted("the meeting has started; the agenda no longer changes")
        holder: dict[str, Any] = {}

        def check(lines: tuple[rules.AgendaLine, ...]) -> dict[str, FieldError]:
            errors, holder["agenda"], holder["private"] = _check_links(session, rt, actor, lines)
            return errors

        rules.read_agenda_change(data, links.kinds(rt), check)
        agenda = _set_agenda(session, meeting, holder["agenda"], holder["private"])
        audit_event(session, actor, "agenda_changed", meeting, items=len(agenda))
        users = mq.active_users(session, set(mq.invitees(session, meeting.id)) - {actor.username}).values()
        notify(
            session,
            users,
            "meeting_agenda_changed",
            notice(rt, meeting, agenda, "meeting_agenda_changed"),
            mail_enabled=rt.smtp_host is not None,
        )


def record_attendance(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> None:
    """The secretary records who was present and who was absent (with a reason); it replaces the last."""
    with rt.db.session() as session:
        meeting = _editable(session, actor, meeting_id)
        listed = mq.invitees(session, meeting.id)
        rows, external_present = rules.read_attendance(data, listed, meeting.kind in rules.EXTERNAL_KINDS)
        session.execute(delete(Attendance).where(Attendance.meeting_id == meeting.id))
        session.add_all(
            Attendance(meeting_id=meeting.id, username=r.username, present=r.present, reason=r.reason)
            for r in rows
        )
        meeting.external_present = external_present
        meeting.updated_at = utcnow()
        present = sum(1 for r in rows if r.present)
        audit_event(session, actor, "attendance", meeting, present=present, absent=len(rows) - present)


def record_decision(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> int:
    """The secretary records, for one agenda item, what was heard and said and one resolution (a vote
    by counts, or named for the council, settled by the quorum rule) with its follow-up tasks."""
    with rt.db.session() as session:
        meeting = _editable(session, actor, meeting_id)
        items = {item.id: item for item in mq.agenda(session, meeting.id)}
        attendance = mq.attendance(session, meeting.id)
        present = {a.username for a in attendance if a.present}

        def check(parsed: rules.DecisionData) -> dict[str, FieldError]:
            errors: dict[str, FieldError] = {}
            if parsed.item_id not in items:
                errors["item_id"] = FieldError("enum")
            if parsed.vote == "named" and any(u not in present for u in parsed.named):
                errors["named_votes"] = FieldError("not_present")
            if (
                parsed.vote == "counts"
                and attendance
                and sum((parsed.votes_for, parsed.votes_against, parsed.votes_abstain))
                > len(present) + (meeting.external_present or 0)
            ):
                errors["votes_for"] = FieldError("too_many_votes")
            known = mq.active_users(session, [f.assignee for f in parsed.followups])
            for n, f in enumerate(parsed.followups):
                if f.assignee not in known:
                    errors[f"followups.{n}.assignee"] = FieldError("unknown_user")
            return errors

        parsed = rules.read_decision(data, today(rt), check=check)
        item = items[parsed.item_id]
        if parsed.heard is not None:
            item.heard = parsed.heard
        if parsed.discussion is not None:
            item.discussion = parsed.discussion
        entitled = len(attendance)
        if parsed.vote == "named":
            entitled = len(inbox_queries.users_with_role(session, "council")) or len(attendance)
        outcome = (
            rules.settle(parsed.votes_for, parsed.votes_against, parsed.votes_abstain, entitled)
            if parsed.vote != "none"
            else rules.Outcome(True, True)
        )
        position = 1 + sum(1 for d in mq.decisions(session, meeting.id) if d.item_id == item.id)
        decision = Decision(
            meeting_id=meeting.id,
            item_id=item.id,
            position=position,
            text=parsed.text,
            vote=parsed.vote,
            votes_for=parsed.votes_for,
            votes_against=parsed.votes_against,
            votes_abstain=parsed.votes_abstain,
            named_votes=json.dumps(parsed.named, ensure_ascii=False) if parsed.named else "",
            quorum=outcome.quorum,
            adopted=outcome.adopted,
        )
        session.add(decision)
        session.flush()
        # Only an adopted resolution gives anyone work to do.
        given = (
            followup_cases.give(rt, session, actor, meeting, decision, parsed.followups)
            if outcome.adopted
            else 0
        )
        meeting.updated_at = utcnow()
        audit_event(
            session,
            actor,
            "decision",
            meeting,
            decision=decision.id,
            item=item.position,
            vote=parsed.vote,
            adopted=outcome.adopted,
            followups=given,
        )
        return decision.id


def approve(rt: Runtime, actor: Actor, meeting_id: int) -> int:
    """The chair approves the minutes: they get their number (per kind and year, from a locked counter)
    and are frozen; the audit event carries the SHA-256 of the approved PDF."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id, lock=True)
        access.require_chair(actor, meeting)
        still_open(meeting)
        if not mq.attendance(session, meeting.id):
            raise MinutesIncomplete("record the attendance first")
        year = local_year(rt, meeting.starts_at)
        meeting.number = next_value(session, f"meeting:{meeting.kind}:{year}")
        meeting.number_year = year
        meeting.status = "approved"
        meeting.approved_at = utcnow()
        meeting.approved_by = actor.username
        meeting.updated_at = meeting.approved_at
        session.flush()
        digest = hashlib.sha256(minutes_pdf(minutes_document(rt, session, meeting))).hexdigest()
        audit_event(session, actor, "approved", meeting, number=meeting.number, year=year, sha256=digest)
        return meeting.number


def add_addendum(rt: Runtime, actor: Actor, meeting_id: int, data: Mapping[str, Any]) -> int:
    """A correction of approved minutes by the chair or the secretary: the next addendum's number."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id, lock=True)
        access.require_editor(actor, meeting)
        if meeting.status != "approved":
            raise MinutesNotApproved("the minutes are not approved yet: edit them instead")
        text = rules.read_text(data, "text")
        # Numbered under the meeting's lock, so two corrections at once get 1 and 2.
        number = 1 + max((a.number for a in mq.addenda(session, meeting.id)), default=0)
        session.add(Addendum(meeting_id=meeting.id, number=number, text=text, created_by=actor.username))
        session.flush()
        audit_event(
            session,
            actor,
            "addendum",
            meeting,
            number=number,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
        return number


def day_bounds(rt: Runtime, first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    """Local days as UTC moments: [first 00:00, last_exclusive 00:00) in the school's time zone."""
    return (
        datetime.combine(first, time(), rt.tz),
        datetime.combine(last_exclusive, time(), rt.tz),
    )


def year_bounds(rt: Runtime, year: int) -> tuple[datetime, datetime]:
    return day_bounds(rt, date(year, 1, 1), date(year + 1, 1, 1))


def end_of_day(rt: Runtime, day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), rt.tz)


def remove_decision(rt: Runtime, actor: Actor, meeting_id: int, decision_id: int) -> None:
    """Take back a resolution recorded by mistake, before approval: its follow-up tasks leave the inboxes
    first (their campaigns are closed, which marks them cancelled), then the resolution is deleted."""
    with rt.db.session() as session:
        meeting = _editable(session, actor, meeting_id)
        decision = session.get(Decision, decision_id)
        if decision is None or decision.meeting_id != meeting.id:
            raise NotFound("no such decision")
        campaigns = [f.campaign_id for f in mq.followups(session, meeting.id) if f.decision_id == decision_id]
    for campaign_id in campaigns:
        if campaign_id is not None:
            campaign_cases.end_campaign(rt, campaign_id, "closed", actor.username)
    with rt.db.session() as session:
        meeting = _editable(session, actor, meeting_id)  # approved meanwhile: 409, nothing deleted
        session.execute(delete(FollowUp).where(FollowUp.decision_id == decision_id))
        session.execute(delete(Decision).where(Decision.id == decision_id, Decision.meeting_id == meeting.id))
        meeting.updated_at = utcnow()
        detail = {"decision": decision_id, "followups": len(campaigns)}
        audit_event(session, actor, "decision_removed", meeting, **detail)
