"""Which diagram steps of an instance are done and which are current, for the read-only diagram."""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from service.platform.engine.serialization import load_state


def step_states(spec_json: str, state_json: str) -> tuple[list[str], list[str]]:
    """(completed element ids, current element ids) of the instance's top-level and called processes."""
    if not state_json or state_json == "{}":
        return [], []
    workflow = load_state(spec_json, state_json)
    completed: set[str] = set()
    current: set[str] = set()
    for task in workflow.get_tasks():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue  # the engine's own start/end bookkeeping tasks
        if task.state == TaskState.COMPLETED:
            completed.add(bpmn_id)
        elif task.state in (TaskState.READY, TaskState.WAITING, TaskState.STARTED):
            current.add(bpmn_id)
    return sorted(completed - current), sorted(current)
