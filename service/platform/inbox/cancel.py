"""An admin cancels a running (or stopped) instance with a reason: its open tasks close, it is audited."""

from __future__ import annotations

from sqlalchemy import select, update

from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.platform.inbox import unclaimed
from service.platform.persistence.locks import lock_instance
from service.platform.persistence.models import Campaign, CampaignTask, HumanTask, ProcessInstance
from service.platform.runtime import Actor, Runtime

MAX_REASON = 2000


def cancel_instance(rt: Runtime, actor: Actor, instance_id: int, reason: str) -> ProcessInstance:
    """Stop an instance for good; the engine state is kept as it was, for the record."""
    actor.require_admin("only an admin can cancel an instance")
    text = reason.strip()
    if not text:
        raise ValidationFailed({"reason": FieldError("required")})
    if len(text) > MAX_REASON:
        raise ValidationFailed({"reason": FieldError("max_length", {"limit": MAX_REASON})})
    with rt.db.session() as session:
        instance = lock_instance(session, instance_id)
        if instance is None:
            raise NotFound("no such instance")
        if instance.status not in ("running", "error"):
            raise Conflict("only a running or stopped instance can be cancelled")
        now = utcnow()
        instance.status = "cancelled"
        instance.ended_at = now
        instance.next_timer_at = None  # a worker must never wake it again
        instance.version += 1
        closed = session.execute(
            update(HumanTask)
            .where(HumanTask.instance_id == instance_id, HumanTask.status.in_(("open", "waiting")))
            .values(status="cancelled", completed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        unclaimed.close_instance(session, instance.school_id, instance_id)
        # Its campaigns end with it: nobody is asked any more to respond to a cancelled process.
        open_campaigns = select(Campaign.id).where(
            Campaign.instance_id == instance_id, Campaign.status == "open"
        )
        session.execute(
            update(CampaignTask)
            .where(CampaignTask.campaign_id.in_(open_campaigns), CampaignTask.status == "pending")
            .values(status="missed")
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Campaign)
            .where(Campaign.instance_id == instance_id, Campaign.status == "open")
            .values(status="done", outcome="cancelled", ended_at=now, ended_by=actor.username)
            .execution_options(synchronize_session=False)
        )
        audit.append(
            session,
            actor.username,
            "instance.cancel",
            instance_id=instance_id,
            # "comment" is what the timeline shows beside the action
            detail={"reason": text, "comment": text, "open_tasks_closed": int(closed or 0)},
        )
        return instance
