"""The error hierarchy every layer raises; the web layer maps `code` to an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ServiceError(Exception):
    """Base of all expected errors; `code` is stable and machine-readable, `message` is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str = "", **params: Any) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        self.params = params


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class Forbidden(ServiceError):
    code = "forbidden"
    status = 403


class NotDelegable(Forbidden):
    """A deputy tried a personal step (a member's vote) of the person they stand in for."""

    code = "not_delegable"


class Unauthenticated(ServiceError):
    code = "unauthenticated"
    status = 401


class Conflict(ServiceError):
    code = "conflict"
    status = 409


class ConcurrentChange(Conflict):
    """Another transaction saved the same row between this one's read and its write; nothing was saved."""

    code = "concurrent_change"


class TaskNotOpen(Conflict):
    code = "task_not_open"


class TaskWithdrawn(TaskNotOpen):
    """The process withdrew the task before it was answered (a vote closed early or by its deadline)."""

    code = "task_withdrawn"


class ProcessExists(Conflict):
    """A deploy would make a new version of a process that looks like another one: its name differs, or
    it shares almost none of its steps (every bpmn.io diagram starts as `Process_1`). Deploying again
    with `replace=true` confirms it.

    `params`: `process_id`, `name` (of the upload), `existing_name`, `version` (the active one).
    """

    code = "process_exists"


class BadRequest(ServiceError):
    code = "bad_request"
    status = 400


@dataclass(frozen=True)
class FieldError:
    """One field's problem: a code to translate and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class ValidationFailed(ServiceError):
    """Submitted data broke the form's rules; `fields` maps each field name to its problem."""

    code = "validation_failed"
    status = 422

    def __init__(self, fields: dict[str, FieldError], message: str = "Invalid data") -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True)
class DeployProblem:
    """One reason a BPMN diagram cannot be deployed, tied to an element and a line when known."""

    message: str
    element: str | None = None
    line: int | None = None
    # A stable code and its parameters, so that the web layer can say it in the user's language.
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)


class InvalidBpmn(ServiceError):
    code = "invalid_bpmn"
    status = 422

    def __init__(self, problems: list[DeployProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems[:5]))
        self.problems = problems
        self.filename: str | None = None  # set when one file of a directory was refused


class WorkflowFailed(ServiceError):
    """The engine raised while running; the last saved state stands and an admin may retry."""

    code = "workflow_error"
    status = 500


class StepFailed(WorkflowFailed):
    """A step of the process (a script, a condition, a service task's parameters) raised: the diagram or
    the data it was given is wrong, not the service. Nothing was saved.

    `params`: `element` (the BPMN id), `name` (its label) and `reason` (the exception's type and message).
    """

    code = "step_failed"
    status = 422


class EngineStepLimit(WorkflowFailed):
    """The process ran more automatic steps in one go than any real process needs: a cycle of scripts
    and gateways that never waits for a person, a timer or a message.

    `params`: `steps` (the limit) and `element` (the BPMN id of the step it was about to run).
    """

    code = "engine_step_limit"
    status = 422  # the diagram's fault, not the service's: nothing was saved, the task stays open


class ScriptTimeLimit(WorkflowFailed):
    """A script or expression of the process ran longer than its time limit and was stopped.

    `params`: `seconds` (the limit) and `element` (the BPMN id of the step, when known).
    """

    code = "script_time_limit"
    status = 422  # the diagram's fault, not the service's: nothing was saved, the task stays open
