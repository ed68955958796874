"""The consultations journal (plan item 22): requests for a consultation and the consultations held."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class Consultation(Base):
    """One consultation: requested by a staff member (or recorded as a walk-in), then held or cancelled."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The staff member consulted (a username); they see their own rows, the journal's readers see all.
    staff_member: Mapped[str] = mapped_column(String(80), index=True)
    topic: Mapped[str] = mapped_column(String(300))
    duty: Mapped[str] = mapped_column(String(300), default="")  # their duty or subject area
    preferred_on: Mapped[date | None] = mapped_column(Date)
    request_note: Mapped[str] = mapped_column(Text, default="")
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # requested → scheduled → held, or cancelled (with a reason) before it is held.
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    scheduled_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date, index=True)
    advice: Mapped[str | None] = mapped_column(Text)
    material: Mapped[str | None] = mapped_column(String(71))  # "sha256:<hex>" of a stored file
    tool_id: Mapped[int | None] = mapped_column(ForeignKey("ai_tool.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(80))
    # Case-folded topic, duty and advice: searched in Python's folding (SQLite's lower() is ASCII-only).
    search_folded: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
