"""The incidents' figure on the region's dashboard: how many were reported this school year, by type —
counts only, never an incident's content or people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.features.incidents.models import Incident
from service.features.incidents.rules import INCIDENT_TYPES
from service.platform.registry import RegionScope, RegionTotal, RegionValues
from service.platform.runtime import Runtime


def _reported(scope: RegionScope, *by: Any) -> Select[Any]:
    """The year's incidents of the scope's schools, counted per `by` and type."""
    return (
        select(*by, Incident.incident_type, func.count())
        .where(
            scope.among(Incident.school_id),
            Incident.reported_at >= scope.starts_at,
            Incident.reported_at < scope.ends_at,
        )
        .group_by(*by, Incident.incident_type)
    )


def _add(per: dict[str, int], kind: str, count: int) -> None:
    code = kind if kind in INCIDENT_TYPES else "other"  # a type a form added later counts as other
    per[code] = per.get(code, 0) + int(count)


def by_type(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    values: dict[int, dict[str, int]] = {}
    for school_id, kind, count in session.execute(_reported(scope, Incident.school_id)).all():
        _add(values.setdefault(int(school_id), {}), kind, count)
    return values


def by_type_total(rt: Runtime, session: Session, scope: RegionScope) -> RegionTotal:
    total: dict[str, int] = {}
    for kind, count in session.execute(_reported(scope)).all():
        _add(total, kind, count)
    return total
