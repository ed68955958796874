"""Survey results for their readers: participation, each question's figures, a comparison of two runs,
and the exported rows, all under one rule: a group of fewer than three answers shows no figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.features.surveys import access, queries, rules
from service.features.surveys.models import Survey
from service.platform.errors import Forbidden, NotFound
from service.platform.persistence.models import Campaign
from service.platform.runtime import Actor, Runtime


@dataclass(frozen=True)
class Run:
    """One survey's results."""

    survey: Survey
    title: dict[str, str]
    questions: list[rules.Question]
    results: rules.Results


@dataclass(frozen=True)
class ResultsView:
    run: Run
    compared: Run | None
    other_runs: list[tuple[int, dict[str, str], str]]  # (id, title, opens_on) of comparable surveys
    # A named survey's answers by person (username, name, answer, recorded by), for its interviewers.
    named: list[tuple[str, str, dict[str, Any], str | None]]


def waits_for_close(survey: Survey) -> bool:
    """An anonymous survey's figures, rows and note wait for its end (see `rules.Results`)."""
    return survey.privacy == "anonymous" and survey.status != "closed"


def run_of(session: Session, survey: Survey) -> Run:
    questions = queries.questions_of(survey)
    answers = queries.answers(session, survey.id)
    audience = responded = 0
    by_role: dict[str, tuple[int, int]] = {}
    if survey.campaign_id is not None:
        campaign = session.get(Campaign, survey.campaign_id)
        audience = campaign.audience if campaign else 0
        responded = len(queries.campaign_members(session, survey.campaign_id, "done"))
        by_role = queries.participation_by_role(session, survey.campaign_id, list(rules.AUDIENCE_ROLES))
    return Run(
        survey,
        queries.texts(survey.title_json),
        questions,
        rules.results(questions, answers, audience, responded, by_role, until_closed=waits_for_close(survey)),
    )


def _readable_results(session: Session, actor: Actor, survey_id: int) -> Survey:
    survey = access.readable(session, actor, survey_id)
    if not access.may_read_results(actor):
        raise Forbidden("the results are for the survey's keepers")
    if survey.status == "draft":
        raise NotFound("a draft has no results")
    return survey


def results_of(rt: Runtime, actor: Actor, survey_id: int, compare_with: int | None = None) -> ResultsView:
    with rt.db.read() as session:
        survey = _readable_results(session, actor, survey_id)
        others = queries.comparable_runs(session, survey)
        compared = None
        if compare_with is not None:
            match = [s for s in others if s.id == compare_with]
            if not match:
                raise NotFound("no comparable survey")
            compared = run_of(session, match[0])
        named = queries.named_answers(session, survey.id) if access.may_see_names(actor, survey) else []
        return ResultsView(
            run_of(session, survey),
            compared,
            [(s.id, queries.texts(s.title_json), s.opens_on.isoformat()) for s in others],
            named,
        )


def _cell(q: rules.Question, value: Any, lang: str) -> str:
    if value is None:
        return ""
    labels = {o.value: rules.localized(o.text, lang) for o in q.options}
    labels[rules.DONT_KNOW] = {"kk": "Білмеймін", "ru": "Не знаю"}.get(lang, "I don't know")
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return labels.get(str(value), str(value))


def export_rows(
    rt: Runtime, actor: Actor, survey_id: int, lang: str, person_header: tuple[str, str]
) -> tuple[list[str], list[list[object]]]:
    """Header (the questions in `lang`) and one row per answer, in their random order, with no person
    and no time; fewer than three answers: no rows. A named survey's interviewers get the person too."""
    with rt.db.read() as session:
        survey = _readable_results(session, actor, survey_id)
        questions = queries.questions_of(survey)
        header = [rules.localized(q.text, lang) for q in questions]
        if access.may_see_names(actor, survey):
            named = queries.named_answers(session, survey.id)
            rows: list[list[object]] = [
                [name, recorder or "", *(_cell(q, a.get(q.id), lang) for q in questions)]
                for _u, name, a, recorder in named
            ]
            return [*person_header, *header], rows  # the names are the point of a named survey
        answers = queries.answers(session, survey.id)
        if len(answers) < rules.MIN_GROUP or waits_for_close(survey):
            return header, []
        return header, [[_cell(q, a.get(q.id), lang) for q in questions] for a in answers]
