"""The tools' figure on the region's dashboard: how many AI tools each school's register permits."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.tools.models import Tool
from service.platform.registry import RegionFigure, RegionScope, RegionValues
from service.platform.runtime import Runtime

PERMITTED = ("permitted", "permitted_with_restrictions")


def _permitted(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    rows = session.execute(
        select(Tool.school_id, Tool.status, func.count())
        .where(Tool.school_id.in_(scope.school_ids), Tool.status.in_(PERMITTED))
        .group_by(Tool.school_id, Tool.status)
    ).all()
    values: dict[int, dict[str, int]] = {}
    for school_id, status, count in rows:
        values.setdefault(int(school_id), {})[str(status)] = int(count)
    return values


FIGURE = RegionFigure(
    title=lazy_gettext("AI tools permitted"),
    collect=_permitted,
    categories={
        "permitted": lazy_gettext("permitted"),
        "permitted_with_restrictions": lazy_gettext("permitted with restrictions"),
    },
)
