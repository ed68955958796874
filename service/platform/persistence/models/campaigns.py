"""Campaigns: many people each asked for one response, kept outside the engine, and each one's part."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models.base import Base, UtcDateTime


class Campaign(Base):
    """Many people each asked for one response (an acknowledgement, a survey), kept outside the engine:
    the process, if any, waits on the campaign as one step that the campaign completes once."""

    __tablename__ = "campaign"
    __table_args__ = (Index("ix_campaign_open_deadline", "status", "deadline_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)  # a kind a feature declares
    subject_ref: Mapped[str] = mapped_column(String(100), default="")  # the feature's record ("12")
    title: Mapped[str] = mapped_column(String(300), default="")
    doc_version: Mapped[str] = mapped_column(String(100), default="")  # what people are shown now
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instance.id", ondelete="CASCADE"), index=True
    )
    wait_step: Mapped[str | None] = mapped_column(String(200))  # the BPMN id the process waits at
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done
    outcome: Mapped[str | None] = mapped_column(String(20))  # all_responded | deadline | closed
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(80), default="system")
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(80))
    audience: Mapped[int] = mapped_column(Integer, default=0)  # fixed when it opens
    # Set when the campaign ended (counts and who did not respond), never per-person progress.
    summary_json: Mapped[str | None] = mapped_column(Text)


class CampaignTask(Base):
    """One person's part of a campaign: written once by that person, so responses never queue on one row."""

    __tablename__ = "campaign_task"
    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id"),
        Index("ix_campaign_task_user_status", "user_id", "status", "campaign_id"),
        Index("ix_campaign_task_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | done | missed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    seen_version: Mapped[str | None] = mapped_column(String(100))
    data_json: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
