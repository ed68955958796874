"""Answering a survey: one's own answer through the platform's campaign, or an interview recorded by HR.

The answer is written by the campaign kind's `check_response` inside the platform's response
transaction, before the person's campaign row is marked done: if that row was already done (a second
answer, 409) or the campaign has ended, the whole transaction rolls back and the first answer stands
untouched. The campaign row keeps no answer (its data stays empty), so participation and answers live
in different tables with nothing joining them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.features.surveys import access, queries, rules
from service.features.surveys.models import Survey
from service.features.surveys.usecases import SurveyClosed, today
from service.platform.audit import log as audit
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.inbox import queries as people
from service.platform.persistence.models import Campaign, CampaignTask
from service.platform.runtime import Actor, Runtime

AlreadyAnswered = campaigns.AlreadyResponded


def check_response(
    session: Session, actor: Actor, campaign: Campaign, data: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The campaign kind's hook: clean the answer (422) and store it, serialized per survey by the
    campaign's row lock (the lock the platform takes first when it ends the campaign, so no deadlock)."""
    session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    survey = session.execute(select(Survey).where(Survey.campaign_id == campaign.id)).scalar_one_or_none()
    if survey is None:
        raise NotFound("no such survey")
    cleaned = rules.clean_answers(queries.questions_of(survey), data)
    if survey.privacy == "anonymous":
        queries.add_anonymous_answer(session, survey.id, cleaned)
    else:
        assert actor.id is not None
        queries.add_named_answer(session, survey.id, actor.id, cleaned, actor.username, utcnow())
    return {}  # nothing of the answer on the campaign row


def _open_survey(session: Session, actor: Actor, survey_id: int, rt: Runtime) -> Survey:
    survey = access.readable(session, actor, survey_id)
    if survey.status == "draft":
        raise NotFound("no such survey")
    if survey.status == "closed" or survey.campaign_id is None or today(rt) > survey.closes_on:
        raise SurveyClosed("the survey is closed")
    return survey


def answer(rt: Runtime, actor: Actor, survey_id: int, data: Mapping[str, Any]) -> None:
    """The actor's own answer: 403 outside the audience, 409 when answered before or closed, 422."""
    if actor.id is None:
        raise Forbidden("not in this survey's audience")
    with rt.db.read() as session:
        survey = _open_survey(session, actor, survey_id, rt)
        assert survey.campaign_id is not None
        task = queries.my_task(session, survey.campaign_id, actor.id)
        if task is None:
            raise Forbidden("not in this survey's audience")
        if task.status == "done":
            raise AlreadyAnswered("already answered")
        campaign_id = survey.campaign_id
    campaigns.respond(rt, actor, campaign_id, data)


def record_interview(
    rt: Runtime, actor: Actor, survey_id: int, respondent: str, data: Mapping[str, Any]
) -> None:
    """HR or a deputy director records a named survey's interview on a staff member's behalf: the
    staff member is the respondent, the recorder is audited and kept on the answer."""
    with rt.db.session() as session:
        survey = _open_survey(session, actor, survey_id, rt)
        if not access.may_interview(actor, survey):
            raise Forbidden("interviews are recorded by HR or a deputy director, in named surveys")
        assert survey.campaign_id is not None
        session.execute(select(Campaign.id).where(Campaign.id == survey.campaign_id).with_for_update())
        person = people.user_by_username(session, respondent.strip()) if respondent.strip() else None
        task = queries.my_task(session, survey.campaign_id, person.id) if person is not None else None
        errors: dict[str, FieldError] = {}
        if task is None:
            errors["respondent"] = FieldError("required" if not respondent.strip() else "unknown_user")
        try:
            cleaned = rules.clean_answers(queries.questions_of(survey), data)
        except ValidationFailed as err:
            errors.update(err.fields)
        if errors:
            raise ValidationFailed(errors)
        assert task is not None and person is not None
        if task.status == "done":
            raise AlreadyAnswered("already answered")
        if task.status != "pending":
            raise Conflict("the person's task has ended")
        now = utcnow()
        changed = session.execute(
            update(CampaignTask)
            .where(CampaignTask.id == task.id, CampaignTask.status == "pending")
            .values(status="done", responded_at=now, seen_version="interview")
            .returning(CampaignTask.id)
        ).scalar_one_or_none()
        if changed is None:
            raise AlreadyAnswered("already answered")
        queries.add_named_answer(session, survey.id, person.id, cleaned, actor.username, now)
        audit.append(
            session,
            actor.username,
            "survey.interview",
            detail={"survey": survey.id, "respondent": person.username, "recorded_by": actor.username},
        )
        campaign_id = survey.campaign_id
    with rt.db.read() as session:
        if queries.campaign_members(session, campaign_id, "pending"):
            return
    campaigns.end_campaign(rt, campaign_id, "all_responded", actor.username)
