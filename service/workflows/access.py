"""Who may see an instance and act on a task; checked in the use cases, not only in the pages."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from service.db.models import HumanTask, HumanTaskRole, ProcessInstance
from service.domain.roles import REASSIGNING_ROLES
from service.workflows import incident_access
from service.workflows.runtime import Actor

# Roles that oversee every process of the school.
OVERSEERS = frozenset({"admin", "director", "wg_chair"})
# Processes whose instance pages follow their own rule instead of the one below.
PRIVATE_PROCESSES: dict[str, Callable[[Session, Actor, ProcessInstance], bool]] = {
    incident_access.PROCESS_ID: incident_access.incident_instance_visible,
}


def can_view_instance(session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    if instance.process_id in PRIVATE_PROCESSES:
        # Its history names people (an anonymous reporter); others read it through its own pages.
        return PRIVATE_PROCESSES[instance.process_id](session, actor, instance)
    if actor.has(*OVERSEERS) or instance.started_by_id == actor.id:
        return True
    involved = exists().where(
        HumanTask.instance_id == instance.id,
        or_(
            HumanTask.assignee_id == actor.id,
            HumanTask.completed_by_id == actor.id,
            exists().where(HumanTaskRole.task_id == HumanTask.id, HumanTaskRole.role.in_(list(actor.roles))),
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
