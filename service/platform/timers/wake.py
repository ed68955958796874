"""Waking instances whose timers are due; safe with any number of workers (SKIP LOCKED)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from service.platform.audit import log as audit
from service.platform.campaigns.usecases import end_due_campaigns
from service.platform.clock import utcnow
from service.platform.errors import ServiceError
from service.platform.inbox.run import AuditNote, EngineStep, run_engine
from service.platform.persistence.models import ProcessInstance
from service.platform.runtime import Runtime

log = logging.getLogger(__name__)


def due_instances(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.execute(
            select(ProcessInstance.id)
            .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at <= now)
            .order_by(ProcessInstance.next_timer_at)
            .limit(limit)
        ).scalars()
    )


def _claim_due(session: Session, instance_id: int, now: datetime) -> ProcessInstance | None:
    """Lock the instance only if it is still due and nobody else holds it (PostgreSQL SKIP LOCKED)."""
    query = (
        select(ProcessInstance)
        .options(undefer(ProcessInstance.state_json))
        .where(
            ProcessInstance.id == instance_id,
            ProcessInstance.status == "running",
            ProcessInstance.next_timer_at <= now,
        )
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=ProcessInstance)
    return session.execute(query).scalar_one_or_none()


def wake_instance(rt: Runtime, instance_id: int, now: datetime | None = None) -> bool:
    """Fire the due timers of one instance; False when another worker got there first."""
    now = now or utcnow()
    try:
        with rt.db.session() as session:
            instance = _claim_due(session, instance_id, now)
            if instance is None:
                return False
            due_at = instance.next_timer_at
            note = AuditNote("system", "timer.fire", {"due_at": due_at.isoformat() if due_at else None})
            run_engine(rt, session, instance, EngineStep("wake"), note)
            return True
    except ServiceError as err:
        _record_failure(rt, instance_id, err.message)
        return False


def _record_failure(rt: Runtime, instance_id: int, message: str) -> None:
    """Keep a failing instance out of the timer loop and visible to an admin, who can retry it."""
    log.error("timer of instance %s failed: %s", instance_id, message)
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, instance_id, with_for_update={"of": ProcessInstance})  # lock
        if instance is not None:
            instance.status = "error"
            instance.error = message[:2000]
            audit.append(
                session, "system", "instance.error", instance_id=instance_id, detail={"error": message}
            )


def run_due_timers(rt: Runtime, now: datetime | None = None, limit: int = 100) -> int:
    """One pass of the worker: returns how many instances were woken (or campaigns ended) by this worker."""
    now = now or utcnow()
    with rt.db.session() as session:
        candidates = due_instances(session, now, limit)
    woken = sum(1 for instance_id in candidates if wake_instance(rt, instance_id, now))
    # Campaigns past their deadline end here (with the list of who did not respond).
    return woken + end_due_campaigns(rt, now)


def retry_instance(rt: Runtime, actor_name: str, is_admin: bool, instance_id: int) -> None:
    """An admin runs a failed instance again from its last saved state."""
    from service.platform.errors import Conflict, Forbidden, NotFound
    from service.platform.persistence.locks import lock_instance

    if not is_admin:
        raise Forbidden("only an admin can retry an instance")
    with rt.db.session() as session:
        instance = lock_instance(session, instance_id)
        if instance is None:
            raise NotFound("no such instance")
        if instance.status != "error":
            raise Conflict("only an instance stopped by an error can be retried")
        instance.status = "running"
        run_engine(rt, session, instance, EngineStep("wake"), AuditNote(actor_name, "instance.retry"))
