"""GET/POST /api/v1/surveys: list, create (blank or from a template), read, open, close, answer, results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from service.features.surveys import answering, results, rules, schemas
from service.features.surveys import usecases as cases
from service.platform.errors import BadRequest
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
from service.platform.web.context import runtime

api_bp = Blueprint("surveys_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def _summary(row: cases.SurveyRow) -> schemas.SurveySummary:
    return schemas.SurveySummary(
        id=row.id,
        title=schemas.texts(row.title),
        status=row.status,  # type: ignore[arg-type]  # draft | open | closed
        privacy=row.privacy,  # type: ignore[arg-type]
        opens_on=row.opens_on,
        closes_on=row.closes_on,
        plan_item=row.plan_item,
        my_status=row.my_status,  # type: ignore[arg-type]
        audience=row.audience,
        responded=row.responded,
    )


def question_body(q: rules.Question) -> schemas.SurveyQuestion:
    return schemas.SurveyQuestion(
        id=q.id,
        type=q.type,  # type: ignore[arg-type]
        text=schemas.texts(q.text),
        required=q.required,
        dont_know=q.dont_know,
        options=[schemas.SurveyOption(value=o.value, text=schemas.texts(o.text)) for o in q.options],
        low=schemas.texts(q.low) if q.type == "scale" else None,
        high=schemas.texts(q.high) if q.type == "scale" else None,
    )


def _one(survey_id: int, code: int = 200) -> ResponseReturnValue:
    view = cases.get_survey(runtime(), api_actor(), survey_id)
    s = view.survey
    body = schemas.Survey(
        id=s.id,
        title=schemas.texts(view.title),
        status=s.status,  # type: ignore[arg-type]
        privacy=s.privacy,  # type: ignore[arg-type]
        opens_on=s.opens_on,
        closes_on=s.closes_on,
        plan_item=s.plan_item,
        my_status=view.my_status,  # type: ignore[arg-type]
        audience=view.audience,
        responded=view.responded,
        intro=schemas.texts(view.intro),
        template_key=s.template_key,
        questions=[question_body(q) for q in view.questions],
    )
    return answer(body, code)


@api_bp.get("/surveys")
def api_list() -> ResponseReturnValue:
    rows = cases.list_surveys(runtime(), api_actor())
    return answer(schemas.SurveyList(surveys=[_summary(r) for r in rows]))


@api_bp.post("/surveys")
def api_create() -> ResponseReturnValue:
    """A draft survey: `{"template": key}` loads a ready template, else the survey's fields."""
    body = json_body()
    if "template" in body:
        return _one(cases.from_template(runtime(), api_actor(), str(body["template"])), 201)
    return _one(cases.create(runtime(), api_actor(), body), 201)


@api_bp.get("/surveys/<int:survey_id>")
def api_show(survey_id: int) -> ResponseReturnValue:
    return _one(survey_id)


@api_bp.post("/surveys/<int:survey_id>/open")
def api_open(survey_id: int) -> ResponseReturnValue:
    cases.open_survey(runtime(), api_actor(), survey_id)
    return _one(survey_id)


@api_bp.post("/surveys/<int:survey_id>/close")
def api_close(survey_id: int) -> ResponseReturnValue:
    cases.close(runtime(), api_actor(), survey_id)
    return _one(survey_id)


def _answers(body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("answers", {})
    if not isinstance(data, dict):
        raise BadRequest("answers must be an object")
    return data


@api_bp.post("/surveys/<int:survey_id>/answers")
def api_answer(survey_id: int) -> ResponseReturnValue:
    """The caller's own answer; with `respondent`, an interview recorded on that person's behalf."""
    body = json_body()
    respondent = body.get("respondent")
    if respondent is not None:
        if not isinstance(respondent, str):
            raise BadRequest("respondent must be a username")
        answering.record_interview(runtime(), api_actor(), survey_id, respondent, _answers(body))
        return answer(schemas.Answered(survey_id=survey_id, respondent=respondent), 201)
    answering.answer(runtime(), api_actor(), survey_id, _answers(body))
    return answer(schemas.Answered(survey_id=survey_id), 201)


def results_body(survey_id: int, r: rules.Results) -> schemas.SurveyResults:
    return schemas.SurveyResults(
        survey_id=survey_id,
        audience=r.audience,
        responded=r.responded,
        shown=r.shown,
        until_closed=r.until_closed,
        by_role=[
            schemas.RoleParticipation(role=p.role, audience=p.audience, responded=p.responded)
            for p in r.by_role
        ],
        questions=[
            schemas.QuestionResult(
                id=q.question.id,
                type=q.question.type,
                text=schemas.texts(q.question.text),
                answered=q.answered,
                shown=q.shown,
                counts=[
                    schemas.OptionCount(value=c.value, label=schemas.texts(c.label), count=c.count)
                    for c in q.counts
                ],
                numbers=dict(q.numbers),
                texts=list(q.texts),
            )
            for q in r.questions
        ],
    )


@api_bp.get("/surveys/<int:survey_id>/results")
def api_results(survey_id: int) -> ResponseReturnValue:
    """The figures the results page shows (the survey's keepers and the director)."""
    view = results.results_of(runtime(), api_actor(), survey_id)
    return answer(results_body(survey_id, view.run.results))
