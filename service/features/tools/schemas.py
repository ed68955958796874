"""The AI-tool register's /api/v1 answers as typed models (web layer: api and openapi import it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from service.features.tools.usecases import TOOL_STATUSES
from service.platform.web.api_model import ApiModel, Day, Moment, Omittable, OneOf


class ToolVoteRow(ApiModel):
    """A commission member's signed vote (every field is sent; 1.1 documented none as required)."""

    round: Omittable[int] = None
    member: Omittable[str] = None
    decision: Omittable[Literal["approve", "approve_with_restrictions", "reject"]] = None
    security: Omittable[int] = None
    data_protection: Omittable[int] = None
    functionality: Omittable[int] = None
    limitations: Omittable[int] = None
    restrictions: Omittable[str] = None
    comment: Omittable[str] = None
    signature_method: Omittable[Literal["password", "statement"]] = None
    signed_at: Omittable[Moment] = None


class Tool(ApiModel):
    """A register entry; the detail adds its memo, and the evaluation for those who may read it."""

    id: int
    name: str
    vendor: str
    status: Annotated[str, OneOf(TOOL_STATUSES)]
    allowed_uses: list[str]
    restrictions: list[str]
    personal_data_allowed: bool
    review_date: Day | None
    instance_id: int
    memo: Omittable[str] = None
    memo_attachment: str | None = None
    # The evaluation: only for the commission, ict, responsible, wg_chair and director.
    url: Omittable[str] = None
    purpose: Omittable[str] = None
    data_processed: Omittable[str] = None
    personal_data: Omittable[bool] = None
    age_limit: Omittable[str] = None
    cost: Omittable[str] = None
    outcome: str | None = None
    rule: Omittable[str] = None
    conclusion: Omittable[str] = None
    assessment: Omittable[dict[str, Any]] = None
    votes: Omittable[list[ToolVoteRow]] = Field(
        default=None, description="Only for the commission, ict, responsible, wg_chair and director"
    )


class ToolList(ApiModel):
    """The register (staff: permitted tools only)."""

    tools: list[Tool] = []


MODELS: tuple[type[ApiModel], ...] = (Tool, ToolList)
