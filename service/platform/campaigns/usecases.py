"""Responding to, ending, reminding and extending campaigns: each one short transaction.

A response touches only the person's own row (a conditional UPDATE: a second click changes nothing and
answers 409), never the instance, so N people cost N short transactions instead of N rewrites of a state
that grows with N. The campaign ends once: whoever ends it locks the instance (when there is one) and
then the campaign row, and only a campaign still `open` is ended, so the waiting step completes once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NoReturn, cast

from sqlalchemy import Connection, Integer, String, Table, Text, bindparam, exists, func, select, text, update
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.campaigns.store import Progress, notify_pending, progress
from service.platform.clock import utcnow
from service.platform.errors import BadRequest, Conflict, Forbidden, NotFound
from service.platform.inbox.run import AuditNote, EngineStep, run_engine
from service.platform.persistence import tenancy
from service.platform.persistence.locks import lock_instance
from service.platform.persistence.models import Campaign, CampaignTask, HumanTask, User
from service.platform.registry import CampaignEnd
from service.platform.runtime import Actor, Runtime

log = logging.getLogger(__name__)

# The waiting step's status in the inbox projection: no one sees it or completes it by hand.
WAITING = "waiting"


class AlreadyResponded(Conflict):
    code = "already_responded"


class CampaignEnded(Conflict):
    code = "campaign_ended"


@dataclass(frozen=True)
class Response:
    campaign_id: int
    task_id: int
    responded_at: datetime
    ended: bool  # this response was the last one and ended the campaign


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("no such campaign")
    return campaign


# Core statements on the two tables, each naming its school: a response is the hottest write a region
# has (thousands of people at once), and the ORM's per-statement work cost more than their SQL.
_TASKS = cast(Table, CampaignTask.__table__)
_CAMPAIGNS = cast(Table, Campaign.__table__)


def respond(
    rt: Runtime,
    actor: Actor,
    campaign_id: int,
    data: Mapping[str, Any] | None = None,
    *,
    seen_version: str | None = None,
) -> Response:
    """The actor's response to a campaign they are in: 403 if not in it, 409 if done or ended."""
    if actor.id is None:
        raise Forbidden("not in this campaign")
    return _respond(rt, actor, data, seen_version, campaign_id=campaign_id)


def respond_task(rt: Runtime, actor: Actor, task_id: int, data: Mapping[str, Any] | None = None) -> Response:
    """Respond through a campaign task's id (the inbox's handle); only its own person may."""
    if actor.id is None:
        raise NotFound("no such task")
    return _respond(rt, actor, data, None, task_id=task_id)


def _respond(
    rt: Runtime,
    actor: Actor,
    data: Mapping[str, Any] | None,
    seen_version: str | None,
    *,
    campaign_id: int | None = None,
    task_id: int | None = None,
) -> Response:
    """One transaction of five statements on PostgreSQL: read the campaign, mark the person's row done,
    ask whether anyone else is still to come, append the audit event to the person's own stream (two)."""
    with rt.db.session() as session:
        school = tenancy.school_for_new_rows()
        connection = session.connection()
        campaign = _campaign_for(connection, school, actor, campaign_id, task_id)
        kind = rt.features.campaign_kinds.get(campaign.kind)
        cleaned: Mapping[str, Any] = {}
        if kind is not None and kind.check_response is not None:
            cleaned = kind.check_response(session, actor, campaign, dict(data or {}))
        now = utcnow()
        version = seen_version if seen_version is not None else campaign.doc_version
        row_id = connection.execute(
            _statements(connection.dialect.name).mark_done,
            {
                "school": school,
                "campaign": campaign.id,
                "user": actor.id,
                "now": now,
                "version": version,
                "data": json.dumps(dict(cleaned), ensure_ascii=False, default=str) if cleaned else None,
            },
        ).scalar_one_or_none()
        if row_id is None:
            assert actor.id is not None
            _why_not(session, campaign, actor.id)
        others = connection.execute(
            _statements(connection.dialect.name).someone_else_to_come,
            {"school": school, "campaign": campaign.id, "mine": row_id},
        ).first()
        # The person's own stream, not the instance's: thousands responding at once would otherwise all
        # queue on that stream's head row from their append to their commit.
        audit.append(
            session,
            actor.username,
            "campaign.respond",
            instance_id=campaign.instance_id,
            detail={
                "campaign": campaign.id,
                "kind": campaign.kind,
                "subject": campaign.subject_ref,
                "version": version,
            },
            stream=audit.actor_stream(actor.username),
        )
    ended = others is None and _end_if_nobody_pending(rt, campaign.id, actor.username)
    return Response(campaign.id, int(row_id), now, ended)


def _campaign_for(
    connection: Connection, school: int, actor: Actor, campaign_id: int | None, task_id: int | None
) -> Campaign:
    """The campaign (by its id, or by the actor's own task's id: 404 for anyone else's), read in one
    statement as a plain object for the kind's hooks."""
    statements = _statements(connection.dialect.name)
    if task_id is not None:
        row = connection.execute(statements.by_task, {"school": school, "task": task_id}).one_or_none()
    else:
        row = connection.execute(statements.by_id, {"school": school, "campaign": campaign_id}).one_or_none()
    if row is None or (task_id is not None and row.task_user != actor.id):
        raise NotFound("no such task" if task_id is not None else "no such campaign")
    return Campaign(**{column.key: row._mapping[column] for column in _CAMPAIGNS.c})


@dataclass(frozen=True)
class _Statements:
    by_id: Any
    by_task: Any
    mark_done: Any
    someone_else_to_come: Any


@cache
def _statements(dialect: str) -> _Statements:
    """A response's statements, built once with bound parameters and run on the session's connection
    (building, keying and scoping a statement per call cost more than running it); each names its school.

    `someone_else_to_come`: another person's pending row that no transaction has touched, so their
    response is still to come and will ask in turn (then this one need not check after commit). On
    PostgreSQL a row counts only if no transaction has updated or locked it (`xmax` 0): a row another
    responder has updated but not yet committed looks pending here, and counting it would let both of
    the last two responders leave the end to the other. Whoever asks last has seen every other
    response's UPDATE, so it finds nothing and checks after its commit (waiting for those in flight).
    SQLite writes one transaction at a time, so there the plain read is exact.
    """
    school = bindparam("school", type_=Integer)
    campaign = bindparam("campaign", type_=Integer)
    by_id = select(*_CAMPAIGNS.c).where(_CAMPAIGNS.c.school_id == school, _CAMPAIGNS.c.id == campaign)
    by_task = (
        select(*_CAMPAIGNS.c, _TASKS.c.user_id.label("task_user"))
        .join_from(_TASKS, _CAMPAIGNS, _CAMPAIGNS.c.id == _TASKS.c.campaign_id)
        .where(
            _TASKS.c.school_id == school,
            _TASKS.c.id == bindparam("task", type_=Integer),
            _CAMPAIGNS.c.school_id == school,
        )
    )
    still_open = exists().where(
        _CAMPAIGNS.c.school_id == school, _CAMPAIGNS.c.id == campaign, _CAMPAIGNS.c.status == "open"
    )
    mark_done = (
        update(_TASKS)
        .where(
            _TASKS.c.school_id == school,
            _TASKS.c.campaign_id == campaign,
            _TASKS.c.user_id == bindparam("user", type_=Integer),
            _TASKS.c.status == "pending",
            still_open,
        )
        .values(
            status="done",
            responded_at=bindparam("now", type_=_TASKS.c.responded_at.type),
            seen_version=bindparam("version", type_=String),
            data_json=bindparam("data", type_=Text),
        )
        .returning(_TASKS.c.id)
    )
    others = select(_TASKS.c.id).where(
        _TASKS.c.school_id == school,
        _TASKS.c.campaign_id == campaign,
        _TASKS.c.status == "pending",
        _TASKS.c.id != bindparam("mine", type_=Integer),
    )
    if dialect == "postgresql":
        others = others.where(text("campaign_task.xmax = '0'::xid"))
    return _Statements(by_id, by_task, mark_done, others.limit(1))


def _why_not(session: Session, campaign: Campaign, user_id: int) -> NoReturn:
    status = session.execute(
        select(CampaignTask.status).where(
            CampaignTask.campaign_id == campaign.id, CampaignTask.user_id == user_id
        )
    ).scalar_one_or_none()
    if status is None:
        raise Forbidden("not in this campaign")
    if status == "done":
        raise AlreadyResponded("already responded")
    raise CampaignEnded("the campaign has ended")


def _end_if_nobody_pending(rt: Runtime, campaign_id: int, by: str) -> bool:
    """After a response that may have been the last: end the campaign if nobody is pending. FOR SHARE
    waits for responses still in flight (PostgreSQL), so the answer counts them as committed."""
    with rt.db.session() as session:
        pending = session.execute(
            select(CampaignTask.id)
            .where(CampaignTask.campaign_id == campaign_id, CampaignTask.status == "pending")
            .limit(1)
            .with_for_update(read=True)
        ).first()
    if pending is not None:
        return False
    return end_campaign(rt, campaign_id, "all_responded", by)


def end_campaign(rt: Runtime, campaign_id: int, outcome: str, by: str) -> bool:
    """End the campaign once (False when it had already ended): counts and non-responders go to the
    waiting step's data (or the kind's `on_end`), pending rows become `missed`."""
    with rt.db.session() as session:
        instance_id = session.execute(
            select(Campaign.instance_id).where(Campaign.id == campaign_id)
        ).scalar_one_or_none()
        # Lock order everywhere: instance, then campaign, then the audit head.
        instance = lock_instance(session, instance_id) if instance_id is not None else None
        campaign = session.execute(
            select(Campaign)
            .where(Campaign.id == campaign_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if campaign is None or campaign.status != "open":
            return False
        now = utcnow()
        # Pending rows become missed first: a response racing this waits on its row's lock and then
        # finds it no longer pending (409), so the counts below agree with the rows.
        missed = list(
            session.execute(
                update(CampaignTask)
                .where(CampaignTask.campaign_id == campaign.id, CampaignTask.status == "pending")
                .values(status="missed")
                .returning(CampaignTask.user_id)
            ).scalars()
        )
        non_responders = sorted(
            session.execute(select(User.username).where(User.id.in_(missed))).scalars() if missed else []
        )
        responded = session.execute(
            select(func.count()).where(CampaignTask.campaign_id == campaign.id, CampaignTask.status == "done")
        ).scalar_one()
        summary = {
            "campaign": campaign.id,
            "outcome": outcome,
            "audience": campaign.audience,
            "responded": int(responded),
            "not_responded": len(missed),
            "non_responders": non_responders,
            "ended_at": now.isoformat(),
            "ended_by": by,
        }
        campaign.status = "done"
        campaign.outcome = outcome
        campaign.ended_at = now
        campaign.ended_by = by
        campaign.summary_json = json.dumps(summary, ensure_ascii=False)
        audit.append(
            session,
            by,
            "campaign.end",
            instance_id=instance_id,
            detail={k: v for k, v in summary.items() if k != "non_responders"},
        )
        if instance is not None and instance.status == "running":
            _complete_waiting_step(rt, session, instance, campaign, summary, by)
        kind = rt.features.campaign_kinds.get(campaign.kind)
        if kind is not None and kind.on_end is not None:
            kind.on_end(CampaignEnd(rt, session, campaign, summary))
        return True


def _complete_waiting_step(
    rt: Runtime, session: Session, instance: Any, campaign: Campaign, summary: dict[str, Any], by: str
) -> None:
    step = session.execute(
        select(HumanTask)
        .where(
            HumanTask.instance_id == instance.id,
            HumanTask.bpmn_id == campaign.wait_step,
            HumanTask.status == WAITING,
        )
        .order_by(HumanTask.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if step is None:
        # The process left the step (cancelled, or not yet reached): the campaign's end is recorded only.
        log.warning(
            "campaign %s ended but instance %s is not waiting at %s",
            campaign.id,
            instance.id,
            campaign.wait_step,
        )
        return
    run_engine(
        rt,
        session,
        instance,
        EngineStep("complete", {"campaign": summary}, step.engine_task_id),
        AuditNote(
            by,
            "campaign.step_complete",
            {"campaign": campaign.id, "outcome": summary["outcome"]},
            task_id=step.id,
        ),
    )
    step.status = "completed"
    step.completed_at = utcnow()
    step.data_json = json.dumps({"campaign": summary}, ensure_ascii=False)


def _managed(session: Session, rt: Runtime, actor: Actor, campaign_id: int) -> Campaign:
    campaign = _campaign(session, campaign_id)
    kind = rt.features.campaign_kinds.get(campaign.kind)
    allowed = actor.is_admin or (kind is not None and kind.may_manage(session, actor, campaign))
    if not allowed:
        raise Forbidden("not allowed")
    if campaign.status != "open":
        raise CampaignEnded("the campaign has ended")
    return campaign


def close(rt: Runtime, actor: Actor, campaign_id: int) -> bool:
    """A person allowed to manage the campaign ends it now; 409 when it has already ended."""
    with rt.db.read() as session:
        _managed(session, rt, actor, campaign_id)
    if not end_campaign(rt, campaign_id, "closed", actor.username):
        raise CampaignEnded("the campaign has ended")
    return True


def remind(rt: Runtime, actor: Actor, campaign_id: int) -> int:
    """Remind only the people still pending; returns how many were reminded (audited)."""
    with rt.db.session() as session:
        campaign = _managed(session, rt, actor, campaign_id)
        sent = notify_pending(session, campaign, mail_enabled=rt.smtp_host is not None)
        audit.append(
            session,
            actor.username,
            "campaign.remind",
            instance_id=campaign.instance_id,
            detail={"campaign": campaign.id, "reminded": sent},
        )
        return sent


def extend(rt: Runtime, actor: Actor, campaign_id: int, deadline_at: datetime) -> None:
    """Move the deadline (later than now); 422-like 400 for a past one, 409 when ended."""
    if deadline_at.tzinfo is None:
        raise BadRequest("the deadline needs a time zone")
    if deadline_at <= utcnow():
        raise BadRequest("the new deadline has passed")
    with rt.db.session() as session:
        campaign = session.execute(
            select(Campaign).where(Campaign.id == campaign_id).with_for_update()
        ).scalar_one_or_none()
        if campaign is None:
            raise NotFound("no such campaign")
        _managed(session, rt, actor, campaign_id)
        old = campaign.deadline_at
        campaign.deadline_at = deadline_at
        audit.append(
            session,
            actor.username,
            "campaign.extend",
            instance_id=campaign.instance_id,
            detail={
                "campaign": campaign.id,
                "from": old.isoformat() if old else None,
                "to": deadline_at.isoformat(),
            },
        )


def due_campaigns(rt: Runtime, now: datetime | None = None, limit: int = 100) -> list[tuple[int, str]]:
    """Open campaigns whose deadline passed or that nobody is pending in, with the outcome to end them."""
    now = now or utcnow()
    kept_open = [name for name, kind in rt.features.campaign_kinds.items() if not kind.ends_at_deadline]
    with rt.db.read() as session:
        expired = (
            session.execute(
                select(Campaign.id)
                .where(
                    Campaign.status == "open", Campaign.deadline_at <= now, Campaign.kind.not_in(kept_open)
                )
                .order_by(Campaign.deadline_at)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        pending = exists().where(CampaignTask.campaign_id == Campaign.id, CampaignTask.status == "pending")
        empty = (
            session.execute(select(Campaign.id).where(Campaign.status == "open", ~pending).limit(limit))
            .scalars()
            .all()
        )
    due = [(int(c), "deadline") for c in expired]
    due += [(int(c), "all_responded") for c in empty if c not in set(expired)]
    return due


def end_due_campaigns(rt: Runtime, now: datetime | None = None) -> int:
    """One worker pass: end what is due; two workers end each campaign once (the row lock and status)."""
    return sum(1 for cid, outcome in due_campaigns(rt, now) if end_campaign(rt, cid, outcome, "system"))


def progress_of(rt: Runtime, actor: Actor, campaign_id: int) -> Progress:
    with rt.db.read() as session:
        campaign = _campaign(session, campaign_id)
        kind = rt.features.campaign_kinds.get(campaign.kind)
        if not (actor.is_admin or (kind is not None and kind.may_manage(session, actor, campaign))):
            raise Forbidden("not allowed")
        return progress(session, campaign)
