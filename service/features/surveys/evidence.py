"""A survey as evidence of a plan item's completion (items 1, 9, 26), cited by its number."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from service.features.surveys.models import Survey
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    """An opened or closed survey (a draft is not evidence of anything); anyone may see that it exists."""
    ref = ref.strip().lstrip("#№ ")
    survey = session.get(Survey, int(ref)) if ref.isdigit() and len(ref) < 10 else None
    if survey is None or survey.status == "draft":
        return None
    title = json.loads(survey.title_json or "{}")
    label = str(title.get(actor.language) or title.get("kk") or ref)
    return Evidence("survey", str(survey.id), ("surveys.show", {"survey_id": survey.id}), label)


SOURCE = EvidenceSource(
    names={"kk": "Сауалнама", "ru": "Опрос", "en": "Survey"},
    hints={
        "kk": "Сауалнаманың нөмірі (Сауалнамалар бетінде)",
        "ru": "Номер опроса (на странице «Опросы»)",
        "en": "The survey's number (on the Surveys page)",
    },
    resolve=resolve,
)
