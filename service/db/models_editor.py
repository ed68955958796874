"""Forms edited in the browser: each save is a revision; a deploy snapshots the newest into its version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db.models import Base, UtcDateTime
from service.domain.clock import utcnow


class FormRevision(Base):
    """One saved edition of a form's JSON Schema; the newest one overrides forms/<key>.json at deploy."""

    __tablename__ = "form_revision"
    __table_args__ = (UniqueConstraint("form_key", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_key: Mapped[str] = mapped_column(String(100), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    schema_json: Mapped[str] = mapped_column(Text)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
