"""JSON API under /api/v1, authenticated by Bearer tokens; paths and field names are a contract."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from service.platform.errors import BadRequest
from service.platform.inbox import cancel as cancel_cases
from service.platform.inbox import cursor
from service.platform.inbox import instances as instance_cases
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.instances import InstanceView, StartedInstance
from service.platform.inbox.projection import CreatedTask
from service.platform.inbox.queries import TaskFilter, total_is_exact
from service.platform.notify import news as inbox_news
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.processes import editor
from service.platform.timers import wake as timers
from service.platform.web import schemas
from service.platform.web.api_model import answer
from service.platform.web.api_request import (
    api_actor,
    authenticate,
    data_of,
    int_arg,
    json_body,
)
from service.platform.web.campaigns import pending_rows
from service.platform.web.context import runtime
from service.platform.web.deploy_messages import warning_rows
from service.platform.web.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi":  # the contract itself is public
        return
    authenticate()


def _task(task: HumanTask | CreatedTask, **rest: Any) -> schemas.Task:
    """A task's API row: the fields a loaded and a just-created row share, plus `rest`."""
    return schemas.Task(
        id=task.id,
        instance_id=task.instance_id,
        process_id=task.process_id,
        bpmn_id=task.bpmn_id,
        name=task.name,
        role=task.role,
        status=task.status,  # type: ignore[arg-type]  # the column holds one of the three
        due_at=task.due_at,
        created_at=task.created_at,
        **rest,
    )


def task_row(task: HumanTask) -> schemas.Task:
    return _task(
        task,
        assignee=task.assignee.username if task.assignee else None,
        completed_at=task.completed_at,
        completed_by=task.completed_by.username if task.completed_by else None,
        candidate_roles=sorted(r.role for r in task.candidate_roles),
    )


def created_task_row(task: CreatedTask) -> schemas.Task:
    """A row a start just created, in the same shape as `task_row` gives a loaded one."""
    return _task(
        task,
        assignee=task.assignee,
        completed_at=None,
        completed_by=None,
        candidate_roles=sorted(task.candidate_roles),
    )


def instance_body(view: InstanceView | StartedInstance, started_by: str | None = None) -> schemas.Instance:
    inst: ProcessInstance = view.instance
    if isinstance(view, StartedInstance):
        tasks = [created_task_row(t) for t in view.open_tasks]
    else:
        tasks = [task_row(t) for t in view.open_tasks]
        started_by = inst.started_by.username if inst.started_by else None
    return schemas.Instance(
        id=inst.id,
        process_id=inst.process_id,
        version=view.definition_version,
        status=inst.status,  # type: ignore[arg-type]  # the column holds one of the four
        title=inst.title,
        started_by=started_by,
        started_at=inst.started_at,
        ended_at=inst.ended_at,
        tasks=tasks,
        history=[
            schemas.InstanceHistoryEntry(
                at=h.at,
                actor=h.actor,
                actor_name=h.actor_name,
                on_behalf_of=h.on_behalf_of,
                on_behalf_of_name=h.on_behalf_of_name,
                action=h.action,
                task=h.task,
                decision=h.decision,
                comment=h.comment,
            )
            for h in view.history
        ],
    )


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document(runtime().features))


@bp.get("/processes")
def processes() -> ResponseReturnValue:
    rows = instance_cases.startable(runtime(), api_actor())
    return answer(
        schemas.ProcessList(
            processes=[schemas.Process(id=d.process_id, name=d.name, version=d.version) for d in rows]
        )
    )


@bp.post("/processes")
def deploy_process() -> ResponseReturnValue:
    # The same use case as the editor's Deploy button (the file is named after its process by default).
    outcome = editor.deploy_xml(
        runtime(),
        api_actor(),
        request.get_data(),
        request.args.get("note", ""),
        request.args.get("filename"),
        replace=request.args.get("replace", "").lower() in ("1", "true", "yes"),
    )
    deployed = schemas.DeployedProcess(
        id=outcome.process_id,
        version=outcome.version,
        changed=outcome.changed,
        warnings=[schemas.DeployWarning(**row) for row in warning_rows(outcome.warnings)],
    )
    return answer(deployed, 201 if outcome.changed else 200)


@bp.post("/processes/<process_id>/instances")
def start(process_id: str) -> ResponseReturnValue:
    data = data_of(json_body())
    # Answered from the start's own transaction: a second one to read back what it wrote cost as much.
    actor = api_actor()
    started = instance_cases.start(runtime(), actor, process_id, data)
    return answer(instance_body(started, started_by=actor.username), 201)


@bp.get("/tasks")
def tasks() -> ResponseReturnValue:
    status = request.args.get("status", "open")
    if status not in ("open", "completed", "cancelled", "any"):
        raise BadRequest("status must be open, completed, cancelled or any")
    flt = TaskFilter(
        scope=request.args.get("scope", "mine"),
        status=None if status == "any" else status,
        instance_id=int_arg("instance_id", None, 1),
        process_id=request.args.get("process_id") or None,
        limit=int_arg("limit", 50, 1, 200) or 50,
        offset=int_arg("offset", 0, 0) or 0,
        cursor=cursor.parse(request.args.get("cursor"), "cursor"),
    )
    me = api_actor()
    page = task_cases.list_tasks(runtime(), me, flt)
    rows, total = page.rows, page.total
    exact = total_is_exact(flt, total)
    # A person's acknowledgements and surveys live outside the engine: listed beside their tasks.
    campaign_rows = (
        pending_rows(runtime(), me, me.language, flt.limit)
        if flt.scope == "mine" and flt.status == "open" and flt.instance_id is None and not flt.process_id
        else []
    )
    return answer(
        schemas.TaskList(
            tasks=[task_row(t) for t in rows],
            total=total,
            total_exact=exact,
            campaign_tasks=campaign_rows,
            next=page.after.token() if page.after else None,
            previous=page.before.token() if page.before else None,
        )
    )


@bp.get("/tasks/<int:task_id>")
def task(task_id: int) -> ResponseReturnValue:
    detail = task_cases.get_task(runtime(), api_actor(), task_id)
    row = task_row(detail.task)
    return answer(
        schemas.TaskDetail(
            **row.model_dump(exclude_unset=True),
            form=schemas.TaskForm(key=detail.task.form_key, schema=detail.form_schema),
            data=detail.data,
        )
    )


@bp.post("/tasks/<int:task_id>/claim")
def claim(task_id: int) -> ResponseReturnValue:
    return answer(task_row(task_cases.claim(runtime(), api_actor(), task_id)))


@bp.post("/tasks/<int:task_id>/unclaim")
def unclaim(task_id: int) -> ResponseReturnValue:
    return answer(task_row(task_cases.unclaim(runtime(), api_actor(), task_id)))


def _signature_password(body: dict[str, Any]) -> str | None:
    """`{"signature": {"password": …}}` signs a step by re-entering the password (checked, never kept)."""
    signature = body.get("signature")
    if signature is None:
        return None
    if not isinstance(signature, dict) or not isinstance(signature.get("password", ""), str):
        raise BadRequest("signature must be an object with a password string")
    return str(signature.get("password") or "") or None


@bp.post("/tasks/<int:task_id>/complete")
def complete(task_id: int) -> ResponseReturnValue:
    body = json_body()
    data = data_of(body)
    password = _signature_password(body)
    return answer(task_row(task_cases.complete(runtime(), api_actor(), task_id, data, password=password)))


@bp.get("/instances/<int:instance_id>")
def instance(instance_id: int) -> ResponseReturnValue:
    return answer(instance_body(instance_cases.get_instance(runtime(), api_actor(), instance_id, page=False)))


@bp.post("/instances/<int:instance_id>/cancel")
def cancel_instance(instance_id: int) -> ResponseReturnValue:
    """An admin stops an instance for good, with a reason (audited); its open tasks close."""
    reason = json_body().get("reason")
    if not isinstance(reason, str):
        raise BadRequest("reason must be a string")
    cancel_cases.cancel_instance(runtime(), api_actor(), instance_id, reason)
    return answer(instance_body(instance_cases.get_instance(runtime(), api_actor(), instance_id, page=False)))


@bp.post("/instances/<int:instance_id>/retry")
def retry_instance(instance_id: int) -> ResponseReturnValue:
    """An admin runs an instance stopped by an error again from its last saved state."""
    me = api_actor()
    timers.retry_instance(runtime(), me.username, me.is_admin, instance_id)
    return answer(instance_body(instance_cases.get_instance(runtime(), me, instance_id, page=False)))


@bp.get("/notifications")
def notifications() -> ResponseReturnValue:
    me = api_actor()
    rows = inbox_news.my_notifications(runtime(), me, limit=int_arg("limit", 50, 1, 200) or 50)
    return answer(
        schemas.NotificationList(
            unread=inbox_news.unread_count(runtime(), me),
            notifications=[
                schemas.Notification(
                    id=n.id,
                    kind=n.kind,
                    params=n.params,
                    instance_id=n.instance_id,
                    task_id=n.task_id,
                    created_at=n.created_at,
                    unread=n.unread,
                )
                for n in rows
            ],
        )
    )
