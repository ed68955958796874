"""Who may see an instance and act on a task; checked in the use cases, not only in the pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from service.platform.inbox.private_view import PrivateView, TaskRedaction
from service.platform.persistence.models import HumanTask, HumanTaskRole, ProcessInstance
from service.platform.roles import REASSIGNING_ROLES
from service.platform.runtime import Actor, Runtime

# Roles that oversee every process of the school.
OVERSEERS = frozenset({"admin", "director", "wg_chair"})
# Processes whose existence is private come from the features (`Feature.private_views`): each one's
# own rules for its instance pages, the general lists and its task pages (private_view.py).


def _private(rt: Runtime, process_id: str) -> PrivateView | None:
    return rt.features.private_views.get(process_id)


def can_view_instance(rt: Runtime, session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    private = _private(rt, instance.process_id)
    if private is not None:
        # Its history names people (an anonymous reporter); others read it through its own pages.
        return private.instance_visible(session, actor, instance)
    if actor.has(*OVERSEERS) or instance.started_by_id == actor.id:
        return True
    # Those who took part read the deliberation; holding a lane's role is taking part only where the
    # task was sent to the role. A task the process gave one person (a proposal's initiator, one
    # member's vote, an old acknowledgement row) does not open the history to everyone of its lane:
    # otherwise every `staff` holder would read every drafting history with a `staff` lane.
    involved = exists().where(
        HumanTask.instance_id == instance.id,
        or_(
            HumanTask.assignee_id == actor.id,
            HumanTask.completed_by_id == actor.id,
            and_(
                HumanTask.assigned_directly.is_(False),
                exists().where(
                    HumanTaskRole.task_id == HumanTask.id, HumanTaskRole.role.in_(list(actor.roles))
                ),
            ),
        ),
    )
    return bool(session.execute(select(involved)).scalar())


def can_work_on(actor: Actor, task: HumanTask) -> bool:
    """The assignee works on a task; an unassigned one is open to anyone holding a candidate role."""
    if task.assignee_id is not None:
        return task.assignee_id == actor.id
    return bool(actor.roles.intersection(r.role for r in task.candidate_roles))


def can_reassign(actor: Actor) -> bool:
    return actor.has(*REASSIGNING_ROLES)


def sees_all_tasks(actor: Actor) -> bool:
    return actor.has(*OVERSEERS)


def unlisted_processes(rt: Runtime, actor: Actor) -> tuple[str, ...]:
    """Private processes whose other people's tasks and instances the general lists hide from the actor."""
    return tuple(pid for pid, private in rt.features.private_views.items() if not private.lists_all(actor))


def redact_task(
    rt: Runtime, session: Session, actor: Actor, instance: ProcessInstance, data: dict[str, Any]
) -> TaskRedaction:
    """A task page's data (and which earlier steps lose their author) as the process lets the actor see it."""
    private = _private(rt, instance.process_id)
    return TaskRedaction(data) if private is None else private.redact_task(session, actor, instance, data)
