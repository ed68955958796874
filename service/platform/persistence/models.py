"""Typed SQLAlchemy 2 models; the schema itself is created and changed only by Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from service.platform.clock import utcnow
from service.platform.persistence import tenancy


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite drops the zone, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        from datetime import UTC

        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        from datetime import UTC

        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Declarative(DeclarativeBase):
    pass


class SharedTable(_Declarative):
    """A table whose rows no school owns (the schools themselves, sign-in throttling, file bytes)."""

    __abstract__ = True


class Base(_Declarative):
    """A table whose every row belongs to one school: the session scopes every query to the acting
    school and stamps new rows with it (`tenancy`). Features map their tables on this."""

    __abstract__ = True

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id"), index=True, default=tenancy.school_for_new_rows
    )


class School(SharedTable):
    """A tenant: one school, or the region (`kind` "region") whose officers and commission work above
    the schools. A deployment that runs one school has only row 1."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="school")  # school | region
    name_kk: Mapped[str] = mapped_column(String(300), default="")
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    # Empty: the deployment's TIMEZONE / SCHOOL_NAME (a single school keeps configuring it so).
    timezone: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5), default="kk")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # Loaded on access, not with every user: inbox rows join their assignees, who need no roles.
    # Use cases that hand a user out of their session call `with_roles()` first.
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    @property
    def role_codes(self) -> set[str]:
        return {r.role for r in self.roles}

    def with_roles(self) -> User:
        """Load the roles now, so the user can be used after its session has closed."""
        _ = self.roles
        return self


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (Index("ix_user_role_school_role", "school_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)

    user: Mapped[User] = relationship(back_populates="roles")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LoginThrottle(SharedTable):
    """Failed sign-ins per key (username or address); kept in the database so every worker agrees."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


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

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("process_instance.id", ondelete="CASCADE"), index=True
    )
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

    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    # The task's `created_at` while it is open and nobody holds it, NULL otherwise: a copy of
    # `human_task` written in the same transaction as every change of its status or assignee
    # (`inbox/unclaimed.py`), because no index spans the two tables. Deferred: loading a task's roles
    # never needs it, and without it that load reads `ix_human_task_role_task_role_school` alone.
    unclaimed_created_at: Mapped[datetime | None] = mapped_column(UtcDateTime, deferred=True)


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


class SchoolSetting(Base):
    """A value the admin set for one of the features' declared settings (`Feature.settings`); a setting
    without a row has the environment's value or its default."""

    __tablename__ = "school_setting"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id"), primary_key=True, default=tenancy.school_for_new_rows
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Counter(Base):
    """Named sequences such as `order:2026`, per school; incremented under a row lock."""

    __tablename__ = "counter"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id"), primary_key=True, default=tenancy.school_for_new_rows
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


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


class StoredFile(SharedTable):
    """Metadata of an uploaded file; the bytes live in the storage folder under their SHA-256."""

    __tablename__ = "stored_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FileReference(Base):
    """A stored file's link to a person who uploaded it (no instance) or to the form of an instance that
    names it; access to a file is decided from these rows, never by searching task data."""

    __tablename__ = "file_reference"
    __table_args__ = (Index("ix_file_reference_instance", "instance_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    instance_id: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


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
