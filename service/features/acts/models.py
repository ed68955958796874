"""Local acts: the acts, their numbered editions (sections and clauses) and the amendments in flight."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class LocalAct(Base):
    """One of the school's acts; its row is locked while an edition is published, so two never race."""

    __tablename__ = "local_act"
    __table_args__ = (UniqueConstraint("school_id", "code", name="uq_local_act_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))  # unique per school
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ActEdition(Base):
    """A numbered edition; exactly one per act is `in_force`, earlier ones are `historical`."""

    __tablename__ = "act_edition"
    __table_args__ = (UniqueConstraint("act_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("local_act.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # in_force | historical
    title: Mapped[str] = mapped_column(String(300))
    header: Mapped[str] = mapped_column(Text, default="")
    in_force_from: Mapped[date | None] = mapped_column(Date)
    order_number: Mapped[str | None] = mapped_column(String(40))
    order_date: Mapped[date | None] = mapped_column(Date)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("school_order.id"))
    amendment_id: Mapped[int | None] = mapped_column(Integer)
    published_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    sections: Mapped[list[ActSection]] = relationship(
        order_by="ActSection.position", cascade="all, delete-orphan", lazy="raise"
    )


class ActSection(Base):
    __tablename__ = "act_section"
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("act_edition.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))

    clauses: Mapped[list[ActClause]] = relationship(
        order_by="ActClause.position", cascade="all, delete-orphan", lazy="raise"
    )


class ActClause(Base):
    __tablename__ = "act_clause"
    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("act_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class ActAmendment(Base):
    """An amendment in flight: what it proposes and which edition its proposer has seen.

    `base_edition` is the edition whose text the proposal was written against; `current_text` is
    refreshed whenever another amendment publishes a new edition, so readers see the text in force,
    while `base_edition` stays until the proposer reviews the change (the conflict rule).
    """

    __tablename__ = "act_amendment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(Integer, unique=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("local_act.id"), index=True)
    clause: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(String(10))
    current_text: Mapped[str] = mapped_column(Text, default="")
    proposed_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(30))
    base_edition: Mapped[int] = mapped_column(Integer)
    current_edition: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)  # proposed | published | dropped
    published_edition: Mapped[int | None] = mapped_column(Integer)
    proposer: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When the proposal was last submitted: the council round that follows starts after it.
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
