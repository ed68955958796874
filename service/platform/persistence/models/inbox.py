"""The inbox projection of user tasks, the roles that may claim them, and deputies' substitutions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.platform.clock import utcnow
from service.platform.persistence import tenancy
from service.platform.persistence.models.accounts import User
from service.platform.persistence.models.base import Base, UtcDateTime
from service.platform.persistence.models.processes import ProcessInstance


class HumanTask(Base):
    """The inbox projection of a READY user task, refreshed on every save of its instance."""

    __tablename__ = "human_task"
    __table_args__ = (
        UniqueConstraint("instance_id", "engine_task_id"),
        # The inbox's lists lead with the school: in a region, one school's open tasks are a small slice.
        Index("ix_human_task_status_created", "school_id", "status", "created_at"),
        # "My tasks": the school after the equalities, so counting mine reads the index alone (0024).
        Index(
            "ix_human_task_assignee_status_school_created",
            "assignee_id",
            "status",
            "school_id",
            text("created_at DESC"),
            text("id DESC"),
        ),
        Index(
            "ix_human_task_unclaimed_created",
            "school_id",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("status = 'open' AND assignee_id IS NULL"),
            sqlite_where=text("status = 'open' AND assignee_id IS NULL"),
        ),
    )

    # Every new task writes each of its indexes: none here is a prefix of another (migration 0026 dropped
    # `school_id`'s and `instance_id`'s own, which the composite indexes above begin with).
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), default=tenancy.school_for_new_rows)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(300))
    form_key: Mapped[str | None] = mapped_column(String(100))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    assigned_directly: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="open")
    title_i18n: Mapped[str] = mapped_column(String(1000), default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    data_json: Mapped[str | None] = mapped_column(Text)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id], lazy="joined")
    instance: Mapped[ProcessInstance] = relationship(lazy="raise")
    candidate_roles: Mapped[list[HumanTaskRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class HumanTaskRole(Base):
    """A role whose holders may claim the task (a lane may name several)."""

    __tablename__ = "human_task_role"
    __table_args__ = (
        Index("ix_human_task_role_school_role", "school_id", "role"),
        # "May my roles claim it?" is probed per task: with the school in it, no row is read (0024).
        Index("ix_human_task_role_task_role_school", "task_id", "role", "school_id"),
        # A role's open unclaimed tasks, newest (or oldest) first: its inbox page and bounded count are
        # one range of this index, whatever the size of the history (0025).
        Index(
            "ix_human_task_role_unclaimed",
            "school_id",
            "role",
            text("unclaimed_created_at DESC"),
            text("task_id DESC"),
            postgresql_where=text("unclaimed_created_at IS NOT NULL"),
            sqlite_where=text("unclaimed_created_at IS NOT NULL"),
        ),
    )

    # `(school_id, role)` above serves both columns' lookups: no index of their own (migration 0026).
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), default=tenancy.school_for_new_rows)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    # The task's `created_at` while it is open and nobody holds it, NULL otherwise: a copy of
    # `human_task` written in the same transaction as every change of its status or assignee
    # (`inbox/unclaimed.py`), because no index spans the two tables. Deferred: loading a task's roles
    # never needs it, and without it that load reads `ix_human_task_role_task_role_school` alone.
    unclaimed_created_at: Mapped[datetime | None] = mapped_column(UtcDateTime, deferred=True)


class Substitution(Base):
    """Out of office: from `starts_on` to `ends_on` (school days, inclusive) `deputy` also works on the
    tasks assigned to `absent` and on the tasks of `absent`'s roles; never on a personal vote."""

    __tablename__ = "substitution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    absent: Mapped[User] = relationship(foreign_keys=[absent_id], lazy="joined")
    deputy: Mapped[User] = relationship(foreign_keys=[deputy_id], lazy="joined")
