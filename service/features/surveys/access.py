"""Who may do what with surveys: keepers write and read results, interviewers record, the audience answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.features.surveys import rules
from service.features.surveys.models import Survey
from service.platform.errors import Forbidden, NotFound
from service.platform.runtime import Actor

# The director reads every survey's results (the analytical notes are addressed to them).
RESULT_READERS = (*rules.KEEPER_ROLES, "director")


def is_keeper(actor: Actor) -> bool:
    return actor.has(*rules.KEEPER_ROLES)


def require_keeper(actor: Actor) -> None:
    if not is_keeper(actor):
        raise Forbidden("only the survey keepers (responsible, wg_chair, hr, deputy_director) may")


def may_read_results(actor: Actor) -> bool:
    return actor.has(*RESULT_READERS)


def may_see_names(actor: Actor, survey: Survey) -> bool:
    """A named survey's per-person answers: the interviewers and the survey's author."""
    return survey.privacy == "named" and (
        actor.has(*rules.INTERVIEWER_ROLES) or actor.username == survey.created_by
    )


def may_interview(actor: Actor, survey: Survey) -> bool:
    return survey.privacy == "named" and actor.has(*rules.INTERVIEWER_ROLES)


def readable(session: Session, actor: Actor, survey_id: int) -> Survey:
    """A survey: drafts only for keepers (for others a draft does not exist: 404)."""
    survey = session.get(Survey, survey_id)
    if survey is None or (survey.status == "draft" and not is_keeper(actor)):
        raise NotFound("no such survey")
    return survey
