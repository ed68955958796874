"""Restricted execution of BPMN scripts and expressions: no imports, no files, no dunder escapes,
a time limit and size caps (engine/limits.py)."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask

from service.platform.engine.growth import guarded_format_value, guarded_getattr, guarded_mod
from service.platform.engine.limits import (
    DEFAULT_SCRIPT_TIME_LIMIT,
    OPERATOR_GUARDS,
    LimitingTransformer,
    guarded_add,
    guarded_mul,
    guarded_pow,
    repeats,
    run_within,
)


class ScriptRefused(Exception):
    """A script or expression that the sandbox will not compile; carries a line number when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    # RestrictedPython rewrites `a += b` into this call; only plain arithmetic and concatenation.
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": guarded_add,
        "-=": lambda a, b: a - b,
        "*=": guarded_mul,
        "/=": lambda a, b: a / b,
        "//=": lambda a, b: a // b,
        "%=": lambda a, b: a % b,
        "|=": lambda a, b: a | b,
        "&=": lambda a, b: a & b,
    }
    if op not in ops:
        raise ScriptRefused(f"operator {op} is not allowed")
    return ops[op](x, y)


_SAFE_NAMES: dict[str, Any] = {
    "dict": dict,
    "list": list,
    "set": set,
    "sum": sum,
    "min": min,
    "max": max,
    "any": any,
    "all": all,
    "enumerate": enumerate,
    "sorted": sorted,
    "reversed": reversed,
    "map": map,
    "filter": filter,
    "round": round,
    "pow": guarded_pow,  # safe_builtins' pow would build any power in C, past the time limit's reach
}


def _builtins() -> dict[str, Any]:
    names: dict[str, Any] = dict(safe_builtins)
    names.update(limited_builtins)
    names.update(_SAFE_NAMES)
    return names


GUARDS: dict[str, Any] = {
    "__builtins__": _builtins(),
    "_getattr_": guarded_getattr,
    "_mod_": guarded_mod,
    "_format_value_": guarded_format_value,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    **OPERATOR_GUARDS,
}


def _first_line(errors: tuple[str, ...] | list[str]) -> int | None:
    for err in errors:
        # RestrictedPython reports "Line 3: ..." for its refusals.
        if err.startswith("Line "):
            head = err[5:].split(":", 1)[0]
            if head.isdigit():
                return int(head)
    return None


@dataclass(frozen=True)
class CompiledCode:
    """Restricted byte code, and whether it can repeat (only then is it run under the time limit)."""

    code: CodeType
    repeats: bool
    reads_settings: bool = False  # names `settings`: only then are the school's current values needed


def _refused_statement(tree: ast.AST) -> ScriptRefused | None:
    for node in ast.walk(tree):
        # RestrictedPython compiles imports and fails them only when run; refuse them at deploy instead.
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return ScriptRefused(f"Line {node.lineno}: import is not allowed in a script", node.lineno)
        # The time limit stops a script by raising inside it, once: a script that caught that error
        # would run on without a limit, so no script may catch errors.
        if isinstance(node, (ast.Try, ast.TryStar)):
            message = "try is not allowed in a script (it could catch the time limit's stop)"
            return ScriptRefused(f"Line {node.lineno}: {message}", node.lineno)
    return None


@lru_cache(maxsize=2048)
def compile_script(source: str) -> CompiledCode:
    """Compile a script task's body; cached because the same diagram runs the same scripts."""
    if not source.strip():
        raise ScriptRefused("the script is empty")
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ScriptRefused(f"syntax error: {err.msg}", err.lineno) from None
    refused = _refused_statement(tree)
    if refused is not None:
        raise refused
    loops = repeats(tree)
    result = compile_restricted_exec(tree, filename="<script>", policy=LimitingTransformer)
    if result.errors or result.code is None:
        raise ScriptRefused("; ".join(result.errors) or "refused", _first_line(result.errors))
    return CompiledCode(result.code, loops)


@lru_cache(maxsize=2048)
def compile_expression(source: str) -> CompiledCode:
    """Compile a condition, timer or other expression in the sandbox."""
    if not source.strip():
        raise ScriptRefused("the expression is empty")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise ScriptRefused(f"syntax error: {err.msg}", err.lineno) from None
    loops = repeats(tree)
    reads_settings = any(isinstance(node, ast.Name) and node.id == "settings" for node in ast.walk(tree))
    result = compile_restricted_eval(tree, filename="<expression>", policy=LimitingTransformer)
    if result.errors or result.code is None:
        raise ScriptRefused("; ".join(result.errors) or "refused", _first_line(result.errors))
    return CompiledCode(result.code, loops, reads_settings)


class RestrictedEnvironment(TaskDataEnvironment):
    """Task data as the namespace, RestrictedPython as the compiler, and a fixed set of globals.

    Code that can repeat runs under `time_limit` seconds (None: no limit); straight-line code runs
    each statement once, so it is not traced and costs nothing extra.
    """

    def __init__(
        self,
        time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
        builtins: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        globals_ = dict(GUARDS)
        if builtins:
            # Pure rule functions the features offer to diagrams (e.g. a council vote's early close).
            globals_["__builtins__"] = {**GUARDS["__builtins__"], **builtins}
        super().__init__(globals_)
        self.service_handler: Callable[[str, dict[str, Any], Mapping[str, Any]], Any] | None = None
        self.time_limit = time_limit
        # The school's settings now: an expression (a timer's duration, a condition) that reads
        # `settings[...]` sees today's value even if the instance loaded its settings long ago.
        self.current_settings: Mapping[str, Any] = {}

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None
    ) -> Any:
        compiled = compile_expression(expression)
        namespace = copy.copy(self.globals)
        namespace.update(external_context or {})
        namespace.update(context)
        # The current values are read (a query, when they are loaded lazily) only for an expression
        # that names them.
        if compiled.reads_settings and isinstance(namespace.get("settings"), dict) and self.current_settings:
            namespace["settings"] = {**namespace["settings"], **self.current_settings}
        if not compiled.repeats:
            return eval(compiled.code, namespace)  # noqa: S307 - compiled by RestrictedPython
        return run_within(self.time_limit, lambda: eval(compiled.code, namespace))  # noqa: S307

    def execute(
        self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None
    ) -> bool:
        self.check_for_overwrite(context, external_context or {})
        compiled = compile_script(script)
        context.update(copy.copy(self.globals))
        context.update(external_context or {})
        try:
            if compiled.repeats:
                run_within(self.time_limit, lambda: exec(compiled.code, context))  # noqa: S102
            else:
                exec(compiled.code, context)  # noqa: S102 - compiled by RestrictedPython
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
            for name in GUARDS:
                context.pop(name, None)
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        if self.service_handler is None:
            raise RuntimeError("no service-task operators are available here")
        params = {name: spec["value"] for name, spec in kwargs["operation_params"].items()}
        return self.service_handler(kwargs["operation_name"], params, context)


class SandboxedScriptEngine(PythonScriptEngine):
    """Spiff's script engine on the restricted environment, with two library fixes.

    1. A multi-instance completion condition is evaluated on the last child's data, where the
       collected output is stale; here the parent's collected output is put into that context.
    2. Spiff's own call_service error path references an undefined name; errors are wrapped here.
    """

    def __init__(
        self,
        time_limit: float | None = DEFAULT_SCRIPT_TIME_LIMIT,
        builtins: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        super().__init__(environment=RestrictedEnvironment(time_limit, builtins))

    @property
    def restricted(self) -> RestrictedEnvironment:
        env: RestrictedEnvironment = self.environment
        return env

    def evaluate(self, task: Any, expression: str, external_context: dict[str, Any] | None = None) -> Any:
        parent = getattr(task, "parent", None)
        spec = getattr(parent, "task_spec", None)
        if isinstance(spec, MultiInstanceTask) and spec.data_output is not None:
            context = dict(task.data)
            context[spec.data_output.bpmn_id] = spec.data_output.get(parent)
            from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

            try:
                return self.environment.evaluate(expression, context, external_context)
            except Exception as err:
                raise WorkflowTaskException(
                    f"Error evaluating expression '{expression}'", task=task, exception=err
                ) from err
        return super().evaluate(task, expression, external_context)

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

        try:
            return self.environment.call_service(task.data, **kwargs)
        except WorkflowTaskException:
            raise
        except Exception as err:
            raise WorkflowTaskException(
                f"{kwargs.get('operation_name')}: {err}", task=task, exception=err
            ) from err
