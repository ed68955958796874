"""Error responses: JSON under /api (and for JSON clients), friendly translated pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from service.platform.errors import InvalidBpmn, ProcessExists, ServiceError, StepFailed, ValidationFailed
from service.platform.web.api_model import answer
from service.platform.web.api_request import API_PREFIX
from service.platform.web.context import runtime
from service.platform.web.deploy_messages import problem_rows
from service.platform.web.i18n import field_messages
from service.platform.web.schemas import DeployProblem, Error

log = logging.getLogger(__name__)


def wants_json() -> bool:
    if request.path.startswith(API_PREFIX):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This action is not available here."),
        409: _("This was already done by someone else or is no longer open."),
        413: _("The file is too large."),
        422: _("Some fields need correcting."),
        429: _("Too many attempts. Please wait."),
        500: _("Something went wrong on our side. Nothing you submitted was saved; please try again."),
    }


def error_response(status: int, code: str, message: str, **extra: Any) -> ResponseReturnValue:
    if wants_json():
        return answer(Error(error=code, message=message, **extra), status)
    return render_template("errors/error.html", status=status, message=message), status


def step_failed_message(err: StepFailed) -> str:
    """What the person whose step failed reads, on the task page and in the API's `message`."""
    return _(
        "The step «%(name)s» (%(element)s) of this process failed: %(reason)s. Nothing you submitted "
        "was saved. Please tell an administrator: the process diagram or its data needs correcting.",
        name=err.params.get("name") or err.params.get("element") or "?",
        element=err.params.get("element") or "?",
        reason=err.params.get("reason") or "?",
    )


def process_exists_message(err: ProcessExists) -> str:
    """The question a deploy asks before a file becomes the next version of another-looking process."""
    return _(
        "A process with the id «%(process_id)s» already exists: «%(existing_name)s», version "
        "%(version)s. This file (%(name)s) looks like a different process. Deploy it as that process's "
        "next version anyway, or change the process id in the file to make a new process.",
        process_id=err.params.get("process_id", ""),
        existing_name=err.params.get("existing_name", ""),
        version=err.params.get("version", ""),
        name=err.params.get("name", ""),
    )


def _service_error(err: ServiceError) -> ResponseReturnValue:
    extra: dict[str, Any] = {}
    if isinstance(err, ValidationFailed):
        extra["fields"] = field_messages(err.fields)
    if isinstance(err, InvalidBpmn):
        # the English `message` for programs, the `text` in the reader's language for people
        extra["problems"] = [DeployProblem(**row) for row in problem_rows(err.problems)]
    if err.status >= 500 or isinstance(err, StepFailed):
        log.error("service error: %s", err.message)
    # 403/404 carry the generic text only, so that nothing about the resource leaks; a deputy refused a
    # personal vote already sees the task, so they are told why.
    if err.code == "not_delegable":
        message = _("A vote is personal: a deputy cannot cast it for someone who is away.")
    elif err.status in (401, 403, 404):
        message = _messages()[err.status]
    elif err.code == "task_withdrawn":
        message = _("This task was withdrawn: the step closed before your answer (e.g. the vote ended).")
    elif err.code == "task_not_open":
        message = _("This task has already been completed or withdrawn.")
    elif err.code == "script_time_limit":
        message = _(
            "A script in this process ran longer than %(seconds)s s and was stopped. Nothing you "
            "submitted was saved. Please tell an administrator: the process diagram needs correcting.",
            seconds=err.params.get("seconds", "?"),
        )
    elif isinstance(err, ProcessExists):
        message = process_exists_message(err)
        extra.update({k: err.params.get(k) for k in ("process_id", "name", "existing_name", "version")})
    elif isinstance(err, StepFailed):
        message = step_failed_message(err)
        extra.update({k: err.params.get(k, "") for k in ("element", "name", "reason")})
    elif err.code == "engine_step_limit":
        message = _(
            "This process ran more than %(steps)s automatic steps without waiting for anyone and was "
            "stopped. Nothing you submitted was saved. Please tell an administrator: the process "
            "diagram has a loop that never ends.",
            steps=err.params.get("steps", "?"),
        )
    elif err.code in runtime().features.error_messages:
        # A feature's own error in the reader's language, with what a client needs to resolve it.
        message, more = runtime().features.error_messages[err.code](err)
        extra.update(more)
    elif err.status in (409, 422, 500) and not isinstance(err, InvalidBpmn):
        message = _messages()[err.status] if err.status != 409 else _messages()[409]
    else:
        message = err.message
    return error_response(err.status, err.code, message, **extra)


def init_errors(app: Flask) -> None:
    app.register_error_handler(ServiceError, _service_error)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError) -> ResponseReturnValue:
        return error_response(
            400, "csrf", _("The form expired. Reload the page and submit again; your text is kept.")
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> ResponseReturnValue:
        status = err.code or 500
        return error_response(
            status,
            (err.name or "error").lower().replace(" ", "_"),
            _messages().get(status, err.description or ""),
        )

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> ResponseReturnValue:
        log.exception("unexpected error")
        return error_response(500, "internal", _messages()[500])
