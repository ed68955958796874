"""Writing and opening surveys: create (blank or from a template), edit a draft, open, close, list, read.

A survey is a plain register record, not a BPMN process: its audience's tasks are a platform campaign
(kind `survey`), opened when a keeper opens the survey and ended by the deadline (the closing day), by
a keeper, or when everyone has answered. Each change is one transaction ending with its audit event.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.surveys import access, queries, rules
from service.features.surveys.models import Survey
from service.features.surveys.plan_templates import BY_KEY
from service.platform.audit import log as audit
from service.platform.campaigns import store
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.platform.notify.outbox import notify
from service.platform.persistence.models import Campaign, User
from service.platform.registry import CampaignEnd
from service.platform.runtime import Actor, Runtime

KIND = "survey"


class NotDraft(Conflict):
    code = "survey_not_draft"


class NotYetOpen(Conflict):
    code = "survey_not_yet_open"


class SurveyClosed(Conflict):
    code = "survey_closed"


def today(rt: Runtime) -> date:
    return datetime.now(rt.tz).date()


@dataclass(frozen=True)
class SurveyRow:
    id: int
    title: dict[str, str]
    status: str
    privacy: str
    opens_on: date
    closes_on: date
    plan_item: int | None
    my_status: str | None  # pending | done | missed, or None outside the audience
    audience: int
    responded: int


@dataclass(frozen=True)
class SurveyView:
    survey: Survey
    title: dict[str, str]
    intro: dict[str, str]
    questions: list[rules.Question]
    my_status: str | None
    may_manage: bool
    may_read_results: bool
    may_interview: bool
    audience: int
    responded: int
    pending_people: list[tuple[str, str]]  # (username, name): named surveys' interviewers only


def _lock(session: Session, survey_id: int) -> Survey:
    survey = session.execute(
        select(Survey)
        .where(Survey.id == survey_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if survey is None:
        raise NotFound("no such survey")
    return survey


def _audit(session: Session, actor: Actor, action: str, survey: Survey, **extra: Any) -> None:
    detail = {"survey": survey.id, "privacy": survey.privacy, "status": survey.status, **extra}
    audit.append(session, actor.username, f"survey.{action}", detail=detail)


def _store_fields(survey: Survey, fields: rules.SurveyFields, questions: list[rules.Question]) -> None:
    survey.title_json = json.dumps(fields.title, ensure_ascii=False)
    survey.intro_json = json.dumps(fields.intro, ensure_ascii=False)
    survey.questions_json = json.dumps([q.as_dict() for q in questions], ensure_ascii=False)
    survey.privacy = fields.privacy
    survey.audience_roles = ",".join(fields.audience_roles)
    survey.audience_people = ",".join(fields.audience_people)
    survey.opens_on, survey.closes_on = fields.opens_on, fields.closes_on
    survey.plan_item = fields.plan_item
    survey.updated_at = utcnow()


def _read(
    session: Session, rt: Runtime, data: Mapping[str, Any]
) -> tuple[rules.SurveyFields, list[rules.Question]]:
    """Fields and questions together, so one 422 names every problem."""
    errors: dict[str, FieldError] = {}
    fields = questions = None
    try:
        fields = rules.read_fields(data, today(rt))
    except ValidationFailed as err:
        errors.update(err.fields)
    try:
        questions = rules.read_questions(data.get("questions"))
    except ValidationFailed as err:
        errors.update(err.fields)
    if fields is not None and fields.audience_people:
        unknown = queries.unknown_usernames(session, list(fields.audience_people))
        if unknown:
            errors["audience_people"] = FieldError("unknown_user")
    if errors or fields is None or questions is None:
        raise ValidationFailed(errors)
    return fields, questions


def create(rt: Runtime, actor: Actor, data: Mapping[str, Any]) -> int:
    """A new draft survey (a keeper)."""
    access.require_keeper(actor)
    with rt.db.session() as session:
        fields, questions = _read(session, rt, data)
        survey = Survey(created_by=actor.username, status="draft", template_key=fields.template_key)
        _store_fields(survey, fields, questions)
        session.add(survey)
        session.flush()
        _audit(session, actor, "create", survey, template=survey.template_key)
        return survey.id


def template_data(key: str, start: date) -> dict[str, Any]:
    """A template as a survey's submitted data: two weeks from `start`."""
    template = BY_KEY.get(key)
    if template is None:
        raise ValidationFailed({"template": FieldError("enum")})
    return {
        "title": template.title,
        "intro": template.intro,
        "privacy": template.privacy,
        "audience_roles": ["staff"],
        "opens_on": start.isoformat(),
        "closes_on": (start + timedelta(days=14)).isoformat(),
        "plan_item": str(template.plan_item),
        "template_key": template.key,
        "questions": template.questions,
    }


def from_template(rt: Runtime, actor: Actor, key: str) -> int:
    """Load a ready template as a new draft its keeper may edit before opening it."""
    access.require_keeper(actor)
    return create(rt, actor, template_data(key, today(rt)))


def update(rt: Runtime, actor: Actor, survey_id: int, data: Mapping[str, Any]) -> None:
    """Edit a draft; an opened survey keeps its questions (409): answers were given to them."""
    access.require_keeper(actor)
    with rt.db.session() as session:
        survey = _lock(session, survey_id)
        if survey.status != "draft":
            raise NotDraft("the survey is already open")
        fields, questions = _read(session, rt, {**data, "template_key": survey.template_key})
        _store_fields(survey, fields, questions)
        _audit(session, actor, "update", survey)


def _deadline(rt: Runtime, closes_on: date) -> datetime:
    """The end of the closing day in the school's time zone."""
    return datetime.combine(closes_on + timedelta(days=1), time(0), tzinfo=rt.tz)


def open_survey(rt: Runtime, actor: Actor, survey_id: int) -> None:
    """Open a draft: every member of the audience gets an inbox task and a notification."""
    access.require_keeper(actor)
    with rt.db.session() as session:
        survey = _lock(session, survey_id)
        if survey.status != "draft":
            raise NotDraft("the survey is already open")
        if today(rt) < survey.opens_on:
            raise NotYetOpen("the opening day has not come")
        if survey.closes_on < today(rt):
            raise ValidationFailed({"closes_on": FieldError("date_past")})
        ids = queries.audience_ids(session, _split(survey.audience_roles), _split(survey.audience_people))
        if not ids:
            raise ValidationFailed({"audience_roles": FieldError("required")})
        title = queries.texts(survey.title_json)
        campaign = store.open_campaign(
            session,
            rt.features,
            kind=KIND,
            audience=ids,
            title=title.get("kk", ""),
            subject_ref=str(survey.id),
            doc_version="1",
            deadline_at=_deadline(rt, survey.closes_on),
            opened_by=actor.username,
        )
        survey.campaign_id, survey.status, survey.opened_at = campaign.id, "open", utcnow()
        people = session.execute(select(User).where(User.id.in_(ids))).scalars()
        notify(
            session,
            list(people),
            "survey_opened",
            {
                "subject": "survey_opened",
                "survey": survey.id,
                "title": title,
                "closes_on": survey.closes_on.isoformat(),
                "path": f"/surveys/{survey.id}",
            },
            mail_enabled=rt.smtp_host is not None,
        )
        _audit(session, actor, "open", survey, audience=len(ids))


def close(rt: Runtime, actor: Actor, survey_id: int) -> None:
    """A keeper closes an open survey early: the open tasks are withdrawn (409 when already closed)."""
    access.require_keeper(actor)
    with rt.db.read() as session:
        survey = access.readable(session, actor, survey_id)
        if survey.status != "open" or survey.campaign_id is None:
            raise SurveyClosed("the survey is not open")
        campaign_id = survey.campaign_id
    campaigns.close(rt, actor, campaign_id)


def remind(rt: Runtime, actor: Actor, survey_id: int) -> int:
    """A keeper reminds only those who have not answered yet (a `reminder` each); how many."""
    access.require_keeper(actor)
    with rt.db.read() as session:
        survey = access.readable(session, actor, survey_id)
        if survey.status != "open" or survey.campaign_id is None:
            raise SurveyClosed("the survey is not open")
        campaign_id = survey.campaign_id
    return campaigns.remind(rt, actor, campaign_id)


def on_campaign_end(end: CampaignEnd) -> None:
    """The campaign ended (deadline, closed, everyone answered): the survey closes in that transaction.
    Pending tasks have just become `missed`, which takes them out of every inbox."""
    survey = end.session.execute(
        select(Survey).where(Survey.campaign_id == end.campaign.id)
    ).scalar_one_or_none()
    if survey is None or survey.status == "closed":
        return
    survey.status, survey.closed_at = "closed", utcnow()
    audit.append(
        end.session,
        str(end.summary.get("ended_by") or "system"),
        "survey.close",
        detail={
            "survey": survey.id,
            "outcome": end.summary.get("outcome"),
            "answers": end.summary.get("responded"),
        },
    )


def may_manage_campaign(session: Session, actor: Actor, campaign: Campaign) -> bool:
    return access.is_keeper(actor)


def _split(raw: str) -> list[str]:
    return [part for part in raw.split(",") if part]


def list_surveys(rt: Runtime, actor: Actor) -> list[SurveyRow]:
    """Every survey a person may see: keepers all, others those that are not drafts."""
    with rt.db.read() as session:
        rows: list[SurveyRow] = []
        for s in queries.surveys(session):
            if s.status == "draft" and not access.is_keeper(actor):
                continue
            mine = None
            audience = responded = 0
            if s.campaign_id is not None:
                campaign = session.get(Campaign, s.campaign_id)
                audience = campaign.audience if campaign else 0
                responded = len(queries.campaign_members(session, s.campaign_id, "done"))
                task = queries.my_task(session, s.campaign_id, actor.id) if actor.id is not None else None
                mine = task.status if task is not None else None
            rows.append(
                SurveyRow(
                    s.id,
                    queries.texts(s.title_json),
                    s.status,
                    s.privacy,
                    s.opens_on,
                    s.closes_on,
                    s.plan_item,
                    mine,
                    audience,
                    responded,
                )
            )
        return rows


def get_survey(rt: Runtime, actor: Actor, survey_id: int) -> SurveyView:
    with rt.db.read() as session:
        survey = access.readable(session, actor, survey_id)
        mine = None
        audience = responded = 0
        pending: list[tuple[str, str]] = []
        if survey.campaign_id is not None:
            campaign = session.get(Campaign, survey.campaign_id)
            audience = campaign.audience if campaign else 0
            responded = len(queries.campaign_members(session, survey.campaign_id, "done"))
            task = queries.my_task(session, survey.campaign_id, actor.id) if actor.id is not None else None
            mine = task.status if task is not None else None
            if access.may_interview(actor, survey) and survey.status == "open":
                ids = queries.campaign_members(session, survey.campaign_id, "pending")
                pending = [(u, n) for _i, u, n in queries.people(session, ids)]
        return SurveyView(
            survey,
            queries.texts(survey.title_json),
            queries.texts(survey.intro_json),
            queries.questions_of(survey),
            mine,
            access.is_keeper(actor),
            access.may_read_results(actor),
            access.may_interview(actor, survey),
            audience,
            responded,
            pending,
        )


def editable_data(rt: Runtime, actor: Actor, survey_id: int) -> dict[str, Any]:
    """A draft as the editor's data (the same shape a submit has)."""
    access.require_keeper(actor)
    with rt.db.read() as session:
        survey = access.readable(session, actor, survey_id)
        return {
            "title": queries.texts(survey.title_json),
            "intro": queries.texts(survey.intro_json),
            "privacy": survey.privacy,
            "audience_roles": _split(survey.audience_roles),
            "audience_people": _split(survey.audience_people),
            "opens_on": survey.opens_on.isoformat(),
            "closes_on": survey.closes_on.isoformat(),
            "plan_item": str(survey.plan_item or ""),
            "template_key": survey.template_key,
            "questions": json.loads(survey.questions_json or "[]"),
            "status": survey.status,
        }


def staff_choices(rt: Runtime, actor: Actor) -> list[tuple[str, str]]:
    access.require_keeper(actor)
    with rt.db.read() as session:
        rows = session.execute(
            select(User.username, User.full_name).where(User.is_active.is_(True)).order_by(User.full_name)
        ).all()
        return [(str(u), str(n)) for u, n in rows]
