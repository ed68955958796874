"""The annual report's narrative (draft until finalized) and, once finalized, its frozen figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class AnnualReport(Base):
    """One row per school year (`year` = the year of its 1 September), written by the responsible person.

    The figures are computed live while `status` is `draft`; finalizing stores them in `figures_json`
    with who and when, and the SHA-256 of the PDF, so later changes in the registers leave it unchanged.
    """

    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("school_id", "year", name="uq_annual_report_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # one report per school and year
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | final
    achievements: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    figures_json: Mapped[str | None] = mapped_column(Text)
    finalized_by: Mapped[str | None] = mapped_column(String(80))
    finalized_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
