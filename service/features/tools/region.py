"""The tools' figure on the region's dashboard: how many AI tools each school's register permits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.features.tools.models import Tool
from service.platform.registry import RegionScope, RegionTotal, RegionValues
from service.platform.runtime import Runtime

PERMITTED = ("permitted", "permitted_with_restrictions")


def _counted(scope: RegionScope, *by: Any) -> Select[Any]:
    """The scope's schools' permitted tools, counted per `by` and status."""
    return (
        select(*by, Tool.status, func.count())
        .where(scope.among(Tool.school_id), Tool.status.in_(PERMITTED))
        .group_by(*by, Tool.status)
    )


def permitted(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    values: dict[int, dict[str, int]] = {}
    for school_id, status, count in session.execute(_counted(scope, Tool.school_id)).all():
        values.setdefault(int(school_id), {})[str(status)] = int(count)
    return values


def permitted_total(rt: Runtime, session: Session, scope: RegionScope) -> RegionTotal:
    return {str(status): int(count) for status, count in session.execute(_counted(scope)).all()}
