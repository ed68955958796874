"""The surveys' figure on the region's dashboard: how many people this school year's surveys asked and
how many answered (participation only: answers are never counted per school here)."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.surveys.models import Survey
from service.platform.persistence.models import Campaign, CampaignTask
from service.platform.registry import RegionFigure, RegionScope, RegionValues
from service.platform.runtime import Runtime


def _participation(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    """One statement: each survey's campaign (its audience) with its count of responses, summed per school."""
    responded = (
        select(CampaignTask.campaign_id, func.count().label("done"))
        .where(CampaignTask.status == "done", CampaignTask.school_id.in_(scope.school_ids))
        .group_by(CampaignTask.campaign_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Survey.school_id,
            func.coalesce(func.sum(Campaign.audience), 0),
            func.coalesce(func.sum(responded.c.done), 0),
        )
        .join(Campaign, Campaign.id == Survey.campaign_id)
        .outerjoin(responded, responded.c.campaign_id == Campaign.id)
        .where(
            Survey.school_id.in_(scope.school_ids),
            Survey.status != "draft",
            Survey.opens_on >= scope.first_day,
            Survey.opens_on <= scope.last_day,
        )
        .group_by(Survey.school_id)
    ).all()
    return {int(school_id): {"asked": int(asked), "answered": int(done)} for school_id, asked, done in rows}


FIGURE = RegionFigure(
    title=lazy_gettext("Participation in this school year's surveys"),
    collect=_participation,
    categories={"asked": lazy_gettext("asked"), "answered": lazy_gettext("answered")},
)
