"""The yearly plan's /api/v1 answers as typed models (web layer: api and openapi import it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from service.features.plan.rules import DEADLINE_KINDS, STATUSES
from service.platform.web.api_model import ApiModel, Day, Moment, Omittable, OneOf


class PlanEvidence(ApiModel):
    """What a mark links to: an order, a tool, an incident or an act's edition."""

    # 1.1 described the schema itself as nullable (a mark without evidence); kept so for its readers.
    model_config = ConfigDict(json_schema_extra={"type": ["object", "null"]})

    # The kinds the composed features declare as evidence sources (the document lists them).
    kind: str = Field(json_schema_extra={"x-enum-from": "evidence_sources"})
    ref: str | None  # null for an incident the reader may not see


class PlanItemMark(ApiModel):
    """The mark of a done item (every field is sent; 1.1 documented none as required)."""

    at: Omittable[Moment] = None
    by: str | None = None
    by_name: str | None = None
    comment: Omittable[str] = None
    evidence: PlanEvidence | None = None


class PlanHistoryEntry(ApiModel):
    """A mark or an unmark of the item."""

    action: Literal["mark", "unmark"]
    at: Moment
    by: str | None = None
    comment: Omittable[str] = Field(default=None, description="a mark's comment or an unmark's reason")
    evidence: PlanEvidence | None = None


class PlanItem(ApiModel):
    """An item of the plan with its status; one item's answer adds the history of its marks."""

    number: int
    stage: int
    activity: str
    responsible: str = Field(description="as the plan writes it")
    roles: list[str] = Field(description="role codes it maps to")
    participants: Omittable[str] = None
    deadline: str
    deadline_kind: Annotated[str, OneOf(DEADLINE_KINDS)]
    due_on: Day | None = Field(default=None, description="null: no single date")
    result: Omittable[str] = None
    status: Annotated[str, OneOf(STATUSES)]
    may_mark: Omittable[bool] = None
    mark: PlanItemMark | None = None
    history: Omittable[list[PlanHistoryEntry]] = None


class PlanStage(ApiModel):
    """A stage of the plan and how many of its items are done."""

    number: int
    title: str
    done: int
    total: int


class Plan(ApiModel):
    """The yearly plan: every item with its status and the progress by stage."""

    school_year: int = Field(description="the year it starts in: 2025 for 2025-2026")
    title: str
    approval: Omittable[str] = None
    today: Omittable[Day] = Field(default=None, description="in the school's time zone")
    done: int
    total: int
    stages: list[PlanStage]
    items: list[PlanItem]


MODELS: tuple[type[ApiModel], ...] = (PlanEvidence, PlanItem, Plan)
