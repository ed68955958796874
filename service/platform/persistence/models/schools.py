"""Schools as tenants, and what each school keeps of its own: the admin's settings and named counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence import tenancy
from service.platform.persistence.models.base import Base, SharedTable, UtcDateTime


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
