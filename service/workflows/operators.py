"""Service-task operators: the only way a BPMN process changes the world outside its own data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import queries
from service.db.locks import next_value
from service.db.models import HumanTask, HumanTaskRole, Order, User, UserRole
from service.domain.clock import utcnow
from service.domain.errors import BadRequest
from service.domain.numbering import order_number
from service.engine import OperatorCall, Operators
from service.workflows.notify import notify
from service.workflows.runtime import Runtime

# The names a diagram may use; deploy refuses any other (kept in one place for the editor's list).
OPERATOR_NAMES: tuple[str, ...] = (
    "school_settings",
    "role_members",
    "register_order_number",
    "remind_open_tasks",
    "set_outcome",
)


def build_operators(rt: Runtime, session: Session, instance_id: int) -> Operators:
    """Operators bound to this transaction and instance, so their writes commit or roll back with it."""

    def school_settings(call: OperatorCall) -> dict[str, Any]:
        return {**rt.deadlines, "timezone": rt.timezone, "school_name": rt.school_name}

    def role_members(call: OperatorCall) -> dict[str, str]:
        role = str(call.params.get("role", ""))
        if not role:
            raise BadRequest("role_members needs a role")
        # {username: full name}: a multi-instance task over it gives each child to its own person.
        return {u.username: u.full_name for u in queries.users_with_role(session, role)}

    def register_order_number(call: OperatorCall) -> dict[str, str]:
        today = utcnow().astimezone(rt.tz).date()
        sequence = next_value(session, f"order:{today.year}")
        number = order_number(today.year, sequence)
        session.add(
            Order(
                instance_id=instance_id,
                number=number,
                registered_on=today,
                title=str(call.data.get("title", ""))[:300],
                order_type=str(call.data.get("order_type", "other")),
                status="registered",
                drafter=str(call.data.get("initiator", "")) or None,
            )
        )
        session.flush()
        return {"number": number, "date": today.isoformat()}

    def remind_open_tasks(call: OperatorCall) -> int:
        bpmn_id = str(call.params.get("task", ""))
        tasks = (
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == instance_id,
                    HumanTask.bpmn_id == bpmn_id,
                    HumanTask.status == "open",
                )
            )
            .scalars()
            .all()
        )
        sent = 0
        for task in tasks:
            people = _holders(session, task)
            sent += notify(
                session,
                people,
                "reminder",
                {"task": task.name, "subject": task.name},
                instance_id=instance_id,
                task_id=task.id,
                mail_enabled=rt.smtp_host is not None,
            )
        return sent

    def set_outcome(call: OperatorCall) -> str:
        return str(call.params.get("outcome", ""))

    table: dict[str, Callable[[OperatorCall], Any]] = {
        "school_settings": school_settings,
        "role_members": role_members,
        "register_order_number": register_order_number,
        "remind_open_tasks": remind_open_tasks,
        "set_outcome": set_outcome,
    }
    return table


def _holders(session: Session, task: HumanTask) -> list[User]:
    """Who should hear about a task: its assignee, or everyone who may claim it."""
    if task.assignee is not None:
        return [task.assignee]
    roles = select(HumanTaskRole.role).where(HumanTaskRole.task_id == task.id)
    return list(
        session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(roles))
            .distinct()
        ).scalars()
    )
