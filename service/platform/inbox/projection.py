"""Keeps the inbox table in step with the engine after every run of an instance."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.platform.clock import utcnow
from service.platform.durations import add_duration
from service.platform.engine import EngineTask, RunResult
from service.platform.notify.outbox import notify
from service.platform.persistence.models import HumanTask, HumanTaskRole, ProcessInstance, User, UserRole
from service.platform.runtime import Runtime


def _titles(forms: dict[str, Any], form_key: str | None, fallback: str) -> str:
    form = forms.get(form_key or "", {})
    titles = dict(form.get("x-title") or {})
    titles.setdefault("kk", fallback)
    return json.dumps(titles, ensure_ascii=False)


def save_run(
    rt: Runtime,
    session: Session,
    instance: ProcessInstance,
    result: RunResult,
    forms: dict[str, Any],
    *,
    completed_engine_id: str | None = None,
) -> list[HumanTask]:
    """Write the engine's result onto the instance row and refresh its inbox rows.

    Returns the inbox rows created by this run (for notifications and audit).
    """
    now = utcnow()
    instance.state_json = result.state_json
    instance.next_timer_at = result.next_timer_at
    instance.error = None
    if result.completed:
        instance.status = "completed"
        instance.ended_at = now
        instance.next_timer_at = None
    # Only ids are needed here; loading whole rows with their people and roles costs more than the SQL.
    existing: dict[str, int] = {
        engine_id: row_id
        for engine_id, row_id in session.execute(
            select(HumanTask.engine_task_id, HumanTask.id).where(
                HumanTask.instance_id == instance.id, HumanTask.status.in_(("open", "waiting"))
            )
        ).all()
    }
    ready_ids = {t.engine_task_id for t in result.ready_tasks}
    withdrawn = [
        row_id
        for engine_id, row_id in existing.items()
        if engine_id not in ready_ids and engine_id != completed_engine_id
    ]
    if withdrawn:
        # Withdrawn by the engine: an interrupting timer, an early-closed vote, a cancelled branch.
        session.execute(
            update(HumanTask)
            .where(HumanTask.id.in_(withdrawn))
            .values(status="cancelled", completed_at=now)
            .execution_options(synchronize_session=False)
        )
    new_tasks = [t for t in result.ready_tasks if t.engine_task_id not in existing]
    names = {t.assignee for t in new_tasks if t.assignee}
    people = (
        {u.username: u for u in session.execute(select(User).where(User.username.in_(names))).scalars()}
        if names
        else {}
    )
    created = [_insert(rt, session, instance, task, forms, now, people) for task in new_tasks]
    session.flush()
    for row in created:
        if row.status == "waiting":
            continue  # a campaign completes it; nobody is told of it or sees it in an inbox
        # The step's and the process's names as the reader's language gives them (notification_line.html).
        params = {
            "task": row.name,
            "titles": json.loads(row.title_i18n or "{}"),
            "subject": row.name,
            "instance": instance.title,
            "process": instance.process_id,
        }
        if row.assignee is not None:
            notify(
                session,
                [row.assignee],
                "task_assigned",
                params,
                instance_id=instance.id,
                task_id=row.id,
                mail_enabled=rt.smtp_host is not None,
            )
            continue
        roles = sorted({r.role for r in row.candidate_roles})
        if not roles:
            continue
        # A task sent to a role waits unseen unless every holder hears of it: the first to claim takes it.
        notify(
            session,
            _holders(session, roles),
            "task_waiting",
            {**params, "roles": roles},
            instance_id=instance.id,
            task_id=row.id,
            mail_enabled=rt.smtp_host is not None,
        )
    return created


def _holders(session: Session, roles: list[str]) -> list[User]:
    """Active people holding any of `roles`, each once."""
    return list(
        session.execute(
            select(User)
            .where(
                User.is_active.is_(True),
                User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles))),
            )
            .order_by(User.id)
        ).scalars()
    )


def _due_at(rt: Runtime, task: EngineTask, now: datetime) -> datetime | None:
    """A date the process set (`dueOn`: the end of that day at school) or a duration from now (`dueIn`)."""
    if task.due_on:
        try:
            return datetime.combine(date.fromisoformat(task.due_on[:10]), time(23, 59), tzinfo=rt.tz)
        except ValueError:
            pass  # not a date: fall back to the duration
    return add_duration(now, task.due_in, rt.tz) if task.due_in else None


def _insert(
    rt: Runtime,
    session: Session,
    instance: ProcessInstance,
    task: EngineTask,
    forms: dict[str, Any],
    now: datetime,
    people: dict[str, User],
) -> HumanTask:
    assignee = people.get(task.assignee) if task.assignee else None
    row = HumanTask(
        instance_id=instance.id,
        process_id=instance.process_id,
        engine_task_id=task.engine_task_id,
        bpmn_id=task.bpmn_id,
        name=task.name,
        role=task.lane,
        form_key=task.form_key,
        assignee=None if task.waits_for_campaign else assignee,
        assigned_directly=assignee is not None and not task.waits_for_campaign,
        # A step waiting on a campaign: kept out of every inbox and every hand (only the campaign ends it).
        status="waiting" if task.waits_for_campaign else "open",
        title_i18n=_titles(forms, task.form_key, task.name),
        created_at=now,
        due_at=_due_at(rt, task, now),
        candidate_roles=[] if task.waits_for_campaign else [HumanTaskRole(role=r) for r in task.roles],
    )
    session.add(row)
    return row


def refresh_moved_rows(
    rt: Runtime, session: Session, instance: ProcessInstance, result: RunResult, forms: dict[str, Any]
) -> int:
    """After a move to another version: the open rows of tasks that kept their engine ids take the new
    version's label, BPMN id, form and roles (who holds a claimed task keeps it). Returns how many."""
    ready = {t.engine_task_id: t for t in result.ready_tasks}
    rows = session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id,
            HumanTask.status.in_(("open", "waiting")),
            HumanTask.engine_task_id.in_(list(ready)),
        )
    ).scalars()
    refreshed = 0
    for row in rows:
        task = ready[row.engine_task_id]
        row.name = task.name
        row.bpmn_id = task.bpmn_id
        row.form_key = task.form_key
        row.title_i18n = _titles(forms, task.form_key, task.name)
        if row.role != task.lane and row.status == "open":
            row.role = task.lane
            row.candidate_roles = [HumanTaskRole(role=r) for r in task.roles]
        refreshed += 1
    return refreshed
