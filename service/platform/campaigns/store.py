"""Opening a campaign and reading its rows, inside the caller's transaction (an operator's or a use case)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import BadRequest
from service.platform.notify.outbox import notify
from service.platform.persistence.models import Campaign, CampaignTask, User, UserRole
from service.platform.registry import Registry


def open_campaign(
    session: Session,
    registry: Registry,
    *,
    kind: str,
    audience: Collection[int],
    title: str = "",
    subject_ref: str = "",
    doc_version: str = "",
    deadline_at: datetime | None = None,
    instance_id: int | None = None,
    wait_step: str | None = None,
    opened_by: str = "system",
) -> Campaign:
    """Open a campaign of a declared `kind` for the active people among `audience` (user ids).

    With `instance_id` and `wait_step` (the BPMN id of a user task marked `waitsForCampaign`), the
    campaign completes that step once when it ends; without them (a survey has no process) the kind's
    `on_end` hook hears of the end. Every person gets one pending row, inserted in one statement.
    """
    if kind not in registry.campaign_kinds:
        raise BadRequest(f"unknown campaign kind {kind!r}")
    if (instance_id is None) != (wait_step is None):
        raise BadRequest("a campaign waits on a step of an instance: give both or neither")
    now = utcnow()
    people = sorted(
        set(
            session.execute(
                select(User.id).where(User.id.in_(list(set(audience))), User.is_active.is_(True))
            ).scalars()
        )
    )
    campaign = Campaign(
        kind=kind,
        subject_ref=subject_ref,
        title=title[:300],
        doc_version=doc_version,
        instance_id=instance_id,
        wait_step=wait_step,
        status="open",
        deadline_at=deadline_at,
        opened_at=now,
        opened_by=opened_by,
        audience=len(people),
    )
    session.add(campaign)
    session.flush()
    if people:
        session.execute(
            insert(CampaignTask),
            [
                {"campaign_id": campaign.id, "user_id": uid, "status": "pending", "created_at": now}
                for uid in people
            ],
        )
    audit.append(
        session,
        opened_by,
        "campaign.open",
        instance_id=instance_id,
        detail={"campaign": campaign.id, "kind": kind, "subject": subject_ref, "audience": len(people)},
    )
    return campaign


@dataclass(frozen=True)
class Progress:
    """How far a campaign has come: counts, and the people still pending (for reminders and pages)."""

    campaign_id: int
    status: str
    outcome: str | None
    audience: int
    responded: int
    pending: list[tuple[str, str]]  # (username, full name)
    deadline_at: datetime | None
    summary: dict[str, Any] | None


def progress(session: Session, campaign: Campaign) -> Progress:
    counts = dict(
        session.execute(
            select(CampaignTask.status, func.count())
            .where(CampaignTask.campaign_id == campaign.id)
            .group_by(CampaignTask.status)
        ).all()
    )
    pending = [
        (str(u), str(n))
        for u, n in session.execute(
            select(User.username, User.full_name)
            .join(CampaignTask, CampaignTask.user_id == User.id)
            .where(CampaignTask.campaign_id == campaign.id, CampaignTask.status == "pending")
            .order_by(User.full_name, User.username)
        ).all()
    ]
    return Progress(
        campaign.id,
        campaign.status,
        campaign.outcome,
        campaign.audience,
        int(counts.get("done", 0)),
        pending,
        campaign.deadline_at,
        json.loads(campaign.summary_json) if campaign.summary_json else None,
    )


def campaigns_of(
    session: Session,
    *,
    instance_id: int | None = None,
    kind: str | None = None,
    subject_ref: str | None = None,
) -> list[Campaign]:
    """The campaigns of an instance or of a feature's record, newest first."""
    query = select(Campaign)
    if instance_id is not None:
        query = query.where(Campaign.instance_id == instance_id)
    if kind is not None:
        query = query.where(Campaign.kind == kind)
    if subject_ref is not None:
        query = query.where(Campaign.subject_ref == subject_ref)
    return list(session.execute(query.order_by(Campaign.id.desc())).scalars())


@dataclass(frozen=True)
class PendingTask:
    """A person's pending campaign task as an inbox shows it."""

    id: int
    campaign_id: int
    kind: str
    title: str
    subject_ref: str
    instance_id: int | None
    created_at: datetime
    due_at: datetime | None


def pending_for(session: Session, user_id: int, limit: int = 50, offset: int = 0) -> list[PendingTask]:
    """The person's pending campaign tasks, newest first (index on user, status)."""
    rows = session.execute(
        select(
            CampaignTask.id,
            Campaign.id,
            Campaign.kind,
            Campaign.title,
            Campaign.subject_ref,
            Campaign.instance_id,
            CampaignTask.created_at,
            Campaign.deadline_at,
        )
        .join(Campaign, Campaign.id == CampaignTask.campaign_id)
        .where(CampaignTask.user_id == user_id, CampaignTask.status == "pending")
        .order_by(CampaignTask.created_at.desc(), CampaignTask.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [PendingTask(*row) for row in rows]


def pending_count(session: Session, user_id: int, cap: int = 100) -> int:
    limited = (
        select(CampaignTask.id)
        .where(CampaignTask.user_id == user_id, CampaignTask.status == "pending")
        .limit(cap)
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(limited)).scalar_one())


def task_title(registry: Registry, kind: str, title: str, lang: str) -> str:
    """The inbox name of a campaign task in `lang` (Kazakh when the kind has no such title)."""
    declared = registry.campaign_kinds.get(kind)
    if declared is None:
        return title
    pattern = declared.titles.get(lang) or declared.titles.get("kk") or "{title}"
    return pattern.replace("{title}", title)


def notify_pending(session: Session, campaign: Campaign, *, mail_enabled: bool) -> int:
    """A `reminder` to each active person still pending (never to those who responded); how many."""
    rows = session.execute(
        select(CampaignTask.id, User)
        .join(User, User.id == CampaignTask.user_id)
        .where(
            CampaignTask.campaign_id == campaign.id,
            CampaignTask.status == "pending",
            User.is_active.is_(True),
        )
    ).all()
    for task_id, user in rows:
        notify(
            session,
            [user],
            "reminder",
            {
                "subject": campaign.title,
                "instance": campaign.title,
                "path": f"/campaign-tasks/{task_id}",
                "campaign_task": task_id,
            },
            instance_id=campaign.instance_id,
            mail_enabled=mail_enabled,
        )
    session.execute(
        update(CampaignTask)
        .where(CampaignTask.campaign_id == campaign.id, CampaignTask.status == "pending")
        .values(reminded_at=utcnow())
    )
    return len(rows)


def audience_ids(session: Session, params: Mapping[str, Any]) -> list[int]:
    """An operator's audience as user ids: `role` (every holder, read here so the list never enters
    the instance state) and/or `audience` (a {username: name} or a list of usernames)."""
    ids: set[int] = set()
    role = str(params.get("role") or "")
    if role:
        ids.update(session.execute(select(UserRole.user_id).where(UserRole.role == role)).scalars())
    named = params.get("audience") or {}
    if isinstance(named, dict | list | tuple) and named:
        names = [str(n) for n in named]
        ids.update(session.execute(select(User.id).where(User.username.in_(names))).scalars())
    return sorted(ids)
