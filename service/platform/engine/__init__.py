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
from service.platform.engine.xmlsafe import process_references

__all__ = [
    "DEFAULT_SCRIPT_TIME_LIMIT",
    "CompiledDefinition",
    "EngineTask",
    "OperatorCall",
    "Operators",
    "RunResult",
    "TaskNotReady",
    "compile_definition",
    "complete_task",
    "instance_data",
    "process_references",
    "start_instance",
    "wake_timers",
]
