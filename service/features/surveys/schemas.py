"""Surveys' /api/v1 answers as typed models (web layer: api and openapi import them)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day


class Texts(ApiModel):
    kk: str = ""
    ru: str = ""
    en: str = ""


class SurveyOption(ApiModel):
    value: str
    text: Texts


class SurveyQuestion(ApiModel):
    id: str = Field(description="the key of this question's answer (q1, q2, …)")
    type: Literal["single", "multiple", "scale", "number", "short_text", "long_text"]
    text: Texts
    required: bool
    dont_know: bool = Field(description='"dont_know" is accepted as an answer')
    options: list[SurveyOption] = Field(default_factory=list, description="single and multiple only")
    low: Texts | None = Field(default=None, description="the scale's label of 1")
    high: Texts | None = Field(default=None, description="the scale's label of 5")


class SurveySummary(ApiModel):
    id: int
    title: Texts
    status: Literal["draft", "open", "closed"]
    privacy: Literal["anonymous", "named"]
    opens_on: Day
    closes_on: Day
    plan_item: int | None = None
    my_status: Literal["pending", "done", "missed"] | None = Field(
        default=None, description="the caller's task; null outside the audience"
    )
    audience: int
    responded: int


class SurveyList(ApiModel):
    surveys: list[SurveySummary]


class Survey(SurveySummary):
    intro: Texts
    template_key: str = ""
    questions: list[SurveyQuestion]


class Answered(ApiModel):
    survey_id: int
    recorded: bool = True
    respondent: str | None = Field(default=None, description="an interview's staff member (named surveys)")


class OptionCount(ApiModel):
    value: str
    label: Texts
    count: int


class QuestionResult(ApiModel):
    id: str
    type: str
    text: Texts
    answered: int
    shown: bool = Field(description="false: fewer than 3 answers, no figures")
    counts: list[OptionCount] = Field(default_factory=list)
    numbers: dict[str, float] = Field(default_factory=dict, description="n, min, q1, median, q3, max, mean")
    texts: list[str] = Field(default_factory=list, description="free texts, sorted, without names")


class RoleParticipation(ApiModel):
    role: str
    audience: int
    responded: int | None = Field(description="null: fewer than 3 (not shown)")


class SurveyResults(ApiModel):
    survey_id: int
    audience: int
    responded: int
    shown: bool = Field(description="false: fewer than 3 answers in all, or an anonymous survey still open")
    until_closed: bool = Field(description="an anonymous survey still open: figures come once it is closed")
    by_role: list[RoleParticipation]
    questions: list[QuestionResult]


MODELS: tuple[type[ApiModel], ...] = (
    Texts,
    SurveyOption,
    SurveyQuestion,
    SurveySummary,
    SurveyList,
    Survey,
    Answered,
    OptionCount,
    QuestionResult,
    RoleParticipation,
    SurveyResults,
)


def texts(value: dict[str, Any]) -> Texts:
    return Texts(**{k: str(value.get(k) or "") for k in ("kk", "ru", "en")})
