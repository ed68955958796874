"""The task page: the form, its context, comments; claim, release, reassign and complete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import FieldError, StepFailed, TaskNotOpen, ValidationFailed
from service.platform.files import storage as files
from service.platform.forms.coercion import coerce_submission
from service.platform.forms.schema import file_accept, file_max_bytes, localized, prefill_values
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.access import can_reassign
from service.platform.web.context import actor, runtime
from service.platform.web.errors import step_failed_message
from service.platform.web.i18n import current_language, field_messages, localized_title

# The field of a signature by re-entering the password: read here, checked by the use case, never stored.
SIGNATURE_FIELD = "signature_password"

bp = Blueprint("tasks", __name__)


def _render(
    task_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    detail = task_cases.get_task(runtime(), actor(), task_id)
    # After a failed submit the form shows exactly what was typed (and the read-only fields as they
    # stand); a fresh form starts from the schema's defaults and the process data its fields may take.
    if values is None:
        shown = {**prefill_values(detail.form_schema, detail.data), **detail.prefill}
    else:
        fixed = {
            name: detail.data[name]
            for name, prop in detail.form_schema.get("properties", {}).items()
            if prop.get("readOnly") and name in detail.data
        }
        shown = {**values, **fixed}
    lang = current_language()
    return render_template(
        "tasks/task.html",
        d=detail,
        values=shown,
        errors=errors or {},
        lang=lang,
        may_reassign=can_reassign(actor()),
        may_claim=detail.task.status == "open"
        and detail.task.assignee_id is None
        and bool(actor().roles.intersection(r.role for r in detail.task.candidate_roles)),
        sections=[(localized_title(step.title_i18n, lang, step.name), step) for step in detail.earlier],
        title=localized(detail.form_schema, "title", lang) or detail.task.name,
        signing=runtime().features.is_signing_step(detail.instance, detail.task),
    ), status


@bp.route("/tasks/<int:task_id>")
@login_required
def show(task_id: int) -> ResponseReturnValue:
    return _render(task_id)


def _uploads(schema: dict[str, Any], data: dict[str, Any]) -> None:
    """Store uploaded files and put their references into the submitted data."""
    props = schema.get("properties", {})
    for name, storage in request.files.items():
        if name not in props or not storage or not storage.filename:
            continue
        content = storage.read()
        accept = file_accept(props[name])
        if len(content) > file_max_bytes(props[name]) or (accept and storage.mimetype not in accept):
            raise ValidationFailed({name: FieldError("file")})
        data[name] = files.store_upload(
            runtime(), actor(), name, storage.filename, storage.mimetype or "", content
        )


@bp.route("/tasks/<int:task_id>", methods=["POST"])
@login_required
def submit(task_id: int) -> ResponseReturnValue:
    schema = task_cases.task_form(runtime(), actor(), task_id)
    raw = request.form.to_dict(flat=False)
    raw.pop("csrf_token", None)
    password = (raw.pop(SIGNATURE_FIELD, None) or [""])[0] or None
    data = coerce_submission(schema, raw)  # read-only fields are never taken from a post
    try:
        _uploads(schema, data)
        done = task_cases.complete(runtime(), actor(), task_id, data, password=password)
    except ValidationFailed as err:
        # Re-show the page with what was typed and a message next to each field.
        return _render(task_id, values=data, errors=field_messages(err.fields), status=422)
    except TaskNotOpen:
        flash(_("This task has already been completed or withdrawn."), "warning")
        return _render(task_id, status=409)
    except StepFailed as err:
        # The next step of the diagram failed: the person keeps what they typed and reads why.
        flash(step_failed_message(err), "error")
        return _render(task_id, values=data, status=422)
    flash(_("Done. The task has been completed."), "success")
    for redirect_of in runtime().features.all("task_redirects"):
        # A feature may send the person to its own page (e.g. a private process's limited view).
        target = redirect_of(done)
        if target:
            return redirect(target)
    return redirect(url_for("instances.show", instance_id=done.instance_id))


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: int) -> ResponseReturnValue:
    task_cases.claim(runtime(), actor(), task_id)
    flash(_("The task is now yours."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.route("/tasks/<int:task_id>/unclaim", methods=["POST"])
@login_required
def unclaim(task_id: int) -> ResponseReturnValue:
    task_cases.unclaim(runtime(), actor(), task_id)
    flash(_("The task is back in the role's queue."), "info")
    return redirect(url_for("inbox.tasks", scope="roles"))


@bp.route("/tasks/<int:task_id>/reassign", methods=["POST"])
@login_required
def reassign(task_id: int) -> ResponseReturnValue:
    username = request.form.get("assignee", "").strip()
    try:
        task_cases.reassign(runtime(), actor(), task_id, username)
    except ValidationFailed as err:
        message = field_messages(err.fields).get("assignee", "")
        flash(message, "error")
        return _render(task_id, status=422)
    flash(_("The task has been reassigned."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.route("/tasks/<int:task_id>/comments", methods=["POST"])
@login_required
def comment(task_id: int) -> ResponseReturnValue:
    body = request.form.get("body", "")
    try:
        task_cases.comment_on_task(runtime(), actor(), task_id, body)
    except ValidationFailed:
        flash(_("Write a comment first (at most 5000 characters)."), "error")
        return _render(task_id, errors={"__comment": body}, status=422)
    return redirect(url_for("tasks.show", task_id=task_id) + "#comments")
