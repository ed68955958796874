"""The local acts' /api/v1 answers as typed models (web layer: web and openapi import it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Omittable


class EditionRow(ApiModel):
    """An edition of an act and the order that approved it."""

    number: int
    status: Literal["in_force", "historical"]
    in_force_from: Day | None
    order_number: str | None
    order_date: Day | None = None
    order_id: int | None = None


class ActSummary(ApiModel):
    """An act with the edition in force (every field is sent; 1.1 documented none as required)."""

    code: Omittable[str] = None
    title: Omittable[str] = None
    edition_in_force: EditionRow | None = None


class ActList(ApiModel):
    """The school's local acts."""

    acts: list[ActSummary] = []


class AmendmentIncident(ApiModel):
    """The incident an amendment came from."""

    id: Omittable[int] = None
    number: str | None = None


class Amendment(ApiModel):
    """An amendment as the register holds it."""

    # The incident it came from, only for those who may read that incident; otherwise null.
    incident: AmendmentIncident | None = None
    instance_id: int
    act: str | None
    clause: str
    change: Literal["change", "add", "delete"]
    current_text: str = Field(description="refreshed when another amendment publishes")
    proposed_text: str
    reason: Omittable[str] = None
    source: Omittable[str] = None
    status: Literal["proposed", "published", "dropped"]
    base_edition: Omittable[int] = Field(
        default=None, description="the edition the proposal was written against"
    )
    current_edition: Omittable[int] = None
    published_edition: int | None = None
    conflict: str | None = None


class Act(ApiModel):
    """An act with its editions and amendments."""

    code: str
    title: str
    editions: list[EditionRow]
    amendments: Omittable[list[Amendment]] = None


class EditionClause(ApiModel):
    """A clause of an edition."""

    number: str
    text: str


class EditionSection(ApiModel):
    """A section of an edition with its clauses."""

    number: str
    title: str
    clauses: list[EditionClause]


class Edition(EditionRow):
    """One edition with its sections and clauses."""

    act: str
    title: Omittable[str] = None
    header: Omittable[str] = None
    sections: list[EditionSection]


class ComparisonPiece(ApiModel):
    """Words kept, inserted or deleted."""

    op: Omittable[Literal["same", "insert", "delete"]] = None
    text: Omittable[str] = None


class ClauseComparisonRow(ApiModel):
    """A clause in two editions."""

    clause: str
    old: str | None
    new: str | None
    changed: bool
    pieces: list[ComparisonPiece]


class Comparison(ApiModel):
    """Two editions compared clause by clause."""

    act: str
    from_: int = Field(alias="from")
    to: int
    clauses: list[ClauseComparisonRow]


class AmendmentStarted(ApiModel):
    """The instance of an amendment just started."""

    instance_id: Omittable[int] = None


MODELS: tuple[type[ApiModel], ...] = (
    EditionRow,
    Amendment,
    Act,
    ActList,
    Edition,
    Comparison,
    AmendmentStarted,
)
