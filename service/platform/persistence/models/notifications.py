"""The notification outbox (in-app and e-mail) and the daily digest's claims."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models.base import Base, UtcDateTime


class Notification(Base):
    """In-app notification and e-mail outbox, written in the transaction of the change that causes it."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    email_state: Mapped[str] = mapped_column(String(10), default="none", index=True)
    # Failed sends are retried with a growing pause until the attempts run out.
    email_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    email_next_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NotificationDigest(Base):
    """One row per person and school day once the daily digest was considered for them: the primary
    key lets only one of several workers claim a person's day, so nobody gets the digest twice."""

    __tablename__ = "notification_digest"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tasks: Mapped[int] = mapped_column(Integer, default=0)  # 0: nothing waited, no message was written
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
