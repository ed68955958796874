"""What sandboxed code may cost: a time budget kept by a trace function, size caps on C-level operators."""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

from RestrictedPython import RestrictingNodeTransformer
from RestrictedPython.transformer import copy_locations

DEFAULT_SCRIPT_TIME_LIMIT = 2.0
# Trace events between two clock reads: reading the clock on every event costs a tenth more, and a
# check every 50 events still stops a loop whose body runs one slow (size-capped) operation soon.
CHECK_EVERY = 50
# The largest str/bytes/list/tuple one `*` or `+` may build, and the largest integer (in bits) one
# `*`, `**` or `<<` may build: far beyond what a process's data needs, far below a hung worker.
MAX_SEQUENCE_LENGTH = 1_000_000
# 14,000 bits is ~4,200 decimal digits: under Python's 4,300-digit limit on int-to-text conversion
# (so any integer a script builds can be saved as process data), and small enough that dividing or
# multiplying two of them takes microseconds.
MAX_INT_BITS = 14_000
# A modular power costs about bits(exponent) x bits(modulus)^2; past this it holds the interpreter
# for seconds (`pow(3, 10**4000, 10**4000 + 7)` took 16 s), so it is refused.
MAX_MODULAR_POWER_COST = 10**9

# Syntax that can run a statement more than once; code without it needs no time budget.
REPEATING_NODES: tuple[type[ast.AST], ...] = (
    ast.While,
    ast.For,
    ast.AsyncFor,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
)

T = TypeVar("T")


class ScriptTimedOut(Exception):
    """A script or expression ran past its time limit and was stopped between two of its steps."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"stopped after running longer than {limit:g} s")
        self.limit = limit


class ScriptTooLarge(ValueError):
    """An operator would build a value past the sandbox's size caps (refused before it is built)."""


def repeats(tree: ast.AST) -> bool:
    """Whether code may run a statement more than once (loops, comprehensions, functions)."""
    return any(isinstance(node, REPEATING_NODES) for node in ast.walk(tree))


def _deadline_tracer(limit: float) -> Callable[[FrameType, str, Any], Any]:
    deadline = time.monotonic() + limit
    events = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal events
        events += 1
        if events >= CHECK_EVERY:
            events = 0
            if time.monotonic() > deadline:
                # CPython removes a trace function that raises, so this fires once; scripts may not
                # catch it because `try` is refused in scripts (sandbox.compile_script).
                raise ScriptTimedOut(limit)
        return trace  # also the frame's local tracer, for the line events of loops

    return trace


def run_within(limit: float | None, action: Callable[[], T]) -> T:
    """Run `action` with this thread traced until it returns or `limit` seconds pass.

    The previous trace function (a debugger, coverage) is put back afterwards. Other threads are not
    affected: `sys.settrace` is per thread, which is why a web server's threads can use it.
    """
    if limit is None:
        return action()
    previous = sys.gettrace()
    sys.settrace(_deadline_tracer(limit))
    try:
        return action()
    finally:
        sys.settrace(previous)


_SEQUENCES = (str, bytes, list, tuple)


def _too_large(what: str) -> ScriptTooLarge:
    return ScriptTooLarge(f"{what} would be too large for a script")


def _repeated_length(left: Any, right: Any) -> int:
    if isinstance(left, _SEQUENCES) and isinstance(right, int):
        return len(left) * right
    if isinstance(right, _SEQUENCES) and isinstance(left, int):
        return len(right) * left
    return 0


def guarded_mul(left: Any, right: Any) -> Any:
    """`a * b`, refused when it would repeat a sequence or grow an integer past the caps."""
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _too_large("the product")
    elif _repeated_length(left, right) > MAX_SEQUENCE_LENGTH:
        raise _too_large("the repeated sequence")
    return left * right


def guarded_add(left: Any, right: Any) -> Any:
    """`a + b`, refused when two sequences would join past the cap (a doubling loop grows fast)."""
    joined = isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES)
    if joined and len(left) + len(right) > MAX_SEQUENCE_LENGTH:
        raise _too_large("the joined sequence")
    return left + right


def guarded_pow(base: Any, exponent: Any, modulus: Any = None) -> Any:
    """`a ** b` and `pow()`: a modular power stays small, a plain one is capped by its size."""
    integral = modulus is None and isinstance(base, int) and isinstance(exponent, int)
    if integral and abs(base) > 1 and exponent > 0 and base.bit_length() * exponent > MAX_INT_BITS:
        raise _too_large("the power")
    if isinstance(modulus, int) and isinstance(exponent, int):
        cost = max(exponent.bit_length(), 1) * max(modulus.bit_length(), 1) ** 2
        if cost > MAX_MODULAR_POWER_COST:
            raise _too_large("the modular power")
    return pow(base, exponent, modulus)


def guarded_lshift(left: Any, right: Any) -> Any:
    """`a << b`, capped like a power of two."""
    integral = isinstance(left, int) and isinstance(right, int)
    if integral and left and right > 0 and left.bit_length() + right > MAX_INT_BITS:
        raise _too_large("the shifted number")
    return left << right


# The name each guarded operator is called by in compiled code (RestrictedPython's `_name_` style).
OPERATOR_GUARDS: dict[str, Callable[..., Any]] = {
    "_mul_": guarded_mul,
    "_add_": guarded_add,
    "_pow_": guarded_pow,
    "_lshift_": guarded_lshift,
}
_GUARD_OF: dict[type[ast.operator], str] = {
    ast.Mult: "_mul_",
    ast.Add: "_add_",
    ast.Pow: "_pow_",
    ast.LShift: "_lshift_",
    ast.Mod: "_mod_",  # printf-style formatting (growth.guarded_mod)
}


class LimitingTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: `*`, `+`, `**`, `<<` and `%` become calls of guards, and an
    f-string field's format spec is checked before it is applied.

    Those operations run in C, where no trace event can stop them, so their size is checked first.
    """

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        node = self.node_contents_visit(node)
        if node.format_spec is None:
            return node
        call = ast.Call(
            func=ast.Name("_format_value_", ast.Load()), args=[node.value, node.format_spec], keywords=[]
        )
        copy_locations(call, node)
        copy_locations(call.func, node)
        node.value = call
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        guard = _GUARD_OF.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(guard, ast.Load()), args=[node.left, node.right], keywords=[])
        copy_locations(call, node)
        copy_locations(call.func, node)
        return call
