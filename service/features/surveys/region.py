"""The surveys' figure on the region's dashboard: how many people this school year's surveys asked and
how many answered (participation only: answers are never counted per school here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.features.surveys.models import Survey
from service.platform.persistence.models import Campaign, CampaignTask
from service.platform.registry import RegionScope, RegionTotal, RegionValues
from service.platform.runtime import Runtime


def _participation_of(scope: RegionScope, by_school: bool) -> Select[Any]:
    """One statement: each of the year's surveys with its campaign's audience and its responses (counted
    per survey in the campaign's index, so a school's other campaigns — every order's acknowledgements —
    are never read), summed per school or for the whole region."""
    answered = (
        select(func.count())
        .where(CampaignTask.campaign_id == Campaign.id, CampaignTask.status == "done")
        .correlate(Campaign)
        .scalar_subquery()
    )
    surveys = (
        select(Survey.school_id, Campaign.audience.label("asked"), answered.label("answered"))
        .join(Campaign, Campaign.id == Survey.campaign_id)
        .where(
            scope.among(Survey.school_id),
            Survey.status != "draft",
            Survey.opens_on >= scope.first_day,
            Survey.opens_on <= scope.last_day,
        )
        .subquery()
    )
    by = (surveys.c.school_id,) if by_school else ()
    return select(
        *by,
        func.coalesce(func.sum(surveys.c.asked), 0),
        func.coalesce(func.sum(surveys.c.answered), 0),
    ).group_by(*by)


def participation(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    rows = session.execute(_participation_of(scope, by_school=True)).all()
    return {int(school_id): {"asked": int(asked), "answered": int(done)} for school_id, asked, done in rows}


def participation_total(rt: Runtime, session: Session, scope: RegionScope) -> RegionTotal:
    asked, done = session.execute(_participation_of(scope, by_school=False)).one()
    return {"asked": int(asked), "answered": int(done)}
