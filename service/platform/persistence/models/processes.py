"""Deployed process definitions and their forms' revisions, running instances and their comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.clock import utcnow
from service.platform.persistence.models.accounts import User
from service.platform.persistence.models.base import Base, UtcDateTime


class ProcessDefinition(Base):
    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("school_id", "process_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))
    # The large columns are deferred so that lists of definitions never pull diagrams and specs.
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    forms_json: Mapped[str] = mapped_column(Text, deferred=True)
    start_roles: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class FormRevision(Base):
    """One saved edition of a form's JSON Schema; the newest one overrides forms/<key>.json at deploy."""

    __tablename__ = "form_revision"
    __table_args__ = (UniqueConstraint("school_id", "form_key", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_key: Mapped[str] = mapped_column(String(100), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    schema_json: Mapped[str] = mapped_column(Text)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProcessInstance(Base):
    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    state_json: Mapped[str] = mapped_column(Text, deferred=True)
    next_timer_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)

    definition: Mapped[ProcessDefinition] = relationship(lazy="raise")
    started_by: Mapped[User | None] = relationship(lazy="joined")

    # Optimistic check behind the row lock: every UPDATE adds "AND version = <the version read>" and
    # bumps it, so a write from a stale read (a path that forgot locks.lock_instance) fails with
    # StaleDataError, which Database.session() turns into ConcurrentChange (409), instead of
    # silently overwriting what another transaction just saved. Locked paths always read the latest.
    __mapper_args__ = {"version_id_col": version}


class Comment(Base):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("process_instance.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
