"""The hash-chained audit log: its events, the tip of each stream and the epoch row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.persistence import tenancy
from service.platform.persistence.models.base import Base, UtcDateTime


class AuditEvent(Base):
    """Append-only and hash-chained: each row's hash covers its content and the previous row's hash."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_stream_id", "stream", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    task_id: Mapped[int | None] = mapped_column(Integer)
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The chain this row links into: "instance:<id>", "actor:<name>", or "main" for rows written before
    # streams existed. `prev_hash` is the previous row *of the same stream*.
    stream: Mapped[str] = mapped_column(String(120), default="main", server_default="main")


class AuditStream(Base):
    """The tip of one stream of the audit log; locking it serialises appends to that stream only."""

    __tablename__ = "audit_stream"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id"), primary_key=True, default=tenancy.school_for_new_rows
    )
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The epoch row (id 1): appends share it and anchored events take it alone, so what precedes an
    anchored event is settled when it is written. Its hash is the single chain's tip before streams
    (frozen since; "main" in audit_stream carries it on)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
