"""The incidents' figure on the region's dashboard: how many were reported this school year, by type —
counts only, never an incident's content or people."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.incidents.models import Incident
from service.features.incidents.rules import INCIDENT_TYPES
from service.platform.registry import RegionFigure, RegionScope, RegionValues
from service.platform.runtime import Runtime


def _by_type(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    rows = session.execute(
        select(Incident.school_id, Incident.incident_type, func.count())
        .where(
            Incident.school_id.in_(scope.school_ids),
            Incident.reported_at >= scope.starts_at,
            Incident.reported_at < scope.ends_at,
        )
        .group_by(Incident.school_id, Incident.incident_type)
    ).all()
    values: dict[int, dict[str, int]] = {}
    for school_id, kind, count in rows:
        code = kind if kind in INCIDENT_TYPES else "other"  # a type a form added later counts as other
        per = values.setdefault(int(school_id), {})
        per[code] = per.get(code, 0) + int(count)
    return values


FIGURE = RegionFigure(
    title=lazy_gettext("Incidents this school year, by type"),
    collect=_by_type,
    categories={
        "data_disclosure": lazy_gettext("Personal data disclosure"),
        "inappropriate_content": lazy_gettext("Inappropriate or wrong content"),
        "academic_integrity": lazy_gettext("Academic integrity violation"),
        "other": lazy_gettext("Other incidents"),
    },
)
