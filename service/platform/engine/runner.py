"""Load, run and save one instance; hands plain objects out and never touches the database."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from service.platform.engine.limits import DEFAULT_SCRIPT_TIME_LIMIT, ScriptTimedOut
from service.platform.engine.properties import form_key_of, task_properties
from service.platform.engine.routing import roles_of, waits_for_campaign
from service.platform.engine.sandbox import SandboxedScriptEngine
from service.platform.engine.serialization import dump_state, load_specs, load_state
from service.platform.errors import EngineStepLimit, ScriptTimeLimit, ServiceError, StepFailed, WorkflowFailed

_TIMER_EVENTS = {"DurationTimerEventDefinition", "TimeDateEventDefinition", "CycleTimerEventDefinition"}


@dataclass(frozen=True)
class OperatorCall:
    """What a service-task operator receives: its evaluated parameters and a copy of the task data."""

    name: str
    params: dict[str, Any]
    data: Mapping[str, Any]


Operators = Mapping[str, Callable[[OperatorCall], Any]]


class TaskNotReady(Exception):
    """The engine task is not waiting for input (already completed, cancelled or unknown)."""


@dataclass(frozen=True)
class EngineTask:
    """A READY user task as the inbox needs it."""

    engine_task_id: str
    bpmn_id: str
    name: str
    lane: str | None
    roles: tuple[str, ...]
    form_key: str | None
    assignee: str | None
    due_in: str | None
    documentation: str | None
    due_on: str | None = None  # a date (YYYY-MM-DD) from the data variable named by `dueOn`
    # Property `waitsForCampaign`: a step no person completes; a campaign completes it when it ends.
    waits_for_campaign: bool = False


@dataclass
class RunResult:
    state_json: str
    completed: bool
    ready_tasks: list[EngineTask]
    next_timer_at: datetime | None
    data: dict[str, Any] = field(default_factory=dict)


def _script_engine(
    operators: Operators,
    time_limit: float | None,
    builtins: Mapping[str, Callable[..., Any]],
    school_settings: Mapping[str, Any] | None = None,
) -> SandboxedScriptEngine:
    engine = SandboxedScriptEngine(time_limit, builtins)
    # Kept as given: a lazy mapping is read only if an expression names `settings`.
    engine.restricted.current_settings = school_settings if school_settings is not None else {}

    def handle(name: str, params: dict[str, Any], data: Mapping[str, Any]) -> str:
        operator = operators.get(name)
        if operator is None:
            raise RuntimeError(f"unknown operator {name}")
        result = operator(OperatorCall(name=name, params=params, data=dict(data)))
        return json.dumps(result, default=str)

    engine.restricted.service_handler = handle
    return engine


def _assignee(task: Any) -> str | None:
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, MultiInstanceTask):
        key = task.internal_data.get("key_or_index")
        if isinstance(key, str):
            return key  # a multi-instance over {username: …} gives each child to its own person
    props = task_properties(task.task_spec)
    if props.get("assignUser"):
        return props["assignUser"]  # Camunda's assignee="username"
    variable = props.get("assignTo")
    if variable:
        value = task.data.get(variable)
        return str(value) if value else None
    return None


def _engine_task(task: Any) -> EngineTask:
    spec = task.task_spec
    props = task_properties(spec)
    return EngineTask(
        engine_task_id=str(task.id),
        bpmn_id=str(spec.bpmn_id or spec.name),
        name=str(spec.bpmn_name or spec.bpmn_id or spec.name),
        lane=spec.lane,
        roles=roles_of(spec),  # the compiler's `task_routes` read them alike, so deploy and run agree
        form_key=form_key_of(spec),
        assignee=_assignee(task),
        due_in=props.get("dueIn"),
        documentation=getattr(spec, "documentation", None),
        due_on=_due_on(task, props.get("dueOn")),
        waits_for_campaign=waits_for_campaign(spec),
    )


def _due_on(task: Any, variable: str | None) -> str | None:
    value = task.data.get(variable) if variable else None
    return str(value) if value else None


def next_timer_at(workflow: BpmnWorkflow) -> datetime | None:
    """The earliest time a timer of this instance is due, including timers inside call activities."""
    due: list[datetime] = []
    for event in workflow.waiting_events():
        if event.event_type in _TIMER_EVENTS and event.value:
            due.append(TimerEventDefinition.get_datetime(event.value))
    return min(due) if due else None


# SpiffWorkflow's task iterator looks at most 1000 levels down the task tree; past that a workflow's
# tasks vanish and it reads as completed. Refuse to save a state that is getting near it.
MAX_TASK_DEPTH = 900


def _result(workflow: BpmnWorkflow) -> RunResult:
    # SpiffWorkflow keeps every event nothing in the instance caught (a message to an outside party's
    # pool) for the embedding application to deliver; nothing here delivers events outside an instance,
    # so they are dropped before saving: kept, a throw in a rework loop grew the state every round.
    workflow.get_events()
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    deepest = max((t.depth for t in ready), default=0)
    if deepest > MAX_TASK_DEPTH:
        raise WorkflowFailed(f"history_too_deep: a ready task is {deepest} levels down the task tree")
    return RunResult(
        state_json=dump_state(workflow),
        completed=workflow.is_completed(),
        ready_tasks=[_engine_task(t) for t in ready],
        next_timer_at=next_timer_at(workflow),
        data=dict(workflow.data) if workflow.is_completed() else {},
    )


E = TypeVar("E", bound=BaseException)


def _find_cause(err: BaseException, kind: type[E]) -> E | None:
    """Find an exception of `kind` under Spiff's own exception wrappers."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        inner = getattr(current, "exception", None)
        current = inner if isinstance(inner, BaseException) else current.__cause__ or current.__context__
    return None


def _guarded(action: Callable[[], RunResult]) -> RunResult:
    """Run an engine step; any failure discards the in-memory workflow (the caller saves nothing)."""
    try:
        return action()
    except (TaskNotReady, ServiceError):
        raise
    except Exception as err:
        wrapped = _find_cause(err, ServiceError)  # raised by an operator
        if wrapped is not None:
            raise wrapped from err
        task = getattr(err, "task", None)
        element = str(task.task_spec.bpmn_id) if task is not None else None
        where = f" at {element}" if element else ""
        timed_out = _find_cause(err, ScriptTimedOut)
        if timed_out is not None:
            raise ScriptTimeLimit(
                f"script_time_limit{where}: {timed_out}", seconds=f"{timed_out.limit:g}", element=element
            ) from err
        reason = _reason(err)
        name = str(task.task_spec.bpmn_name or element) if task is not None else ""
        raise StepFailed(
            f"step_failed{where}: {reason}", element=element or "", name=name, reason=reason
        ) from err


def _reason(err: BaseException) -> str:
    """The exception a script or expression raised, as "Type: message", under Spiff's wrappers.

    The innermost exception that is not SpiffWorkflow's own is what the author of the diagram wrote
    (`ZeroDivisionError: division by zero`, `NameError: name 'y' is not defined`); never a traceback.
    """
    seen: set[int] = set()
    current: BaseException | None = err
    found: BaseException = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if not type(current).__module__.startswith("SpiffWorkflow"):
            found = current
            break
        found = current
        current = current.__cause__ or current.__context__
    message = " ".join(str(found).split())[:300]
    kind = getattr(found, "error_type", None) or type(found).__name__
    return f"{kind}: {message}" if message else str(kind)


# Automatic steps (scripts, gateways, events, service tasks) one engine call may run. The shipped
# processes run a few dozen at most. A cycle of scripts and gateways that never waits for a person,
# timer or message must be stopped well before SpiffWorkflow's own limit: its task iterator stops
# looking 1000 levels down the task tree, so a deeper cycle would silently end the instance as
# "completed" (seen with tests/fixtures/endless_loop.bpmn after ~1000 steps).
MAX_ENGINE_STEPS = 500


def _step_budget(limit: int) -> Callable[[Any], None]:
    taken = 0

    def before_step(task: Any) -> None:
        nonlocal taken
        taken += 1
        if taken > limit:
            element = str(task.task_spec.bpmn_id)
            raise EngineStepLimit(
                f"engine_step_limit at {element}: more than {limit} automatic steps without a wait",
                steps=str(limit),
                element=element,
            )

    return before_step


def _advance(workflow: BpmnWorkflow, max_steps: int = MAX_ENGINE_STEPS) -> None:
    before_step = _step_budget(max_steps)  # one budget for the whole call, across the rounds below
    # do_engine_steps refreshes timers only at its end, so loop until nothing more becomes ready.
    for _ in range(20):
        workflow.refresh_timers()
        workflow.do_engine_steps(will_complete_task=before_step)
        if not workflow.get_tasks(state=TaskState.READY, manual=False):
            break


def start_instance(
    spec_json: str,
    data: Mapping[str, Any],
    operators: Operators,
    *,
    script_time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
    script_builtins: Mapping[str, Callable[..., Any]] | None = None,
    school_settings: Mapping[str, Any] | None = None,
) -> RunResult:
    def run() -> RunResult:
        spec, subprocess_specs = load_specs(spec_json)
        engine = _script_engine(operators, script_time_limit, script_builtins or {}, school_settings)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=engine)
        start = workflow.get_tasks(state=TaskState.READY)
        for task in start:
            task.data.update(dict(data))
        _advance(workflow)
        return _result(workflow)

    return _guarded(run)


def _load(
    spec_json: str,
    state_json: str,
    operators: Operators,
    time_limit: float | None,
    builtins: Mapping[str, Callable[..., Any]],
    school_settings: Mapping[str, Any] | None = None,
) -> BpmnWorkflow:
    workflow = load_state(spec_json, state_json)
    # The script engine is never serialized: it is set after every load.
    workflow.script_engine = _script_engine(operators, time_limit, builtins, school_settings)
    return workflow


def _find_ready(workflow: BpmnWorkflow, engine_task_id: str) -> Any:
    try:
        task = workflow.get_task_from_id(UUID(engine_task_id))
    except (TaskNotFoundException, ValueError):
        raise TaskNotReady(engine_task_id) from None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReady(engine_task_id)
    return task


def complete_task(
    spec_json: str,
    state_json: str,
    engine_task_id: str,
    data: Mapping[str, Any],
    operators: Operators,
    *,
    script_time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
    script_builtins: Mapping[str, Callable[..., Any]] | None = None,
    school_settings: Mapping[str, Any] | None = None,
) -> RunResult:
    def run() -> RunResult:
        workflow = _load(
            spec_json, state_json, operators, script_time_limit, script_builtins or {}, school_settings
        )
        task = _find_ready(workflow, engine_task_id)
        task.data.update(dict(data))
        task.run()
        _advance(workflow)
        return _result(workflow)

    return _guarded(run)


def wake_timers(
    spec_json: str,
    state_json: str,
    operators: Operators,
    *,
    script_time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
    script_builtins: Mapping[str, Callable[..., Any]] | None = None,
    school_settings: Mapping[str, Any] | None = None,
) -> RunResult:
    def run() -> RunResult:
        workflow = _load(
            spec_json, state_json, operators, script_time_limit, script_builtins or {}, school_settings
        )
        _advance(workflow)
        return _result(workflow)

    return _guarded(run)


def instance_data(spec_json: str, state_json: str, engine_task_id: str | None = None) -> dict[str, Any]:
    """The data a task sees (for prefilling its form), or the workflow's data when no task is named."""
    workflow = load_state(spec_json, state_json)
    if engine_task_id is None:
        return dict(workflow.data)
    try:
        task = workflow.get_task_from_id(UUID(engine_task_id))
    except (TaskNotFoundException, ValueError):
        return {}
    return dict(task.data) if task is not None else {}
