"""Service-task operators: the only way a BPMN process changes the world outside its own data."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.orders.rules import order_number
from service.platform.clock import utcnow
from service.platform.engine import OperatorCall, Operators
from service.platform.errors import BadRequest, Conflict
from service.platform.inbox import queries
from service.platform.notify.outbox import notify
from service.platform.persistence.locks import next_value
from service.platform.persistence.models import (
    HumanTask,
    HumanTaskRole,
    Order,
    OrderEdition,
    User,
    UserRole,
)
from service.platform.runtime import Runtime

# Operators every process may use. Each process family adds its own from a module
# `operators_<family>.py` exposing NAMES and build(rt, session, instance_id), listed in FAMILIES below.
CORE_OPERATOR_NAMES: tuple[str, ...] = (
    "school_settings",
    "role_members",
    "register_order_number",
    "record_order_edition",
    "set_order_status",
    "remind_open_tasks",
    "set_outcome",
    "optional_value",
)

OperatorTable = dict[str, Callable[[OperatorCall], Any]]

ORDER_STATUSES = ("draft", "in_review", "approved", "rejected", "registered")


def build_operators(rt: Runtime, session: Session, instance_id: int) -> Operators:
    """Operators bound to this transaction and instance, so their writes commit or roll back with it."""
    table = _core_operators(rt, session, instance_id)
    for family in FAMILIES:
        table.update(family.build(rt, session, instance_id))
    return table


def _core_operators(rt: Runtime, session: Session, instance_id: int) -> OperatorTable:

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
        order = _order_of(session, instance_id, call.data)
        if order.number is not None:
            # Registration is final: a number, once given, is never changed or given again.
            raise Conflict("this order is already registered")
        sequence = next_value(session, f"order:{today.year}")
        order.number = order_number(today.year, sequence)
        order.registered_on = today
        order.status = "registered"
        session.flush()
        return {"number": order.number, "date": today.isoformat()}

    def record_order_edition(call: OperatorCall) -> int:
        order = _find_order(session, instance_id)
        if order is None:
            # The first draft: the register row is written once, already in review, with edition 1.
            order = _new_order(instance_id, call.data, status="in_review")
            session.add(order)
            session.flush()
            latest = 0
        else:
            latest = session.execute(
                select(func.max(OrderEdition.number)).where(OrderEdition.order_id == order.id)
            ).scalar_one()
        edition = OrderEdition(
            order_id=order.id,
            number=(latest or 0) + 1,
            title=str(call.data.get("title") or "")[:300],
            body=str(call.data.get("body") or ""),
            basis=(str(call.data["basis"]) if call.data.get("basis") else None),
            attachment=(str(call.data["attachment"]) if call.data.get("attachment") else None),
            author=str(call.data.get("initiator") or ""),
        )
        session.add(edition)
        _copy_order_fields(order, call.data)
        order.status = "in_review"
        session.flush()
        return edition.number

    def set_order_status(call: OperatorCall) -> str:
        status = str(call.params.get("status", ""))
        if status not in ORDER_STATUSES:
            raise BadRequest(f"unknown order status {status}")
        order = _order_of(session, instance_id, call.data)
        if order.status == "registered":
            raise Conflict("a registered order does not change status")
        order.status = status
        return status

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

    def optional_value(call: OperatorCall) -> Any:
        # A condition on a variable that only some callers set (a call activity's input) would
        # raise NameError when it is absent; this reads it with a default instead.
        return call.data.get(str(call.params.get("name", "")), call.params.get("default"))

    table: OperatorTable = {
        "school_settings": school_settings,
        "role_members": role_members,
        "register_order_number": register_order_number,
        "record_order_edition": record_order_edition,
        "set_order_status": set_order_status,
        "remind_open_tasks": remind_open_tasks,
        "set_outcome": set_outcome,
        "optional_value": optional_value,
    }
    return table


def _copy_order_fields(order: Order, data: Mapping[str, Any]) -> None:
    order.title = str(data.get("title") or order.title or "")[:300]
    order.title_folded = order.title.casefold()[:300]
    order.order_type = str(data.get("order_type") or order.order_type or "other")
    order.marking = str(data["marking"]) if data.get("marking") else order.marking
    order.ai_assisted = bool(data.get("ai_assisted"))
    help_kinds = data.get("ai_help") if order.ai_assisted else []
    order.ai_help_json = json.dumps(list(help_kinds or []), ensure_ascii=False)


def _find_order(session: Session, instance_id: int) -> Order | None:
    return session.execute(select(Order).where(Order.instance_id == instance_id)).scalar_one_or_none()


def _new_order(instance_id: int, data: Mapping[str, Any], *, status: str) -> Order:
    order = Order(instance_id=instance_id, status=status, drafter=str(data.get("initiator") or "") or None)
    _copy_order_fields(order, data)
    return order


def _order_of(session: Session, instance_id: int, data: Mapping[str, Any]) -> Order:
    """The register row of this instance, created on first use (instances older than editions too)."""
    order = _find_order(session, instance_id)
    if order is None:
        order = _new_order(instance_id, data, status="draft")
        session.add(order)
        session.flush()
    return order


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


class OperatorFamily(Protocol):
    """A module contributing the operators of one process family."""

    NAMES: tuple[str, ...]

    def build(self, rt: Runtime, session: Session, instance_id: int) -> OperatorTable: ...


from service.features.acts import operators as operators_acts  # noqa: E402
from service.features.incidents import operators as operators_incidents  # noqa: E402
from service.features.tools import operators as operators_tools  # noqa: E402 - family modules build on this one

FAMILIES: tuple[OperatorFamily, ...] = (operators_acts, operators_incidents, operators_tools)

# The names a diagram may use; deploy refuses any other (kept in one place for the editor's list).
OPERATOR_NAMES: tuple[str, ...] = CORE_OPERATOR_NAMES + tuple(n for f in FAMILIES for n in f.NAMES)
