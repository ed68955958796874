"""The annual report's /api/v1 answer as typed models (web layer: web and openapi import it)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Moment, Omittable

Counts = dict[str, int]


class ReportOrderLine(ApiModel):
    """A registered order of the year."""

    number: str
    registered_on: Day
    title: str
    order_type: str


class ReportOrders(ApiModel):
    """Orders registered in the year, by type and one by one."""

    total: int
    by_type: Counts
    orders: list[ReportOrderLine]


class ReportTools(ApiModel):
    """AI tools evaluated in the year and the register as it stands."""

    evaluated: Counts = Field(description="outcomes registered in the year")
    # `register` is a method of every pydantic model (ABC.register): the field takes it as its alias.
    register_: Counts = Field(alias="register", description="the register's current statuses")


class ReportIncidents(ApiModel):
    """Incident counts; no incident's description, tool, people or number."""

    # 1.1 closed this object (additionalProperties: false): nothing about one incident may be added.
    closed_shape: ClassVar[bool] = True

    total: int
    by_type: Counts
    by_outcome: Counts
    by_decision: Counts
    median_days_to_decision: float | None
    open: int


class ReportAmendments(ApiModel):
    """Amendments of local acts in the year."""

    editions_published: int
    acts: Counts
    proposed: int
    dropped: int


class ReportAckRate(ApiModel):
    """How many of those asked have acknowledged, and the share in percent (null when nobody was asked)."""

    total: int
    done: int
    percent: int | None


class AnnualReportFigures(ApiModel):
    """Counts only; incidents never appear one by one."""

    year: int
    orders: ReportOrders
    tools: ReportTools
    incidents: ReportIncidents
    amendments: ReportAmendments
    order_acknowledgements: ReportAckRate
    edition_acknowledgements: ReportAckRate
    extra: dict[str, Counts | None] = Field(
        description="sections fed by other modules (plan_completion, survey_results); null = no data"
    )


class ReportNarrative(ApiModel):
    """The report's three texts (every field is sent; 1.1 documented none as required)."""

    achievements: Omittable[str] = None
    problems: Omittable[str] = None
    recommendations: Omittable[str] = None


class AnnualReport(ApiModel):
    """The annual report of a school year: its status, figures and texts."""

    year: int = Field(description="the year of the school year's 1 September")
    from_: Day = Field(alias="from")
    to: Day
    status: Literal["draft", "final"]
    finalized_at: Moment | None
    finalized_by: str | None
    pdf_sha256: str | None
    figures: AnnualReportFigures
    narrative: Omittable[ReportNarrative] = None


MODELS: tuple[type[ApiModel], ...] = (AnnualReportFigures, AnnualReport)
