"""One way to run the engine on an instance: definition → operators → engine → save → audit.

Every use case that moves an instance (start, complete, a timer, an admin's retry) has locked the
instance row first and calls `run_engine` in the same transaction, so an error anywhere rolls the
whole step back and the last saved state stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from service.platform import engine
from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.inbox.projection import CreatedTask, save_run
from service.platform.persistence.models import ProcessInstance
from service.platform.processes.definitions import definition_parts
from service.platform.processes.operators import build_operators
from service.platform.runtime import Runtime


@dataclass(frozen=True)
class EngineStep:
    """What the engine is asked to do: start the instance, complete one of its tasks, or run what is due."""

    kind: Literal["start", "complete", "wake"]
    data: Mapping[str, Any] = field(default_factory=dict)
    engine_task_id: str | None = None  # the task to complete


@dataclass(frozen=True)
class AuditNote:
    """The audit event that records the step: who, what, and its detail."""

    actor: str
    action: str
    detail: Mapping[str, Any] | None = None
    task_id: int | None = None


def run_engine(
    rt: Runtime,
    session: Session,
    instance: ProcessInstance,
    step: EngineStep,
    note: AuditNote,
    *,
    instance_values: Mapping[str, Any] | None = None,
) -> list[CreatedTask]:
    """Run `step` on the locked `instance`, save its state and inbox rows, and audit it; returns the
    inbox rows the run created (a start's reply is built from them, without reading them again).

    `instance_values`: other columns of the instance row the step changes (a new title), written in the
    same UPDATE as the state."""
    definition = definition_parts(rt, session, instance.definition_id)
    operators = build_operators(rt, session, instance.id)
    limits: dict[str, Any] = {
        "script_time_limit": rt.script_time_limit,
        "script_builtins": rt.features.script_builtins,
        # Read at every run that needs them (lazily): a timer set now uses the value the admin set, not
        # the one loaded at start.
        "school_settings": school_settings.CurrentSettings(rt, session),
    }
    if step.kind == "start":
        result = engine.start_instance(definition.spec_json, step.data, operators, **limits)
    elif step.kind == "complete":
        assert step.engine_task_id is not None
        result = engine.complete_task(
            definition.spec_json, instance.state_json, step.engine_task_id, step.data, operators, **limits
        )
    else:
        result = engine.wake_timers(definition.spec_json, instance.state_json, operators, **limits)
    created = save_run(
        rt,
        session,
        instance,
        result,
        definition.forms,
        completed_engine_id=step.engine_task_id,
        instance_values=instance_values,
    )
    audit.append(
        session,
        note.actor,
        note.action,
        instance_id=instance.id,
        task_id=note.task_id,
        detail=dict(note.detail) if note.detail is not None else None,
    )
    return created
