"""The plan's figure on the region's dashboard: the share of the school year's plan done, by stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.features.plan.models import PlanItem, SchoolPlan
from service.platform.registry import RegionScope, RegionTotal, RegionValues
from service.platform.runtime import Runtime

WHOLE = "all"


def _counted(scope: RegionScope, *by: Any) -> Select[Any]:
    """The year's plan items of the scope's schools per `by` and stage: how many, how many done. The
    schools are chosen on the plans (one row per school and year), and the items are read from the index
    `ix_plan_item_region` alone (migration 0023)."""
    return (
        select(*by, PlanItem.stage, func.count(), func.count(PlanItem.done_at))
        .join(SchoolPlan, SchoolPlan.id == PlanItem.plan_id)
        .where(SchoolPlan.school_year == scope.first_day.year, scope.among(SchoolPlan.school_id))
        .group_by(*by, PlanItem.stage)
    )


def _shares(rows: Iterable[tuple[Any, int, int]]) -> Mapping[str, int]:
    """Percentages done per stage and for the whole plan, from (stage, items, done) rows."""
    counted: dict[str, tuple[int, int]] = {}
    for stage, total, done in rows:
        counted[str(stage)] = (int(done), int(total))
        whole = counted.get(WHOLE, (0, 0))
        counted[WHOLE] = (whole[0] + int(done), whole[1] + int(total))
    return {code: round(100 * done / total) for code, (done, total) in counted.items() if total}


def completion(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    """Per school, the percentage of this school year's plan items marked done, per stage and overall."""
    per: dict[int, list[tuple[Any, int, int]]] = {}
    for school_id, stage, total, done in session.execute(_counted(scope, SchoolPlan.school_id)).all():
        per.setdefault(int(school_id), []).append((stage, total, done))
    return {school_id: _shares(rows) for school_id, rows in per.items()}


def completion_total(rt: Runtime, session: Session, scope: RegionScope) -> RegionTotal:
    """The region's share: every school's done items over every school's items (not a mean of shares)."""
    return _shares((stage, total, done) for stage, total, done in session.execute(_counted(scope)).all())
