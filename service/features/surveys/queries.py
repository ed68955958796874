"""Reading and writing survey rows inside the caller's transaction: surveys, answers, participation."""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from service.features.surveys import rules
from service.features.surveys.models import Survey, SurveyAnswer
from service.platform.persistence.models import CampaignTask, User, UserRole


def questions_of(survey: Survey) -> list[rules.Question]:
    return rules.read_questions(json.loads(survey.questions_json or "[]"))


def texts(raw: str) -> dict[str, str]:
    value = json.loads(raw or "{}")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def surveys(session: Session) -> list[Survey]:
    return list(session.execute(select(Survey).order_by(Survey.opens_on.desc(), Survey.id.desc())).scalars())


def comparable_runs(session: Session, survey: Survey) -> list[Survey]:
    """Other opened surveys to compare with: runs of the same template, and any survey that asks at least
    one of the same questions (same kind, same Kazakh wording), newest first."""
    mine = {rules.signature(q) for q in questions_of(survey)}
    others = session.execute(
        select(Survey)
        .where(Survey.id != survey.id, Survey.status != "draft")
        .order_by(Survey.opens_on.desc(), Survey.id.desc())
    ).scalars()
    return [
        s
        for s in others
        if (survey.template_key and s.template_key == survey.template_key)
        or mine & {rules.signature(q) for q in questions_of(s)}
    ]


def answers(session: Session, survey_id: int) -> list[dict[str, Any]]:
    """The answers' contents, ordered by their random key (an order that says nothing)."""
    rows = session.execute(
        select(SurveyAnswer.answers_json).where(SurveyAnswer.survey_id == survey_id).order_by(SurveyAnswer.id)
    ).scalars()
    return [json.loads(r) for r in rows]


def named_answers(session: Session, survey_id: int) -> list[tuple[str, str, dict[str, Any], str | None]]:
    """A named survey's answers: the respondent (username, full name), the answer, and the full name of
    who recorded it (the respondent themself for a questionnaire, HR or a deputy director for an
    interview)."""
    recorder = aliased(User)
    rows = session.execute(
        select(
            User.username,
            User.full_name,
            SurveyAnswer.answers_json,
            recorder.full_name,
            SurveyAnswer.recorded_by,
        )
        .join(User, User.id == SurveyAnswer.respondent_id)
        .outerjoin(recorder, recorder.username == SurveyAnswer.recorded_by)
        .where(SurveyAnswer.survey_id == survey_id)
        .order_by(User.full_name, User.username)
    ).all()
    return [(str(u), str(n), json.loads(a), rn or r) for u, n, a, rn, r in rows]


def add_anonymous_answer(session: Session, survey_id: int, answer: Mapping[str, Any]) -> None:
    """Adds the answer and rewrites all of the survey's answers in a random order under new random keys.

    The caller holds the campaign's row lock, so answers of one survey are written one at a time. After
    the rewrite every row is as new as every other: neither a key, nor a row's physical place, nor its
    transaction id tells which answer came last (old row versions are left to the database's vacuum).
    """
    contents = list(
        session.execute(
            select(SurveyAnswer.answers_json).where(SurveyAnswer.survey_id == survey_id)
        ).scalars()
    )
    contents.append(json.dumps(dict(answer), ensure_ascii=False, sort_keys=True))
    random.SystemRandom().shuffle(contents)
    session.execute(delete(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id))
    session.execute(
        insert(SurveyAnswer),
        [{"id": secrets.token_hex(16), "survey_id": survey_id, "answers_json": c} for c in contents],
    )


def add_named_answer(
    session: Session, survey_id: int, respondent_id: int, answer: Mapping[str, Any], by: str, at: datetime
) -> None:
    session.add(
        SurveyAnswer(
            id=secrets.token_hex(16),
            survey_id=survey_id,
            answers_json=json.dumps(dict(answer), ensure_ascii=False, sort_keys=True),
            respondent_id=respondent_id,
            recorded_by=by,
            recorded_at=at,
        )
    )


def answer_count(session: Session, survey_id: int) -> int:
    return int(session.execute(select(func.count()).where(SurveyAnswer.survey_id == survey_id)).scalar_one())


def audience_ids(session: Session, roles: list[str], usernames: list[str]) -> list[int]:
    """Active holders of the roles and the named people, as user ids."""
    ids: set[int] = set()
    if roles:
        ids.update(session.execute(select(UserRole.user_id).where(UserRole.role.in_(roles))).scalars())
    if usernames:
        ids.update(session.execute(select(User.id).where(User.username.in_(usernames))).scalars())
    if not ids:
        return []
    return sorted(
        session.execute(select(User.id).where(User.id.in_(ids), User.is_active.is_(True))).scalars()
    )


def unknown_usernames(session: Session, usernames: list[str]) -> list[str]:
    found = set(session.execute(select(User.username).where(User.username.in_(usernames))).scalars())
    return [u for u in usernames if u not in found]


def participation_by_role(session: Session, campaign_id: int, roles: list[str]) -> dict[str, tuple[int, int]]:
    """role → (people asked, people who took part), counts only (never who)."""
    rows = session.execute(
        select(UserRole.role, CampaignTask.status, func.count())
        .join(CampaignTask, CampaignTask.user_id == UserRole.user_id)
        .where(CampaignTask.campaign_id == campaign_id, UserRole.role.in_(roles))
        .group_by(UserRole.role, CampaignTask.status)
    ).all()
    table: dict[str, list[int]] = {role: [0, 0] for role in roles}
    for role, status, count in rows:
        table[str(role)][0] += int(count)
        if status == "done":
            table[str(role)][1] += int(count)
    return {role: (a, d) for role, (a, d) in table.items() if a}


def my_task(session: Session, campaign_id: int, user_id: int) -> CampaignTask | None:
    return session.execute(
        select(CampaignTask).where(CampaignTask.campaign_id == campaign_id, CampaignTask.user_id == user_id)
    ).scalar_one_or_none()


def people(session: Session, ids: list[int]) -> list[tuple[int, str, str]]:
    """(id, username, full name) of these people, by name."""
    if not ids:
        return []
    rows = session.execute(
        select(User.id, User.username, User.full_name).where(User.id.in_(ids)).order_by(User.full_name)
    ).all()
    return [(int(i), str(u), str(n)) for i, u, n in rows]


def campaign_members(session: Session, campaign_id: int, status: str | None = None) -> list[int]:
    query = select(CampaignTask.user_id).where(CampaignTask.campaign_id == campaign_id)
    if status is not None:
        query = query.where(CampaignTask.status == status)
    return list(session.execute(query).scalars())
