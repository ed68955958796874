"""The school's yearly plan: its stages and items, each item's completion mark and the marks' history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, User, UtcDateTime


class SchoolPlan(Base):
    """One plan per school year (`school_year` is the year it starts in: 2025 for 2025-2026)."""

    __tablename__ = "school_plan"
    __table_args__ = (UniqueConstraint("school_id", "school_year", name="uq_school_plan_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer)  # one plan per school and year
    title: Mapped[str] = mapped_column(Text)
    approval: Mapped[str] = mapped_column(Text, default="")  # the "Бекітемін" lines as written
    topic: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PlanStage(Base):
    __tablename__ = "plan_stage"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("school_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))


class PlanItem(Base):
    """One activity with its current completion mark; the row is locked while it is marked or unmarked."""

    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        # The region's completion figure counts items per stage and done from the index alone (0023).
        Index("ix_plan_item_region", "plan_id", "stage", "done_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("school_plan.id", ondelete="CASCADE"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # order in the document
    number: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(Text)
    roles: Mapped[str] = mapped_column(String(200))  # role codes, comma-separated
    participants: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[str] = mapped_column(String(100))
    deadline_kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    # The completion mark ("орындау туралы белгі"): empty while the item is open.
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    done_comment: Mapped[str] = mapped_column(Text, default="")
    evidence_kind: Mapped[str | None] = mapped_column(String(20))
    evidence_ref: Mapped[str | None] = mapped_column(String(100))

    done_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def role_codes(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]


class PlanMark(Base):
    """Every mark and unmark of an item, never changed afterwards."""

    __tablename__ = "plan_mark"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # mark | unmark
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    comment: Mapped[str] = mapped_column(Text, default="")  # the comment of a mark, the reason of an unmark
    evidence_kind: Mapped[str | None] = mapped_column(String(20))
    evidence_ref: Mapped[str | None] = mapped_column(String(100))

    user: Mapped[User | None] = relationship(lazy="joined")
