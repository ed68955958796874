"""Links from an incident's council decision to the amendments of local acts it led to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class IncidentAmendment(Base):
    """One amendment process started from an incident; the link is read only by those who see the incident.

    Keyed by the amendment's process instance (not the act_amendment row), because the row appears
    only when the proposer submits the proposal, while the link exists from the moment it is started.
    """

    __tablename__ = "incident_amendment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    started_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
