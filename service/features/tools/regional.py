"""The region register as a school reads it: read across schools on purpose, from the region's rows only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.models import RegionTool, Tool, ToolAdoption
from service.features.tools.rules import PERMITTED, restriction_lines, restriction_texts
from service.platform.persistence import tenancy
from service.platform.persistence.models import School

# One statement that reads another tenant's rows on purpose: always with `school_id IN <the region>`.
_CROSSING = {tenancy.CROSSING: True}


@dataclass(frozen=True)
class Adoption:
    """The acting school's adoption of a region tool and the restrictions it added."""

    adopted_by: str
    adopted_at: datetime
    restrictions: list[str]
    restricted_by: str | None
    restricted_at: datetime | None


@dataclass(frozen=True)
class RegionEntry:
    """A tool the region permits, as every school reads it.

    `id` is the `ai_tool` row the region's decision rests on: the region's own evaluation, or the
    school's evaluation the region adopted (`source_school`, its kk/ru names; None for the region's own).
    """

    id: int
    name: str
    vendor: str
    status: str
    allowed_uses: list[str]
    restrictions: list[str]  # the region's
    personal_data_allowed: bool
    review_date: date | None
    memo: str
    source_school: tuple[str, str] | None
    adoption: Adoption | None  # the acting school's, if it adopted it

    @property
    def school_restrictions(self) -> list[str]:
        return self.adoption.restrictions if self.adoption is not None else []


def region_ids(session: Session) -> list[int]:
    """The region tenants of the deployment (none where one school runs alone)."""
    return list(session.execute(select(School.id).where(School.kind == "region")).scalars())


def adoptions(session: Session) -> dict[int, Adoption]:
    """The acting school's adoptions by register entry (scoped to the acting school as usual)."""
    rows = session.execute(select(ToolAdoption)).scalars()
    return {
        row.tool_id: Adoption(
            row.adopted_by,
            row.adopted_at,
            restriction_lines(row.restrictions),
            row.restricted_by,
            row.restricted_at,
        )
        for row in rows
    }


def region_entries(session: Session, skip: set[int] | None = None) -> list[RegionEntry]:
    """Every tool the region permits, by name; `skip`: entries the acting tenant holds itself (its own
    `ai_tool` rows: the region's own tools in the region, a school's evaluation the region adopted)."""
    regions = region_ids(session)
    if not regions:
        return []
    skip = skip or set()
    mine = adoptions(session)
    own = session.execute(
        select(
            Tool.id,
            Tool.name,
            Tool.vendor,
            Tool.status,
            Tool.processes_json,
            Tool.restrictions_json,
            Tool.personal_data_allowed,
            Tool.review_date,
            Tool.memo,
        )
        .where(Tool.school_id.in_(regions), Tool.status.in_(PERMITTED))
        .execution_options(**_CROSSING)
    ).all()
    adopted = session.execute(
        select(
            RegionTool.source_tool_id,
            RegionTool.name,
            RegionTool.vendor,
            RegionTool.status,
            RegionTool.processes_json,
            RegionTool.restrictions_json,
            RegionTool.personal_data_allowed,
            RegionTool.review_date,
            RegionTool.memo,
            RegionTool.source_school_id,
        )
        .where(RegionTool.school_id.in_(regions))
        .execution_options(**_CROSSING)
    ).all()
    schools = {
        row.id: (row.name_kk or row.code, row.name_ru)
        for row in session.execute(
            select(School.id, School.code, School.name_kk, School.name_ru).where(
                School.id.in_({r.source_school_id for r in adopted})
            )
        )
    }
    entries = [_entry(r, None, mine) for r in own] + [
        _entry(r, schools.get(r.source_school_id), mine) for r in adopted
    ]
    entries = [e for e in entries if e.id not in skip]
    return sorted(entries, key=lambda e: (e.name.casefold(), e.id))


def _entry(row: Any, source: tuple[str, str] | None, mine: dict[int, Adoption]) -> RegionEntry:
    """An entry from a row of the region (its own tool's columns or an adopted one's, in the same order)."""
    return RegionEntry(
        id=row[0],
        name=row.name,
        vendor=row.vendor,
        status=row.status,
        allowed_uses=json.loads(row.processes_json or "[]"),
        restrictions=restriction_texts(row.restrictions_json),
        personal_data_allowed=row.personal_data_allowed,
        review_date=row.review_date,
        memo=row.memo,
        source_school=source,
        adoption=mine.get(row[0]),
    )


def region_entry(session: Session, tool_id: int) -> RegionEntry | None:
    """One entry of the region register (None: the region permits no tool of this id)."""
    return next((e for e in region_entries(session) if e.id == tool_id), None)
