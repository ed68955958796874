"""The declarative bases every table maps on (owned by one school, or shared) and the UTC datetime type."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

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
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
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
