"""Meetings and minutes: the meeting, its invitees, agenda, attendance, decisions, follow-ups, addenda."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class Meeting(Base):
    """One meeting: planned, then its minutes recorded, then approved by the chair (and frozen)."""

    __tablename__ = "meeting"
    # The minutes' number is unique per kind and year; the counter hands it out, this refuses a repeat.
    __table_args__ = (
        UniqueConstraint("school_id", "kind", "number_year", "number", name="uq_meeting_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # rules.KINDS
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    chair: Mapped[str] = mapped_column(String(80), index=True)  # usernames
    secretary: Mapped[str] = mapped_column(String(80), index=True)
    invited_roles: Mapped[str] = mapped_column(String(300), default="")  # comma-separated role codes
    external_count: Mapped[int | None] = mapped_column(Integer)  # trainings, parents' meetings
    external_list: Mapped[str] = mapped_column(Text, default="")  # one participant a line
    external_present: Mapped[int | None] = mapped_column(Integer)
    plan_item: Mapped[int | None] = mapped_column(Integer)  # the plan item the minutes fulfil
    # planned → approved; the minutes are recorded while planned and frozen once approved.
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    # A council meeting that discusses an incident: its existence is secret (404) to non-readers.
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    number: Mapped[int | None] = mapped_column(Integer)
    number_year: Mapped[int | None] = mapped_column(Integer, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Case-folded title, place and agenda: searched in Python's folding (SQLite's lower() is ASCII-only).
    search_folded: Mapped[str] = mapped_column(Text, default="")


class MeetingInvitee(Base):
    """A person named on the invitation (roles are expanded to their holders when invited)."""

    __tablename__ = "meeting_invitee"
    __table_args__ = (UniqueConstraint("meeting_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(80), index=True)


class AgendaItem(Base):
    """One item of the agenda with what the minutes say of it (heard, spoke)."""

    __tablename__ = "meeting_agenda_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    presenter: Mapped[str] = mapped_column(String(200), default="")  # a name as it goes in the minutes
    # A record the system holds (an evidence kind and its reference), shown to those who may see it.
    link_kind: Mapped[str | None] = mapped_column(String(40))
    link_ref: Mapped[str | None] = mapped_column(String(100))
    heard: Mapped[str] = mapped_column(Text, default="")  # ТЫҢДАЛДЫ
    discussion: Mapped[str] = mapped_column(Text, default="")  # СӨЙЛЕДІ


class Attendance(Base):
    """Whether an invitee came, and why not."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    present: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(300), default="")


class Decision(Base):
    """A resolution (ҚАУЛЫ ЕТТІ) on an agenda item, possibly voted."""

    __tablename__ = "meeting_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("meeting_agenda_item.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    vote: Mapped[str] = mapped_column(String(10), default="none")  # none | counts | named
    votes_for: Mapped[int] = mapped_column(Integer, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, default=0)
    votes_abstain: Mapped[int] = mapped_column(Integer, default=0)
    named_votes: Mapped[str] = mapped_column(Text, default="")  # JSON {username: for|against|abstain}
    quorum: Mapped[bool] = mapped_column(Boolean, default=True)
    adopted: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FollowUp(Base):
    """A task a decision gives one person, tracked to done through a campaign in their inbox."""

    __tablename__ = "meeting_followup"
    __table_args__ = (Index("ix_meeting_followup_assignee_status", "assignee", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("meeting_decision.id", ondelete="CASCADE"))
    assignee: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done | cancelled
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")  # what the person wrote on completing it


class Addendum(Base):
    """A correction of approved minutes: a new numbered addendum, never a change of the minutes."""

    __tablename__ = "meeting_addendum"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
