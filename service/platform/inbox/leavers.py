"""A closed account's open work: tasks taken from a role go back to it, tasks given to the person go to
the admins to hand on — nothing stays in the inbox of someone who can no longer sign in."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.inbox import queries, unclaimed
from service.platform.notify.outbox import notify
from service.platform.persistence.models import HumanTask, User
from service.platform.roles import ADMIN_ROLE


@dataclass(frozen=True)
class HandedBack:
    """What closing an account did to its open tasks."""

    to_roles: int  # released: back among their roles' tasks to claim, every holder told
    to_admins: int  # assigned to the person by the process or by a chair: the admins must hand them on


def hand_back(session: Session, closer: str, user: User, *, mail: bool) -> HandedBack:
    """Release the closed account's claimed tasks to their roles and tell the admins of the rest."""
    tasks = session.execute(
        select(HumanTask)
        .where(HumanTask.assignee_id == user.id, HumanTask.status == "open")
        .order_by(HumanTask.id)
    ).scalars()
    to_roles = to_admins = 0
    for task in list(tasks):
        roles = sorted({r.role for r in task.candidate_roles})
        params = {
            "task": task.name,
            "titles": json.loads(task.title_i18n or "{}"),
            "subject": task.name,
            "process": task.process_id,
        }
        if roles and not task.assigned_directly:
            task.assignee_id = None
            session.flush()
            unclaimed.refresh(session, task.school_id, [task.id])
            holders = {u.id: u for role in roles for u in queries.users_with_role(session, role)}
            kind = "task_waiting" if holders else "task_unheld"
            told = list(holders.values()) or queries.users_with_role(session, ADMIN_ROLE)
            notify(
                session,
                told,
                kind,
                {**params, "roles": roles},
                instance_id=task.instance_id,
                task_id=task.id,
                mail_enabled=mail,
            )
            to_roles += 1
            action = "task.unclaim"
        else:
            admins = queries.users_with_role(session, ADMIN_ROLE)
            person = {**params, "roles": [], "person": user.full_name}
            notify(
                session,
                admins,
                "task_unheld",
                person,
                instance_id=task.instance_id,
                task_id=task.id,
                mail_enabled=mail,
            )
            to_admins += 1
            action = "task.orphaned"
        audit.append(
            session,
            closer,
            action,
            instance_id=task.instance_id,
            task_id=task.id,
            detail={"task": task.bpmn_id, "task_name": task.name, "account_closed": user.username},
        )
    return HandedBack(to_roles, to_admins)
