"""The AI-tool register's /api/v1 answers as typed models (web layer: api and openapi import it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from service.features.tools.usecases import TOOL_STATUSES
from service.platform.web.api_model import ApiModel, Day, Moment, Omittable, OneOf

SOURCES = ("school", "region")


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


class ToolAdoption(ApiModel):
    """A school's adoption of a region tool: who adopted it and when, and the restrictions it added."""

    adopted_by: str
    adopted_at: Moment
    restrictions: list[str]
    restricted_by: str | None = None
    restricted_at: Moment | None = None


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
    source: Annotated[str, OneOf(SOURCES)] = Field(
        default="school",
        description="school: the school's own evaluation; region: permitted by the region for every school "
        "(instance_id is then 0: the evaluation is the region's)",
    )
    source_school: Omittable[str] = Field(
        default=None, description="A region tool the region adopted from a school's evaluation: that school"
    )
    adoption: Omittable[ToolAdoption] = Field(
        default=None, description="A region tool: whether (who, when) the reader's school adopted it"
    )
    school_restrictions: Omittable[list[str]] = Field(
        default=None, description="A region tool: the restrictions the reader's school added to the region's"
    )


class ToolList(ApiModel):
    """The register (staff: permitted tools only), then the tools the region permits."""

    tools: list[Tool] = []


class SchoolEvaluation(ApiModel):
    """A school's permitted register entry, as the region's administrator may adopt it."""

    id: int
    school: str
    name: str
    vendor: str
    status: Annotated[str, OneOf(TOOL_STATUSES)]
    in_region_register: bool


class SchoolEvaluationList(ApiModel):
    """Schools' permitted evaluations (for the region's administrator)."""

    evaluations: list[SchoolEvaluation] = []


class RestrictionsIn(ApiModel):
    """A school's further restrictions of an adopted region tool, one per line (empty: none)."""

    restrictions: str = ""


MODELS: tuple[type[ApiModel], ...] = (
    Tool,
    ToolList,
    ToolAdoption,
    SchoolEvaluation,
    SchoolEvaluationList,
    RestrictionsIn,
)
