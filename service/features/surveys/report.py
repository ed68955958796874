"""The surveys' section of the annual report: the year's surveys, answers and participation per plan item."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.surveys import rules
from service.features.surveys.models import Survey, SurveyAnswer
from service.platform.persistence.models import Campaign, CampaignTask
from service.platform.registry import ReportSection
from service.platform.runtime import Runtime


def _results(rt: Runtime, session: Session, first_day: date, last_day: date) -> Mapping[str, int] | None:
    """Surveys opened in the school year: how many, their answers, and per plan item (1, 9, 26) how
    many of how many took part (summed over that item's surveys); None when there was none."""
    surveys = list(
        session.execute(
            select(Survey).where(
                Survey.status != "draft", Survey.opens_on >= first_day, Survey.opens_on <= last_day
            )
        ).scalars()
    )
    if not surveys:
        return None
    ids = [s.id for s in surveys]
    answers = session.execute(select(func.count()).where(SurveyAnswer.survey_id.in_(ids))).scalar_one()
    rows: dict[str, int] = {"surveys": len(surveys), "answers": int(answers)}
    for item in rules.PLAN_ITEMS:
        campaign_ids = [s.campaign_id for s in surveys if s.plan_item == item and s.campaign_id is not None]
        if not campaign_ids:
            continue
        asked = session.execute(
            select(func.coalesce(func.sum(Campaign.audience), 0)).where(Campaign.id.in_(campaign_ids))
        ).scalar_one()
        done = session.execute(
            select(func.count()).where(
                CampaignTask.campaign_id.in_(campaign_ids), CampaignTask.status == "done"
            )
        ).scalar_one()
        rows[f"item_{item}_asked"] = int(asked)
        rows[f"item_{item}_answered"] = int(done)
    return rows


def _item_names(item: int) -> dict[str, dict[str, str]]:
    return {
        f"item_{item}_asked": {
            "kk": f"{item}-тармақ: сұралғандар",
            "ru": f"Пункт {item}: опрошено",
            "en": f"Item {item}: asked",
        },
        f"item_{item}_answered": {
            "kk": f"{item}-тармақ: жауап бергендер",
            "ru": f"Пункт {item}: ответили",
            "en": f"Item {item}: answered",
        },
    }


SECTION = ReportSection(
    titles={"kk": "Сауалнама нәтижелері", "ru": "Результаты опросов", "en": "Survey results"},
    collect=_results,
    row_names={
        "surveys": {"kk": "өткізілген сауалнамалар", "ru": "проведено опросов", "en": "surveys held"},
        "answers": {"kk": "алынған жауаптар", "ru": "получено ответов", "en": "answers received"},
        **{k: v for item in rules.PLAN_ITEMS for k, v in _item_names(item).items()},
    },
)
