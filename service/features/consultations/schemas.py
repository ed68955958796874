"""The consultation journal's /api/v1 answers as typed models (web layer: api and openapi import it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Moment


class Consultation(ApiModel):
    """One consultation of the journal."""

    id: int
    staff_member: str = Field(description="username of the staff member consulted")
    staff_name: str
    topic: str
    duty: str = Field(description="their duty or subject area")
    status: Literal["requested", "scheduled", "held", "cancelled"]
    walk_in: bool = Field(description="recorded without a request")
    preferred_on: Day | None = None
    note: str = ""
    scheduled_on: Day | None = None
    held_on: Day | None = None
    advice: str | None = None
    tool_id: int | None = None
    tool: str | None = Field(default=None, description="a tool of the register of permitted tools")
    material: str | None = Field(default=None, description="sha256:<hex> of a stored file")
    cancel_reason: str | None = None
    recorded_by: str | None = None
    created_at: Moment


class ConsultationJournal(ApiModel):
    """A page of the journal (or of the caller's own consultations)."""

    total: int
    whole_journal: bool = Field(description="false: only the caller's own consultations")
    consultations: list[Consultation]


MODELS: tuple[type[ApiModel], ...] = (Consultation, ConsultationJournal)
