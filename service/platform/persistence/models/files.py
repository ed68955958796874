"""Uploaded files' metadata (the bytes are stored by their SHA-256) and the references that grant access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models.base import Base, SharedTable, UtcDateTime


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
