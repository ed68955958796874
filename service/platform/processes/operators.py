"""Service-task operators: the only way a BPMN process changes the world outside its own data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform import settings
from service.platform.campaigns import store
from service.platform.clock import utcnow
from service.platform.durations import add_duration
from service.platform.engine import OperatorCall, Operators
from service.platform.errors import BadRequest
from service.platform.inbox import queries
from service.platform.notify.outbox import notify
from service.platform.persistence.models import Campaign, HumanTask, HumanTaskRole, User, UserRole
from service.platform.registry import OperatorTable
from service.platform.runtime import Runtime

# Operators every process may use; each feature adds its own families through the registry.
CORE_OPERATOR_NAMES: tuple[str, ...] = (
    "school_settings",
    "role_members",
    "remind_open_tasks",
    "set_outcome",
    "optional_value",
    "open_campaign",
    "remind_campaign",
)


def build_operators(rt: Runtime, session: Session, instance_id: int) -> Operators:
    """Operators bound to this transaction and instance, so their writes commit or roll back with it."""
    return BoundOperators(rt, session, instance_id)


class BoundOperators(Mapping[str, Callable[[OperatorCall], Any]]):
    """One run's operators; a family's closures are built when the run first calls one of its names.

    Most runs call one family or none, and binding every family's closures at every run cost more than
    the operator the run called (issue 16).
    """

    def __init__(self, rt: Runtime, session: Session, instance_id: int) -> None:
        self._rt, self._session, self._instance_id = rt, session, instance_id
        self._bound: OperatorTable = {}

    def __getitem__(self, name: str) -> Callable[[OperatorCall], Any]:
        found = self._bound.get(name)
        if found is None:
            binders = self._rt.features.operator_binders
            bind = _core_operators if name in CORE_OPERATOR_NAMES else binders[name]  # KeyError: none such
            self._bound.update(bind(self._rt, self._session, self._instance_id))
            found = self._bound[name]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter((*CORE_OPERATOR_NAMES, *self._rt.features.operator_binders))

    def __len__(self) -> int:
        return len(CORE_OPERATOR_NAMES) + len(self._rt.features.operator_binders)


def _core_operators(rt: Runtime, session: Session, instance_id: int) -> OperatorTable:

    def school_settings(call: OperatorCall) -> dict[str, Any]:
        return {**settings.current(rt, session), "timezone": rt.timezone, "school_name": rt.school_name}

    def role_members(call: OperatorCall) -> dict[str, str]:
        role = str(call.params.get("role", ""))
        if not role:
            raise BadRequest("role_members needs a role")
        # {username: full name}: a multi-instance task over it gives each child to its own person.
        return {u.username: u.full_name for u in queries.users_with_role(session, role)}

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
                {"task": task.name, "titles": json.loads(task.title_i18n or "{}"), "subject": task.name},
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

    def open_campaign(call: OperatorCall) -> int:
        # Per-person rows outside the engine state; the next step (property waitsForCampaign) waits.
        p = call.params
        campaign = store.open_campaign(
            session,
            rt.features,
            kind=str(p.get("kind", "")),
            audience=store.audience_ids(session, p),
            title=str(p.get("title", "")),
            subject_ref=str(p.get("subject", "") or ""),
            doc_version=str(p.get("version", "") or ""),
            deadline_at=_deadline(rt, p.get("deadline")),
            instance_id=instance_id,
            wait_step=str(p.get("wait_step", "")) or None,
        )
        return campaign.id

    def remind_campaign(call: OperatorCall) -> int:
        # A reminder timer on the waiting step: only the people still pending hear of it.
        campaign = session.get(Campaign, int(call.params.get("campaign") or 0))
        if campaign is None or campaign.status != "open":
            return 0
        return store.notify_pending(session, campaign, mail_enabled=rt.smtp_host is not None)

    table: OperatorTable = {
        "open_campaign": open_campaign,
        "remind_campaign": remind_campaign,
        "school_settings": school_settings,
        "role_members": role_members,
        "remind_open_tasks": remind_open_tasks,
        "set_outcome": set_outcome,
        "optional_value": optional_value,
    }
    return table


def _deadline(rt: Runtime, value: Any) -> datetime | None:
    """A campaign's deadline from an aware ISO 8601 time or a duration from now ("P3D")."""
    if not value:
        return None
    text = str(value)
    if text.startswith("P"):
        try:
            return add_duration(utcnow(), text, rt.tz)
        except ValueError as err:
            raise BadRequest(f"bad campaign deadline {text!r}") from err
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise BadRequest(f"bad campaign deadline {text!r}") from err
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=rt.tz)


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


def operator_names(rt: Runtime) -> tuple[str, ...]:
    """The names a diagram may use; deploy refuses any other (and the editor lists them)."""
    return CORE_OPERATOR_NAMES + rt.features.operator_names
