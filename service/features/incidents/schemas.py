"""The incident journal's /api/v1 answers as typed models (web layer: web and openapi import it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Moment, Omittable


class Incident(ApiModel):
    """A row of the journal: all that the reporter of an incident sees of it."""

    id: int
    number: str | None = Field(description="journal number <year>/<n>, given at triage")
    instance_id: int
    reported_at: Moment
    type: Literal["data_disclosure", "inappropriate_content", "academic_integrity", "other"]
    severity: Literal["minor", "serious"] | None
    status: str
    tool: str
    outcome: str | None


class IncidentVote(ApiModel):
    """A council member's vote on the incident (every field is sent; 1.1 documented none as required)."""

    member: Omittable[str] = None
    name: Omittable[str] = None
    decision: Omittable[str] = None
    comment: Omittable[str] = None
    at: Moment | None = None


class IncidentFollowUp(ApiModel):
    """An action the council's decision assigned, and whether it is done."""

    assignee: str
    action: str
    due: Day
    status: Literal["open", "done"]


class IncidentAmendment(ApiModel):
    """An amendment of a local act started from the council's decision."""

    instance_id: int
    act: str | None = None
    clause: str | None = None
    status: Literal["draft", "proposed", "published", "dropped"]
    started_by: Omittable[str] = None
    started_at: Omittable[Moment] = None


class IncidentDetail(Incident):
    """Readers of every incident get these fields too; the reporter gets the row only."""

    occurred_on: Day | None = None
    description: Omittable[str] = None
    affected: Omittable[str] = None
    evidence: str | None = Field(default=None, description="sha256:<hex> of a stored file")
    anonymous: Omittable[bool] = None
    reporter: str | None = Field(default=None, description="null when hidden (anonymous report)")
    reporter_name: str | None = None
    corrective_action: str | None = None
    vote: dict[str, Any] | None = None
    votes: Omittable[list[IncidentVote]] = None
    decision: str | None = None
    recommendations: str | None = None
    tool_action: Literal["restrict_tool", "withdraw_tool"] | None = None
    tool_restriction: str | None = Field(
        default=None, description="what the chair wrote as the restriction on the register (restrict_tool)"
    )
    decision_change_reason: str | None = Field(
        default=None, description="why the chair recorded another decision than the vote's"
    )
    follow_ups: Omittable[list[IncidentFollowUp]] = None
    closed_at: Moment | None = None
    reopen_count: Omittable[int] = None
    reopen_reason: str | None = None
    amendments: Omittable[list[IncidentAmendment]] = Field(
        default=None,
        description="amendments of local acts started from the council's decision (full readers only)",
    )


class IncidentList(ApiModel):
    """The journal's rows the caller may see."""

    incidents: list[Incident]


class IncidentProcessStarted(ApiModel):
    """The incident and the process instance a request started (a reopening, an amendment)."""

    id: Omittable[int] = None  # always sent; 1.1 documented neither as required
    instance_id: Omittable[int] = None


class ChairFollowUpRow(ApiModel):
    """One recommendation entered as a row: who (a username, or a role one person holds), by when, what."""

    assignee: str = Field(description="username (or a role code held by exactly one active person)")
    due: Day = Field(description="due date, today or later (YYYY-MM-DD)")
    action: str = Field(max_length=2000)


class ChairDecisionData(ApiModel):
    """`data` of `POST /tasks/{task_id}/complete` for the chair's decision (`Task_chair_decision`).

    `decision` must be the vote's unless `decision_change_reason` says why. Recommendations come in either
    shape, or both (30 at most): the documented text lines in `recommendations`, or the rows of
    `follow_ups`. Neither reaches the register of AI tools: only `tool_restriction` does (restrict_tool).
    """

    decision: Literal[
        "warning", "training", "restrict_tool", "withdraw_tool", "refer_to_administration", "no_violation"
    ]
    decision_change_reason: str | None = Field(
        default=None, max_length=2000, description="required when the decision differs from the vote's"
    )
    tool_restriction: str | None = Field(
        default=None, max_length=2000, description="required with restrict_tool: the restriction staff read"
    )
    recommendations: str | None = Field(
        default=None, max_length=10000, description="one per line: who; YYYY-MM-DD; what to do"
    )
    follow_ups: list[ChairFollowUpRow] | None = Field(default=None, max_length=30)


MODELS: tuple[type[ApiModel], ...] = (
    Incident,
    IncidentDetail,
    IncidentList,
    IncidentProcessStarted,
    ChairDecisionData,
)
