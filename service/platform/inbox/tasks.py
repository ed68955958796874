"""Inbox use cases: list, read, claim, unclaim, reassign, comment and complete a task."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.platform import engine
from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.audit.chain import digest
from service.platform.auth import accounts
from service.platform.clock import utcnow
from service.platform.errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NotDelegable,
    NotFound,
    TaskNotOpen,
    TaskWithdrawn,
    ValidationFailed,
)
from service.platform.files import storage as files
from service.platform.forms.schema import signature_statements
from service.platform.forms.validation import clean_submission
from service.platform.inbox import deputies, queries, unclaimed
from service.platform.inbox.access import (
    can_reassign,
    can_view_instance,
    can_work_on,
    redact_task,
    sees_all_tasks,
    unlisted_processes,
)
from service.platform.inbox.run import AuditNote, EngineStep, run_engine
from service.platform.inbox.suggestions import with_suggestions
from service.platform.persistence import direct
from service.platform.persistence.locks import lock_task
from service.platform.persistence.models import Comment, HumanTask, ProcessInstance, User
from service.platform.processes.definitions import definition_parts
from service.platform.registry import Completion, Panel
from service.platform.runtime import Actor, Runtime

# Data keys the process keeps for itself; a task page does not show them as values.
INTERNAL_KEYS = frozenset({"settings", "ack_members", "initiator_name"})
_TASKS = cast(Table, HumanTask.__table__)
# Built once; SET takes the executed parameters' columns (composing it per call cost more than the SQL).
_COMPLETE_TASK = _TASKS.update().where(
    _TASKS.c.id == bindparam("row"), _TASKS.c.school_id == bindparam("school")
)


@dataclass(frozen=True)
class EarlierStep:
    """A completed step whose answers the person on this task decides upon (the draft, a review)."""

    name: str
    title_i18n: str
    form_schema: dict[str, Any]
    data: dict[str, Any]
    completed_by: str
    completed_at: Any


@dataclass
class TaskDetail:
    task: HumanTask
    instance: ProcessInstance
    form_schema: dict[str, Any]
    data: dict[str, Any]
    earlier: list[EarlierStep]
    comments: list[Comment]
    may_work: bool
    # The features' blocks on this page (an order's number and latest changes, a vote's tally…).
    panels: list[Panel] = field(default_factory=list)
    # What a fresh form of this open task starts with beyond the process data (`Feature.task_prefills`).
    prefill: dict[str, Any] = field(default_factory=dict)


def _earlier_steps(session: Session, task: HumanTask, forms: dict[str, dict[str, Any]]) -> list[EarlierStep]:
    """The latest completion of each earlier step, newest first; a rework supersedes its draft.

    Other completions of this task's own step (other people's acknowledgements or votes) are left
    out: they are not this person's to read here.
    """
    rows = session.execute(
        select(HumanTask)
        .where(
            HumanTask.instance_id == task.instance_id,
            HumanTask.status == "completed",
            HumanTask.bpmn_id != task.bpmn_id,
        )
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
    ).scalars()
    seen_steps: set[str] = set()
    seen_fields: set[frozenset[str]] = set()
    steps: list[EarlierStep] = []
    for row in rows:
        schema = forms.get(row.form_key or "", {})
        fields = frozenset(schema.get("properties", {}))
        if row.bpmn_id in seen_steps or fields in seen_fields:
            continue
        seen_steps.add(row.bpmn_id)
        seen_fields.add(fields)
        steps.append(
            EarlierStep(
                name=row.name,
                title_i18n=row.title_i18n,
                form_schema=schema,
                data=json.loads(row.data_json or "{}"),
                completed_by=row.completed_by.full_name if row.completed_by else "",
                completed_at=row.completed_at,
            )
        )
    return steps


def list_tasks(rt: Runtime, actor: Actor, flt: queries.TaskFilter) -> queries.TaskPage:
    if flt.scope not in queries.SCOPES:
        raise BadRequest("scope must be mine, roles or all")
    if actor.id is None:
        raise Forbidden("no user")
    with rt.db.session() as session:
        # A deputy's lists hold the absent people's tasks too, except their personal steps (votes).
        away = deputies.absences_covered_by(rt, session, actor)
        page = queries.list_tasks(
            session,
            actor.id,
            actor.roles.union(*(a.roles for a in away)),
            flt,
            also_assignees=tuple(a.user_id for a in away),
            sees_everything=sees_all_tasks(actor),
            # A private process's tasks name people: the actor sees only their own unless it lets them.
            private_processes=unlisted_processes(rt, actor),
        )
        if not away:
            return page
        absent = {a.user_id for a in away}
        shown = [t for t in page.rows if t.assignee_id not in absent or not _personal(rt, session, t)]
        return page._replace(rows=shown, total=page.total - (len(page.rows) - len(shown)))


@dataclass(frozen=True)
class Landing:
    """The first page after signing in: what waits for my roles first, then what is mine."""

    roles: list[queries.RoleWaiting]
    waiting: list[HumanTask]  # the longest-waiting unclaimed tasks of my roles
    waiting_total: int
    mine: list[HumanTask]
    mine_total: int


def landing(rt: Runtime, actor: Actor, limit: int = 10) -> Landing:
    if actor.id is None:
        raise Forbidden("no user")
    with rt.db.session() as session:
        # A deputy also waits for what waits for the absent people's roles.
        covering = _roles_with_absences(rt, session, actor)
        roles = queries.waiting_by_role(session, covering)
        waiting = queries.list_tasks(
            session,
            actor.id,
            covering,
            queries.TaskFilter(scope="roles", limit=limit, oldest_first=True),
        )
        mine = queries.list_tasks(
            session, actor.id, actor.roles, queries.TaskFilter(scope="mine", limit=limit, oldest_first=True)
        )
        return Landing(roles, waiting.rows, waiting.total, mine.rows, mine.total)


def inbox_counts(rt: Runtime, actor: Actor) -> tuple[int, int]:
    if actor.id is None:
        return 0, 0
    with rt.db.session() as session:
        return queries.inbox_counts(session, actor.id, _roles_with_absences(rt, session, actor))


def _roles_with_absences(rt: Runtime, session: Session, actor: Actor) -> frozenset[str]:
    """The actor's roles and those of everyone they stand in for today."""
    return actor.roles.union(*(a.roles for a in deputies.absences_covered_by(rt, session, actor)))


def _visible_task(rt: Runtime, session: Session, actor: Actor, task_id: int) -> HumanTask:
    task = session.get(HumanTask, task_id)
    if task is None or task.status == "waiting":  # a campaign's step: the campaign shows its progress
        raise NotFound("no such task")
    instance = session.get(ProcessInstance, task.instance_id)
    if instance is None:
        raise NotFound("no such task")
    # Working on a task is for an open one; a closed step is read by those who may read its instance.
    workable = task.status == "open" and can_work_on(actor, task)
    if not (workable or can_view_instance(rt, session, actor, instance)):
        try:
            stands_in = deputies.covering_absence(rt, session, actor, instance, task)
        except NotDelegable:
            stands_in = None
        if stands_in is None:
            raise NotFound("no such task")
    return task


def task_form(rt: Runtime, actor: Actor, task_id: int) -> dict[str, Any]:
    """The form of a task the actor may see, without loading its workflow (for reading a submit)."""
    with rt.db.session() as session:
        task = _visible_task(rt, session, actor, task_id)
        instance = session.get(ProcessInstance, task.instance_id)
        assert instance is not None
        return definition_parts(rt, session, instance.definition_id).forms.get(task.form_key or "", {})


def get_task(rt: Runtime, actor: Actor, task_id: int) -> TaskDetail:
    with rt.db.session() as session:
        task = _visible_task(rt, session, actor, task_id)
        instance = session.get(ProcessInstance, task.instance_id)
        assert instance is not None
        definition = definition_parts(rt, session, instance.definition_id)
        forms = definition.forms
        if task.status == "open":
            raw = engine.instance_data(definition.spec_json, _state(session, instance), task.engine_task_id)
        else:
            raw = json.loads(task.data_json or "{}")
        data = {k: v for k, v in raw.items() if k not in INTERNAL_KEYS and not k.startswith("_")}
        # A private process decides what this reader sees (e.g. who reported, others' votes).
        shown = redact_task(rt, session, actor, instance, data)
        data = shown.data
        earlier = [
            replace(s, completed_by="") if shown.hides_author(s.form_schema) else s
            for s in (_earlier_steps(session, task, forms) if shown.earlier_steps else [])
        ]
        comments = list(
            session.execute(
                select(Comment).where(Comment.instance_id == instance.id).order_by(Comment.id)
            ).scalars()
        )
        return TaskDetail(
            task=task,
            instance=instance,
            form_schema=with_suggestions(
                session, forms.get(task.form_key or "", {}), rt.features.suggestion_sources
            ),
            data=data,
            earlier=earlier,
            comments=comments,
            may_work=task.status == "open" and _may_work(rt, session, actor, instance, task),
            panels=rt.features.panels("task", session, actor, instance, task),
            prefill=rt.features.prefill(session, actor, instance, task) if task.status == "open" else {},
        )


def _personal(rt: Runtime, session: Session, task: HumanTask) -> bool:
    instance = session.get(ProcessInstance, task.instance_id)
    return instance is not None and rt.features.is_personal_step(instance, task)


def _may_work(
    rt: Runtime, session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask
) -> bool:
    """The actor's own task, or one they do as a deputy (a personal vote: no, its page says so on submit)."""
    if can_work_on(actor, task):
        return True
    try:
        return deputies.covering_absence(rt, session, actor, instance, task) is not None
    except NotDelegable:
        return False


def _state(session: Session, instance: ProcessInstance) -> str:
    row = session.execute(
        select(ProcessInstance.state_json).where(ProcessInstance.id == instance.id)
    ).scalar_one()
    return str(row)


def claim(rt: Runtime, actor: Actor, task_id: int) -> HumanTask:
    with rt.db.session() as session:
        task = _visible_task(rt, session, actor, task_id)
        if task.status != "open":
            raise TaskNotOpen("the task is no longer open")
        on_behalf_of: str | None = None
        if not actor.roles.intersection(r.role for r in task.candidate_roles):
            instance = session.get(ProcessInstance, task.instance_id)
            absence = deputies.covering_absence(rt, session, actor, instance, task) if instance else None
            if absence is None:
                raise Forbidden("the task belongs to another role")
            on_behalf_of = absence.username
        # Conditional update: of two people claiming at once exactly one succeeds.
        changed = session.execute(
            update(HumanTask)
            .where(HumanTask.id == task_id, HumanTask.assignee_id.is_(None), HumanTask.status == "open")
            .values(assignee_id=actor.id)
        ).rowcount  # type: ignore[attr-defined]
        if changed != 1:
            raise Conflict("the task has already been claimed")
        unclaimed.close(session, task.school_id, [task_id])
        audit.append(
            session,
            actor.username,
            "task.claim",
            instance_id=task.instance_id,
            task_id=task_id,
            detail={"task": task.bpmn_id, "task_name": task.name}
            | ({"on_behalf_of": on_behalf_of} if on_behalf_of else {}),
        )
        task.assignee = session.get(User, actor.id) if actor.id is not None else None
        return task


def unclaim(rt: Runtime, actor: Actor, task_id: int) -> HumanTask:
    with rt.db.session() as session:
        task = _visible_task(rt, session, actor, task_id)
        if task.status != "open":
            raise TaskNotOpen("the task is no longer open")
        if task.assignee_id != actor.id and not can_reassign(actor):
            raise Forbidden("only the person holding the task can release it")
        if task.assigned_directly:
            raise Conflict("the process assigned this task to a person; ask the chair to reassign it")
        task.assignee = None
        # Claimable again, unless a completion came first (the copy is read back from the task as written).
        unclaimed.refresh(session, task.school_id, [task_id])
        audit.append(
            session,
            actor.username,
            "task.unclaim",
            instance_id=task.instance_id,
            task_id=task_id,
            detail={"task": task.bpmn_id, "task_name": task.name},
        )
        return task


def reassign(rt: Runtime, actor: Actor, task_id: int, username: str) -> None:
    if not can_reassign(actor):
        raise Forbidden("only the working group chair or an admin can reassign tasks")
    with rt.db.session() as session:
        task = _visible_task(rt, session, actor, task_id)
        if task.status != "open":
            raise TaskNotOpen("the task is no longer open")
        target = queries.user_by_username(session, username)
        if target is None or not target.is_active:
            raise ValidationFailed({"assignee": FieldError("unknown_user")})
        candidate = {r.role for r in task.candidate_roles}
        if candidate and not target.role_codes.intersection(candidate) and not task.assigned_directly:
            raise ValidationFailed({"assignee": FieldError("not_in_role")})
        previous = task.assignee.username if task.assignee else None
        task.assignee_id = target.id
        task.assigned_directly = True
        unclaimed.close(session, task.school_id, [task_id])
        audit.append(
            session,
            actor.username,
            "task.reassign",
            instance_id=task.instance_id,
            task_id=task_id,
            detail={"task": task.bpmn_id, "task_name": task.name, "from": previous, "to": username},
        )


def comment_on_task(rt: Runtime, actor: Actor, task_id: int, body: str) -> int:
    """A comment made from a task's page: kept on the task's instance, linked to the task."""
    with rt.db.session() as session:
        instance_id = _visible_task(rt, session, actor, task_id).instance_id
    return add_comment(rt, actor, instance_id, body, task_id=task_id)


def add_comment(rt: Runtime, actor: Actor, instance_id: int, body: str, task_id: int | None = None) -> int:
    text = body.strip()
    if not text:
        raise ValidationFailed({"body": FieldError("required")})
    if len(text) > 5000:
        raise ValidationFailed({"body": FieldError("max_length")})
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is None or not can_view_instance(rt, session, actor, instance):
            raise NotFound("no such instance")
        if actor.id is None:
            raise Forbidden("no user")
        comment = Comment(instance_id=instance_id, task_id=task_id, author_id=actor.id, body=text)
        session.add(comment)
        session.flush()
        audit.append(
            session,
            actor.username,
            "comment.add",
            instance_id=instance_id,
            task_id=task_id,
            detail={"comment": text},
        )
        return comment.id


def complete(
    rt: Runtime, actor: Actor, task_id: int, data: dict[str, Any], *, password: str | None = None
) -> HumanTask:
    """Validate the form, run the engine under the instance lock, refresh the inbox and audit it.

    `password` is a signature by re-entering it (a tool vote); it is checked and never stored.
    """
    if password:
        accounts.verify_signature_password(rt, actor, password)  # its own transaction: failures count
    with rt.db.session() as session:
        # The instance locked and the task read after the lock (a concurrent completion is then
        # visible here), with its candidate roles (`can_work_on` needs them) and its assignee.
        locked = lock_task(session, task_id, actor.id)
        if locked is None:
            raise NotFound("no such task")
        instance, task = locked.instance, locked.task
        school_settings.remember_stored(session, locked.stored_settings)  # the engine run reads them
        on_behalf_of: str | None = None
        if not can_work_on(actor, task):
            # A deputy of the absent assignee or role holder (never for a personal vote: 403 why).
            absence = deputies.covering_absence(rt, session, actor, instance, task)
            if absence is None:
                raise Forbidden("this task is assigned to someone else or to another role")
            on_behalf_of = absence.username
        else:
            claimed = deputies.claimed_for(rt, session, actor, instance, task)
            on_behalf_of = claimed.username if claimed else None
        if task.status == "cancelled":
            raise TaskWithdrawn("this task was withdrawn: the step closed before your answer")
        if task.status != "open" or instance.status != "running":
            raise TaskNotOpen("the task has already been completed")
        forms = definition_parts(rt, session, instance.definition_id).forms
        schema = forms.get(task.form_key or "", {"type": "object", "properties": {}})
        if password:
            data = {**data, **signature_statements(schema)}  # the checked password signs the statement
        clean = clean_submission(schema, data)
        # A field the person emptied must not keep its earlier value (e.g. `basis` cleared in rework).
        cleared = {
            name: None
            for name, prop in schema.get("properties", {}).items()
            if name not in clean and not prop.get("readOnly")
        }
        files.claim_references(rt, session, actor, instance, task.id, schema, clean)
        # Steps that need more than the form (a signed vote) add engine data that is not form data.
        extra: dict[str, Any] = {}
        completion = Completion(rt, session, actor, instance, task, clean, bool(password))
        for hook in rt.features.all("before_complete"):
            extra.update(hook(completion))
        # The task row is written once, as Core (the ORM's flush of these changes cost more than the
        # SQL); the loaded object takes the written values, so the reply needs no re-read.
        me = locked.holder if locked.holder is not None and locked.holder.id == actor.id else None
        if me is None and actor.id is not None:
            me = session.get(User, actor.id)  # a deputy completing another's task
        written = {
            "status": "completed",
            "completed_at": utcnow(),
            "completed_by_id": actor.id,
            "assignee_id": task.assignee_id if task.assignee_id is not None else actor.id,
            "data_json": json.dumps(clean, ensure_ascii=False, default=str),
        }
        direct.execute(
            session.connection(), _COMPLETE_TASK, {**written, "row": task.id, "school": task.school_id}
        )
        if task.candidate_roles and task.assignee_id is None:
            # Only an unclaimed task's role rows carry its copy; a claimed or assigned one's are NULL.
            unclaimed.close(session, task.school_id, [task.id])
        for key, value in written.items():
            set_committed_value(task, key, value)
        set_committed_value(task, "completed_by", me)
        if task.assignee is None:
            set_committed_value(task, "assignee", me)
        renamed: dict[str, Any] = {}
        if isinstance(clean.get("title"), str) and clean["title"].strip():
            # A form that names the matter (an order's title) names the instance in every list; written
            # with the run's state in the instance row's one UPDATE, not flushed on its own before.
            renamed["title"] = str(clean["title"])[:300]
            set_committed_value(instance, "title", renamed["title"])
        step = EngineStep("complete", {**cleared, **clean, **extra}, task.engine_task_id)
        note = AuditNote(
            actor.username,
            "task.complete",
            {
                "task": task.bpmn_id,
                "task_name": task.name,
                "decision": clean.get("decision"),
                "comment": clean.get("comment"),
                "data_digest": digest(clean),
            }
            | ({"on_behalf_of": on_behalf_of} if on_behalf_of else {}),
            task_id=task.id,
        )
        try:
            run_engine(rt, session, instance, step, note, instance_values=renamed)
        except engine.TaskNotReady:
            raise TaskNotOpen("the task has already been completed") from None
        return task  # loaded with what a reply needs, so callers need not read it again
