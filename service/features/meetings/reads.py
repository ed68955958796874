"""Reading meetings: the register page, one meeting with what its reader may see, the quarter's calendar,
and the minutes as files."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from service.features.meetings import access, links, rules
from service.features.meetings import queries as mq
from service.features.meetings.documents import minutes_docx, minutes_pdf
from service.features.meetings.followups import is_overdue
from service.features.meetings.minutes import minutes_document
from service.features.meetings.models import AgendaItem, Attendance, Decision, FollowUp, Meeting
from service.features.meetings.queries import MeetingFilter
from service.platform.campaigns import store
from service.platform.documents.files import DOCX_TYPE, ProducedFile
from service.platform.errors import FieldError, ValidationFailed
from service.platform.registry import Evidence
from service.platform.runtime import Actor, Runtime


@dataclass
class RegisterPage:
    rows: list[Meeting]
    total: int
    names: dict[str, str]
    everything: bool  # the whole register (overseers) or the reader's own meetings


def check_filter(flt: MeetingFilter) -> None:
    if flt.kind and flt.kind not in rules.KINDS:
        raise ValidationFailed({"kind": FieldError("enum")})


def with_year(rt: Runtime, flt: MeetingFilter) -> MeetingFilter:
    if flt.year is None:
        return flt
    since, until = (
        datetime.combine(date(y, 1, 1), datetime.min.time(), rt.tz) for y in (flt.year, flt.year + 1)
    )
    return MeetingFilter(flt.kind, flt.year, flt.search, since, until, flt.limit, flt.offset)


def list_meetings(rt: Runtime, actor: Actor, flt: MeetingFilter) -> RegisterPage:
    check_filter(flt)
    everything = actor.has(*access.OVERSEERS)
    with rt.db.session() as session:
        rows, total = mq.list_meetings(
            session, with_year(rt, flt), reader=None if everything else actor.username
        )
        names = mq.full_names(session, [u for m in rows for u in (m.chair, m.secretary)])
        return RegisterPage(rows, total, names, everything)


@dataclass
class LinkedDoc:
    kind_name: str
    evidence: Evidence
    # The acknowledgement campaign of a linked act edition: (responded, audience) when there is one.
    acknowledged: tuple[int, int] | None = None


@dataclass
class ItemView:
    item: AgendaItem
    link: LinkedDoc | None  # None also when the reader may not see the linked document
    decisions: list[Decision]


@dataclass
class MeetingView:
    meeting: Meeting
    names: dict[str, str]
    invitees: list[str]
    items: list[ItemView]
    attendance: list[Attendance]
    followups: dict[int, list[FollowUp]]  # by decision id
    overdue: set[int]
    addenda: list[Any]
    named_votes: dict[int, dict[str, str]]
    may_edit: bool
    may_remind: bool  # chair or secretary: remind people of their open follow-ups, before or after approval
    may_approve: bool
    agenda_open: bool  # the chair may still change the agenda, the date and the place
    may_cancel: bool
    started: bool
    roles: list[str] = field(default_factory=list)


def _link(session: Session, rt: Runtime, actor: Actor, item: AgendaItem) -> LinkedDoc | None:
    if not item.link_kind or not item.link_ref:
        return None
    found = links.resolve(rt, session, actor, item.link_kind, item.link_ref)
    if found is None:
        return None  # hidden and missing look the same
    names = links.kinds(rt).get(item.link_kind, {})
    acknowledged = None
    if item.link_kind == rules.ACT_EDITION and found.evidence.ref:
        campaigns = store.campaigns_of(session, kind=rules.ACT_ACK_KIND, subject_ref=found.evidence.ref)
        if campaigns:
            progress = store.progress(session, campaigns[0])
            acknowledged = (progress.responded, progress.audience)
    name = names.get(actor.language) or names.get("kk") or item.link_kind
    return LinkedDoc(name, found.evidence, acknowledged)


def get_meeting(rt: Runtime, actor: Actor, meeting_id: int, now: datetime, today: date) -> MeetingView:
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id)
        invitees = mq.invitees(session, meeting.id)
        decisions = mq.decisions(session, meeting.id)
        followups = mq.followups(session, meeting.id)
        attendance = mq.attendance(session, meeting.id)
        named = {d.id: json.loads(d.named_votes) for d in decisions if d.named_votes}
        names = mq.full_names(
            session,
            [meeting.chair, meeting.secretary, *invitees, *(f.assignee for f in followups)]
            + [u for votes in named.values() for u in votes],
        )
        by_decision: dict[int, list[FollowUp]] = {}
        for f in followups:
            by_decision.setdefault(f.decision_id, []).append(f)
        items = [
            ItemView(item, _link(session, rt, actor, item), [d for d in decisions if d.item_id == item.id])
            for item in mq.agenda(session, meeting.id)
        ]
        editor = access.is_editor(actor, meeting)
        open_ = meeting.status == "planned"
        started = meeting.starts_at <= now
        return MeetingView(
            meeting=meeting,
            names=names,
            invitees=invitees,
            items=items,
            attendance=attendance,
            followups=by_decision,
            overdue={f.id for f in followups if is_overdue(f, today)},
            addenda=mq.addenda(session, meeting.id),
            named_votes=named,
            may_edit=editor and open_,
            may_remind=editor,
            may_approve=actor.username == meeting.chair and open_,
            agenda_open=actor.username == meeting.chair and open_ and not started,
            may_cancel=actor.username == meeting.chair and open_,
            started=started,
            roles=[r for r in meeting.invited_roles.split(",") if r],
        )


def people(rt: Runtime, actor: Actor) -> list[tuple[str, str]]:
    """Whom a meeting's form may name (any signed-in person may see the staff list)."""
    with rt.db.session() as session:
        return mq.people(session)


def _filename(meeting: Meeting, ext: str) -> str:
    number = f" № {meeting.number}" if meeting.number else ""
    return f"Хаттама{number} {meeting.starts_at.date().isoformat()}.{ext}"


def minutes_file(rt: Runtime, actor: Actor, meeting_id: int, fmt: str) -> ProducedFile:
    """The minutes (a draft until approved) for the meeting's readers, as PDF or DOCX."""
    with rt.db.session() as session:
        meeting = access.readable(session, actor, meeting_id)
        doc = minutes_document(rt, session, meeting)
        if fmt == "docx":
            return ProducedFile(_filename(meeting, "docx"), minutes_docx(doc), DOCX_TYPE)
        return ProducedFile(_filename(meeting, "pdf"), minutes_pdf(doc), "application/pdf")


@dataclass
class Month:
    first: date
    weeks: list[list[date | None]]
    meetings: dict[date, list[Meeting]]


def quarter_calendar(rt: Runtime, actor: Actor, year: int, quarter: int) -> list[Month]:
    """The three months of a quarter as week rows (Monday first), with the reader's meetings by day."""
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationFailed({"quarter": FieldError("enum")})
    months = rules.quarter_months(year, quarter)
    end = date(year + 1, 1, 1) if quarter == 4 else rules.quarter_months(year, quarter + 1)[0]
    since = datetime.combine(months[0], datetime.min.time(), rt.tz)
    until = datetime.combine(end, datetime.min.time(), rt.tz)
    everything = actor.has(*access.OVERSEERS)
    with rt.db.session() as session:
        rows, _total = mq.list_meetings(
            session,
            MeetingFilter(since=since, until=until, limit=1000),
            reader=None if everything else actor.username,
        )
    by_day: dict[date, list[Meeting]] = {}
    for m in sorted(rows, key=lambda m: m.starts_at):
        by_day.setdefault(m.starts_at.astimezone(rt.tz).date(), []).append(m)
    out = []
    for first in months:
        weeks = [
            [d if d.month == first.month else None for d in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        ]
        out.append(Month(first, weeks, {d: v for d, v in by_day.items() if d.month == first.month}))
    return out
