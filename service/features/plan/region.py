"""The plan's figure on the region's dashboard: the share of the school year's plan done, by stage."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.plan.models import PlanItem, SchoolPlan
from service.platform.registry import RegionFigure, RegionScope, RegionValues
from service.platform.runtime import Runtime

WHOLE = "all"


def _completion(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    """Per school, the percentage of this school year's plan items marked done, per stage and overall."""
    rows = session.execute(
        select(PlanItem.school_id, PlanItem.stage, func.count(), func.count(PlanItem.done_at))
        .join(SchoolPlan, SchoolPlan.id == PlanItem.plan_id)
        .where(
            SchoolPlan.school_year == scope.first_day.year,
            PlanItem.school_id.in_(scope.school_ids),
        )
        .group_by(PlanItem.school_id, PlanItem.stage)
    ).all()
    totals: dict[int, dict[str, tuple[int, int]]] = {}
    for school_id, stage, total, done in rows:
        per = totals.setdefault(int(school_id), {})
        per[str(stage)] = (int(done), int(total))
        whole = per.get(WHOLE, (0, 0))
        per[WHOLE] = (whole[0] + int(done), whole[1] + int(total))
    return {
        school_id: {code: round(100 * done / total) for code, (done, total) in per.items() if total}
        for school_id, per in totals.items()
    }


FIGURE = RegionFigure(
    title=lazy_gettext("Plan completion by stage"),
    collect=_completion,
    categories={WHOLE: lazy_gettext("whole plan")},
    category_name=lambda code: lazy_gettext("Stage %(number)s", number=code),
    unit="percent",
)
