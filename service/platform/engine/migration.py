"""Moving a running instance to another deployed version with SpiffWorkflow's own diff and migration.

`SpecDiff`/`diff_workflow` align the old version's task specs with the new one's (by BPMN id, then by
structure); `migrate_workflow` points every aligned task at its new spec and restarts waiting events.
What the library leaves to its caller is decided here: which instances may move at all (a task whose
spec has no counterpart could not be loaded again, so a step the instance waits on or has passed must
exist in the new version or be mapped by the admin). Two things it gets wrong are done differently:
ready tasks are not reset its way (that loses a multi-instance child's member and vote), only what
follows them is predicted again; and a waiting task that the new version wraps in boundary events (a
reminder timer added to it) would meet a boundary join whose split never ran, so the split is put in
front of it (its timers start at the move).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from service.platform.engine.limits import DEFAULT_SCRIPT_TIME_LIMIT
from service.platform.engine.properties import form_key_of
from service.platform.engine.runner import Operators, RunResult, _advance, _guarded, _result, _script_engine
from service.platform.engine.serialization import load_specs, load_state, serializer
from service.platform.errors import WorkflowFailed


@dataclass(frozen=True)
class Problem:
    """Why an instance cannot move: a code and the step it concerns (BPMN id and label)."""

    code: str  # waiting_step_removed | passed_step_removed | step_events_changed | called_process_missing
    bpmn_id: str
    name: str


@dataclass(frozen=True)
class WaitingStep:
    """A step the instance waits on, in the old version and its counterpart in the new one."""

    bpmn_id: str
    name: str
    new_bpmn_id: str
    new_name: str
    form_key: str | None
    new_form_key: str | None
    changed: tuple[str, ...]  # serialized attributes that differ (label, lane, scripts, …)


@dataclass(frozen=True)
class MigrationCheck:
    """What moving one instance would do; `problems` empty means it can move."""

    problems: tuple[Problem, ...]
    waiting: tuple[WaitingStep, ...]
    added: tuple[tuple[str, str], ...] = field(default=())  # (BPMN id, label) new in the version
    removed: tuple[tuple[str, str], ...] = field(default=())  # (BPMN id, label) gone from it


def _label(spec: Any) -> str:
    name = getattr(spec, "bpmn_name", None)
    if not name and isinstance(spec, LoopTask):
        # A multi-instance step keeps its label on the member's task it repeats.
        member = getattr(spec, "_wf_spec", None)
        child = member.task_specs.get(spec.task_spec) if member is not None else None
        name = getattr(child, "bpmn_name", None)
    return str(name or getattr(spec, "bpmn_id", None) or spec.name)


def _named(spec: Any) -> bool:
    """A step with a label of its own: what an admin recognises in a list of changes (an unnamed end
    event would show only its id)."""
    return _label(spec) != _bpmn_id(spec)


def _bpmn_id(spec: Any) -> str:
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def _is_step(spec: Any) -> bool:
    """A spec the admin drew (has a BPMN id), not one of the library's own joins and splits."""
    return getattr(spec, "bpmn_id", None) is not None


def _diffs(
    workflow: BpmnWorkflow, new_spec: Any, new_subs: Mapping[str, Any], mapping: Mapping[str, str]
) -> tuple[WorkflowDiff, dict[Any, WorkflowDiff | None]]:
    top, subs = diff_workflow(serializer().registry, workflow, new_spec, new_subs)
    # The admin's mapping (old BPMN id -> new BPMN id) covers steps the library could not align.
    # It wins over the library's structural guess.
    for task in [*top.removed, *top.alignment]:
        target = mapping.get(_bpmn_id(task.task_spec))
        new_name = _spec_name(new_spec, target, task.task_spec.name) if target else None
        if new_name is not None:
            top.alignment[task] = new_spec.task_specs[new_name]
            if task in top.removed:
                top.removed.remove(task)
    return top, subs


def _spec_name(spec: Any, bpmn_id: str, old_name: str) -> str | None:
    """The new spec standing for `bpmn_id`; a multi-instance child keeps its " [child]" suffix."""
    suffix = old_name[len(old_name.split(" ")[0]) :] if " [" in old_name else ""
    name = f"{bpmn_id}{suffix}"
    return name if name in spec.task_specs else None


def _waiting(task: Any) -> bool:
    return bool(task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED))


def _problems(diff: WorkflowDiff) -> list[Problem]:
    """Tasks with no counterpart in the new version; a prediction is simply recomputed from it."""
    found: dict[tuple[str, str], Problem] = {}
    for task in diff.removed:
        if task.has_state(TaskState.PREDICTED_MASK):
            continue
        spec = task.task_spec
        if _is_step(spec):
            code = "waiting_step_removed" if _waiting(task) else "passed_step_removed"
        else:
            # The library's split or join around a step with boundary events (a timer added or taken
            # away): name the step it belongs to, not the library's "<id>.BoundaryEventSplit".
            code, spec = "step_events_changed", _owner(task.workflow.spec, spec)
        found.setdefault((code, _bpmn_id(spec)), Problem(code, _bpmn_id(spec), _label(spec)))
    # What the instance waits on first: that is what the admin must map to move it.
    return sorted(found.values(), key=lambda p: p.code != "waiting_step_removed")


def _owner(process_spec: Any, spec: Any) -> Any:
    """The drawn step a library spec ("Task_vote.BoundaryEventSplit") was made for, else the spec."""
    owner = process_spec.task_specs.get(str(spec.name).split(".")[0])
    return owner if owner is not None else spec


def _waiting_steps(workflow: Any, diff: WorkflowDiff) -> list[WaitingStep]:
    steps: list[WaitingStep] = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True, skip_subprocesses=True):
        new = diff.alignment.get(task)
        if new is None:
            continue
        changes: list[str] = []
        old_dict = serializer().registry.convert(task.task_spec)
        new_dict = serializer().registry.convert(new)
        for key, value in old_dict.items():
            if key in ("inputs", "outputs", "name"):
                continue  # the flow around it, judged by the migration itself
            if new_dict.get(key) != value:
                changes.append(key)
        steps.append(
            WaitingStep(
                bpmn_id=_bpmn_id(task.task_spec),
                name=_label(task.task_spec),
                new_bpmn_id=_bpmn_id(new),
                new_name=_label(new),
                form_key=form_key_of(task.task_spec),
                new_form_key=form_key_of(new),
                changed=tuple(sorted(set(changes))),
            )
        )
    return steps


def step_ids(spec_json: str) -> set[str]:
    """The BPMN ids of a version's steps (its top process), for checking an admin's mapping."""
    return set(step_labels(spec_json))


def step_labels(spec_json: str, *, manual_only: bool = False) -> dict[str, str]:
    """BPMN id -> label of a version's steps (its top process); only people's tasks if `manual_only`."""
    spec, _ = load_specs(spec_json)
    return {
        _bpmn_id(s): _label(s)
        for s in spec.task_specs.values()
        if _is_step(s) and (s.manual or not manual_only) and " [" not in s.name
    }


def check_migration(
    old_spec_json: str, new_spec_json: str, state_json: str, mapping: Mapping[str, str] | None = None
) -> MigrationCheck:
    """Whether the instance can move to the new version, and what changes for it; nothing is saved."""
    workflow = load_state(old_spec_json, state_json)
    new_spec, new_subs = load_specs(new_spec_json)
    top, subs = _diffs(workflow, new_spec, new_subs, mapping or {})
    problems = _problems(top)
    problems += [
        Problem("step_events_changed", _bpmn_id(task.task_spec), _label(task.task_spec))
        for task, _ in _new_boundaries(workflow, top, TaskState.STARTED)
    ]
    waiting = _waiting_steps(workflow, top)
    for sp_id, sub_diff in subs.items():
        sub = workflow.subprocesses[sp_id]
        if sub_diff is None:
            problems.append(Problem("called_process_missing", str(sub.spec.name), str(sub.spec.name)))
            continue
        problems.extend(_problems(sub_diff))
        waiting.extend(_waiting_steps(sub, sub_diff))
    old_ids = {_bpmn_id(s) for s in workflow.spec.task_specs.values() if _is_step(s)}
    new_ids = {_bpmn_id(s) for s in new_spec.task_specs.values() if _is_step(s)}
    added = sorted(
        {
            (_bpmn_id(s), _label(s))
            for s in new_spec.task_specs.values()
            if _is_step(s) and _bpmn_id(s) not in old_ids and _named(s)
        }
    )
    removed = sorted(
        {
            (_bpmn_id(s), _label(s))
            for s in workflow.spec.task_specs.values()
            if _is_step(s) and _bpmn_id(s) not in new_ids and _named(s)
        }
    )
    return MigrationCheck(tuple(problems), tuple(waiting), tuple(added), tuple(removed))


def _repredict_ready(workflow: Any) -> None:
    """What follows each ready task, predicted again from the new spec; the task itself keeps its id,
    state, data and internal data.

    The library resets ready tasks with `reset_branch`, which replaces their data with the parent's and
    clears their internal data: a multi-instance child (a council member's vote) then loses its member
    and its place in the collected votes, and cannot become ready again under its running parent.
    """
    for task in workflow.get_tasks(state=TaskState.READY, skip_subprocesses=True):
        if isinstance(getattr(task.parent, "task_spec", None), LoopTask):
            continue  # a multi-instance child: its running parent decides what follows
        task._drop_children(force=True)
        task.task_spec._predict(task, mask=TaskState.NOT_FINISHED_MASK)


def _new_boundaries(workflow: Any, diff: WorkflowDiff, state: int = TaskState.READY) -> list[tuple[Any, Any]]:
    """Tasks in `state` that the new version wraps in boundary events (a reminder timer added to them):
    the library would leave them leading into a boundary join whose split never ran. Ready ones get the
    split grafted in front; a started one (a multi-instance vote, a called process) refuses the move."""
    found: list[tuple[Any, Any]] = []
    for task in workflow.get_tasks(state=state, skip_subprocesses=True):
        new = diff.alignment.get(task)
        if new is None:
            continue
        joins = [out for out in new.outputs if isinstance(out, BoundaryEventJoin)]
        if joins and task.find_ancestor(joins[0].split_task) is None:
            found.append((task, joins[0]))
    return found


def _graft_split(task: Any, join: Any) -> None:
    """Put the boundary split the new version has in front of `task`, as if it had run when the task
    was reached: the task keeps its id and place, and its new boundary events start waiting now (a
    timer counts from the move)."""
    split_spec = task.workflow.spec.task_specs[join.split_task]
    parent = task.parent
    parent._children.remove(task.id)
    split = parent._add_child(split_spec, TaskState.COMPLETED)
    split.data = deepcopy(task.data)
    split._children.append(task.id)
    task._parent = split.id
    # The serializer stores a task's data as a change from its parent's and restores tasks in the
    # order of `workflow.tasks`: the task and what follows it must come after their new parent.
    for moved in list(task):
        task.workflow.tasks[moved.id] = task.workflow.tasks.pop(moved.id)
    for spec in split_spec.outputs:
        if spec is task.task_spec:
            continue
        event = split._add_child(spec, TaskState.FUTURE)
        event.data = deepcopy(task.data)
        spec._predict(event, mask=TaskState.NOT_FINISHED_MASK)
        spec._update(event)


def _require_loadable(spec_json: str, state_json: str) -> None:
    """The moved state must load on the new version: every task found its spec there."""
    moved = load_state(spec_json, state_json)
    lost = [t for t in moved.get_tasks() if t.task_spec is None]
    if lost:
        raise WorkflowFailed(f"migration_unloadable: {len(lost)} tasks have no step in the new version")


def migrate_instance(
    old_spec_json: str,
    new_spec_json: str,
    state_json: str,
    operators: Operators,
    mapping: Mapping[str, str] | None = None,
    *,
    script_time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
    script_builtins: Mapping[str, Callable[..., Any]] | None = None,
    school_settings: Mapping[str, Any] | None = None,
) -> RunResult:
    """The instance on the new version, with every completed task and its data kept.

    The caller has checked `check_migration` first; waiting tasks keep their ids, so their inbox rows
    stay. The engine then runs whatever the new version makes due (a reminder timer added, say).
    """

    def run() -> RunResult:
        workflow = load_state(old_spec_json, state_json)
        workflow.script_engine = _script_engine(
            operators, script_time_limit, script_builtins or {}, school_settings
        )
        new_spec, new_subs = load_specs(new_spec_json)
        top, subs = _diffs(workflow, new_spec, new_subs, mapping or {})
        # Waiting events (timers) start again on the new spec; ready tasks keep their data (see below).
        migrate_workflow(top, workflow, new_spec, reset_mask=TaskState.WAITING)
        _repredict_ready(workflow)
        for task, join in _new_boundaries(workflow, top):
            _graft_split(task, join)
        for sp_id, sub_diff in subs.items():
            sub = workflow.subprocesses[sp_id]
            if sub_diff is not None:
                migrate_workflow(sub_diff, sub, new_subs[sub.spec.name], reset_mask=TaskState.WAITING)
                _repredict_ready(sub)
                for task, join in _new_boundaries(sub, sub_diff):
                    _graft_split(task, join)
        workflow.subprocess_specs = dict(new_subs)
        _advance(workflow)
        result = _result(workflow)
        _require_loadable(new_spec_json, result.state_json)
        return result

    return _guarded(run)
