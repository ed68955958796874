"""The order register: one row per order-drafting instance from its first draft, and each edition's text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.clock import utcnow
from service.platform.persistence import tenancy
from service.platform.persistence.models import Base, UtcDateTime


class Order(Base):
    """The order register: written by the order-drafting process's service tasks."""

    __tablename__ = "school_order"
    __table_args__ = (
        # Also the index of the school's orders (migration 0027 dropped a school_id-only one).
        UniqueConstraint("school_id", "number", name="uq_school_order_number"),
        # The region's total of registered orders, read from the index alone (migration 0023); also
        # the index of a status (0027 dropped a status-only one).
        Index("ix_school_order_region", "status", "registered_on", "school_id"),
    )

    # Without an index of its own: `uq_school_order_number (school_id, number)` begins with it.
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), default=tenancy.school_for_new_rows)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(30))  # unique per school
    registered_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300), default="")
    order_type: Mapped[str] = mapped_column(String(40))
    # draft → in_review → (draft again on a return) → registered, or rejected
    status: Mapped[str] = mapped_column(String(20), default="draft")
    drafter: Mapped[str | None] = mapped_column(String(80))
    marking: Mapped[str | None] = mapped_column(String(30))
    ai_assisted: Mapped[bool] = mapped_column(Boolean, default=False)
    ai_help_json: Mapped[str] = mapped_column(String(300), default="[]")
    # Set when the registered order's PDF is first produced; the code is printed on it.
    verification_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    editions: Mapped[list[OrderEdition]] = relationship(
        order_by="OrderEdition.number", cascade="all, delete-orphan", lazy="raise"
    )


class OrderEdition(Base):
    """The text of one drafting round, kept so reviewers can compare rounds and nothing is lost."""

    __tablename__ = "order_edition"
    # Also the index of an order's editions and of its foreign key (0027 dropped an order_id-only one).
    __table_args__ = (UniqueConstraint("order_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("school_order.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(71))  # "sha256:<hex>" of a stored file
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
