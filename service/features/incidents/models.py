"""The incident journal: one row per reported incident, its follow-up actions, written by the process."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class Incident(Base):
    """An incident as the journal keeps it; the process instance that handles it may change on reopen."""

    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("school_id", "year", "number", name="uq_incident_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    # The journal number is given at triage: `number` within `year` (shown as "<year>/<number>").
    year: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    reporter: Mapped[str] = mapped_column(String(80), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    incident_type: Mapped[str] = mapped_column(String(40), index=True)
    tool: Mapped[str] = mapped_column(String(300), default="")
    occurred_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    affected: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str | None] = mapped_column(String(71))  # "sha256:<hex>" of a stored file
    # reported → triaged → resolved | voting → decided → follow_up → closed (reopened → triage again)
    status: Mapped[str] = mapped_column(String(20), default="reported", index=True)
    severity: Mapped[str | None] = mapped_column(String(20))
    triaged_by: Mapped[str | None] = mapped_column(String(80))
    corrective_action: Mapped[str | None] = mapped_column(Text)
    vote_opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    vote_json: Mapped[str | None] = mapped_column(Text)  # the tally (counts, quorum, decision)
    decision: Mapped[str | None] = mapped_column(String(40))
    recommendations: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    # restrict_tool / withdraw_tool, to be applied to the register of permitted tools.
    tool_action: Mapped[str | None] = mapped_column(String(20))
    # The restriction the chair wrote for the register (restrict_tool): the only text of the decision
    # every teacher reads. The recommendations and follow-ups stay inside the incident.
    tool_restriction: Mapped[str | None] = mapped_column(Text)
    # Why the chair recorded another decision than the one the vote produced (required then).
    decision_change_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_reason: Mapped[str | None] = mapped_column(Text)


class IncidentFollowUp(Base):
    """One recommendation of the council's decision, assigned to a person with a due date."""

    __tablename__ = "incident_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    assignee: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
