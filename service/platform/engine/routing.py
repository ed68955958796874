"""Where a task's work is sent: the roles and persons the engine gives it to, read once for deploy and run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask

from service.platform.engine.properties import task_properties
from service.platform.roles import parse_lane


@dataclass(frozen=True)
class TaskRoute:
    """A user or manual task of a diagram and where its work goes (`runner.EngineTask.roles`)."""

    bpmn_id: str
    name: str
    roles: tuple[str, ...]
    # Given to a named person: Camunda's assignee (`assignUser`), `assignTo` a data variable, or each
    # child of a multi-instance over a collection (its keys are the people, `runner._assignee`).
    to_person: bool = False


def waits_for_campaign(spec: Any) -> bool:
    """Property `waitsForCampaign`: a step no person completes; a campaign completes it when it ends."""
    return str(task_properties(spec).get("waitsForCampaign", "")).lower() in ("true", "1", "yes")


def roles_of(spec: Any) -> tuple[str, ...]:
    """The role codes a task is sent to: its lane as the compiler stored it (codes, comma-separated)."""
    return tuple(parse_lane(getattr(spec, "lane", None)))


def _given_to_each(spec: Any) -> bool:
    """A child of a multi-instance over a collection: each instance goes to the person its key names."""
    return any(isinstance(p, MultiInstanceTask) and p.data_input is not None for p in spec.inputs)


def task_routes(task_specs: Iterable[Any], own_ids: set[str]) -> tuple[TaskRoute, ...]:
    """The routes of the tasks a person does, among those defined in this file (`own_ids`: a called
    process from another file was routed when that file was deployed). A step waiting for a campaign
    goes to nobody's inbox, so it has no roles, as at run time (`inbox/projection._insert`)."""
    routes: dict[str, TaskRoute] = {}
    for spec in task_specs:
        if not getattr(spec, "manual", False) or isinstance(spec, SubWorkflowTask):
            continue
        bpmn_id = str(getattr(spec, "bpmn_id", None) or spec.name)
        if bpmn_id not in own_ids or bpmn_id in routes:
            continue
        props = task_properties(spec)
        routes[bpmn_id] = TaskRoute(
            bpmn_id=bpmn_id,
            name=str(getattr(spec, "bpmn_name", None) or bpmn_id),
            roles=() if waits_for_campaign(spec) else roles_of(spec),
            to_person=bool(props.get("assignUser") or props.get("assignTo")) or _given_to_each(spec),
        )
    return tuple(routes.values())
