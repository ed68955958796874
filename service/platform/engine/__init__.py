"""The only package that imports SpiffWorkflow: parse and check diagrams, run and serialize instances."""

from service.platform.engine.compiler import CompiledDefinition, compile_definition
from service.platform.engine.limits import DEFAULT_SCRIPT_TIME_LIMIT
from service.platform.engine.runner import (
    EngineTask,
    OperatorCall,
    Operators,
    RunResult,
    TaskNotReady,
    complete_task,
    instance_data,
    start_instance,
    wake_timers,
)
from service.platform.engine.xmlsafe import as_utf8, form_uses, process_references, step_ids

__all__ = [
    "DEFAULT_SCRIPT_TIME_LIMIT",
    "CompiledDefinition",
    "EngineTask",
    "OperatorCall",
    "Operators",
    "RunResult",
    "TaskNotReady",
    "as_utf8",
    "compile_definition",
    "complete_task",
    "form_uses",
    "instance_data",
    "process_references",
    "start_instance",
    "step_ids",
    "wake_timers",
]
