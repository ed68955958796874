"""The restricted script environment refuses escapes, stops runaway code and still runs ordinary scripts."""

from __future__ import annotations

import sys
import threading
from types import FrameType

import pytest

from service.platform.engine.limits import ScriptTimedOut, ScriptTooLarge
from service.platform.engine.sandbox import (
    RestrictedEnvironment,
    ScriptRefused,
    compile_expression,
    compile_script,
)


@pytest.mark.parametrize(
    "source",
    [
        "import os",
        "from os import path",
        "x = __import__('os')",
        "x = ().__class__.__base__.__subclasses__()",
        "x = open('/etc/passwd').read()",
        "x = [].__class__",
        "exec('1')",
        "eval('1')",
    ],
)
def test_dangerous_scripts_are_refused(source: str) -> None:
    env = RestrictedEnvironment()
    with pytest.raises((ScriptRefused, NameError, AttributeError, ImportError, TypeError)):
        env.execute(source, {})


def test_getattr_on_dunder_is_refused_at_run_time() -> None:
    env = RestrictedEnvironment()
    with pytest.raises((ScriptRefused, AttributeError, NameError)):
        env.execute("x = getattr(data, '__class__')", {"data": {}})


def test_ordinary_scripts_run() -> None:
    env = RestrictedEnvironment()
    data: dict[str, object] = {"votes": {"a": "approve", "b": "reject", "c": "approve"}, "title": "T"}
    env.execute(
        "counts = {}\n"
        "for who, v in votes.items():\n"
        "    counts[v] = counts.get(v, 0) + 1\n"
        "winner = sorted(counts.items(), key=lambda kv: -kv[1])[0][0]\n"
        "label = f'{title}: {winner}'\n"
        "total = sum(counts.values())\n"
        "total += 1\n",
        data,
    )
    assert data["winner"] == "approve"
    assert data["label"] == "T: approve"
    assert data["total"] == 4
    assert "_getattr_" not in data and "__builtins__" not in data


def test_expressions_evaluate_on_task_data() -> None:
    env = RestrictedEnvironment()
    assert env.evaluate('decision == "return"', {"decision": "return"}) is True
    assert env.evaluate('settings["x"]', {"settings": {"x": "P1D"}}) == "P1D"


def test_compile_errors_carry_a_line() -> None:
    with pytest.raises(ScriptRefused) as info:
        compile_script("a = 1\nb = (\n")
    assert info.value.line is not None
    with pytest.raises(ScriptRefused):
        compile_expression("x.__class__")
    with pytest.raises(ScriptRefused):
        compile_script("   ")


# --- time limit and size caps -------------------------------------------------------------------------

LIMIT = 0.2  # seconds; outcomes are asserted, never durations


@pytest.mark.timeout(60)  # without the limit these would hang
@pytest.mark.parametrize(
    "source",
    [
        "while True:\n    pass",
        "x = 0\nfor i in range(999):\n    for j in range(999):\n"
        "        for k in range(999):\n            x += k",
        "x = [1 for i in range(999) for j in range(999) for k in range(999)]",
        "def f(n):\n    return f(n - 1) + f(n - 1) if n else 1\nx = f(100)",
        "x = sorted(range(999), key=lambda i: sum([1 for j in range(999) for k in range(999)]))",
    ],
)
def test_runaway_scripts_are_stopped(source: str) -> None:
    env = RestrictedEnvironment(time_limit=LIMIT)
    data: dict[str, object] = {}
    with pytest.raises(ScriptTimedOut) as info:
        env.execute(source, data)
    assert info.value.limit == LIMIT
    assert "0.2 s" in str(info.value)
    assert "_getattr_" not in data and "__builtins__" not in data  # cleaned up as after any error


@pytest.mark.timeout(60)
def test_runaway_expressions_are_stopped() -> None:
    env = RestrictedEnvironment(time_limit=LIMIT)
    with pytest.raises(ScriptTimedOut):
        env.evaluate("len([1 for i in range(999) for j in range(999) for k in range(999)]) > n", {"n": 1})


@pytest.mark.parametrize(
    "source",
    [
        "x = 'a' * 10**10",
        "x = 10**10 * [0]",
        "x = 'ab'\nx *= 10**9",
        "x = 10 ** 10 ** 8",
        "x = pow(10, 10**8)",
        "x = 1 << 10**10",
        "x = 7 ** 100_000\nwhile True:\n    x = x * x",
        "s = 'ab'\nwhile True:\n    s = s + s",
        "s = [0]\nwhile True:\n    s += s",
    ],
)
def test_operations_that_run_in_c_are_capped_by_size(source: str) -> None:
    # A C-level operation gives the trace function no chance to stop it, so it is refused up front.
    env = RestrictedEnvironment(time_limit=None)
    with pytest.raises(ScriptTooLarge):
        env.execute(source, {})


def test_range_is_capped() -> None:
    env = RestrictedEnvironment()
    with pytest.raises(ValueError, match="range"):
        env.execute("x = sum(range(10**12))", {})


def test_try_is_refused_because_it_could_catch_the_stop() -> None:
    with pytest.raises(ScriptRefused) as info:
        compile_script("x = 1\ntry:\n    x = 2\nexcept Exception:\n    x = 3")
    assert info.value.line == 2
    with pytest.raises(ScriptRefused):
        compile_script("try:\n    x = 1\nfinally:\n    x = 2")


def test_ordinary_code_under_the_limit_runs_as_before() -> None:
    env = RestrictedEnvironment(time_limit=LIMIT)
    data: dict[str, object] = {"items": [{"due": "2026-01-02"}, {"due": "2026-01-01"}], "n": 3}
    env.execute(
        "first = min([item['due'] for item in items])\n"
        "total = 0\n"
        "for i in range(999):\n"
        "    total += i\n"
        "product = n * 4 + 2 ** 10 + (1 << 3) + pow(3, 4, 5)\n"
        "label = 'ab' * 3 + '!'\n"
        "cells = [0] * 5 + [1]\n"
        "big = 10 ** 100\n",
        data,
    )
    assert data["first"] == "2026-01-01"
    assert data["total"] == sum(range(999))
    assert data["product"] == 12 + 1024 + 8 + 1
    assert data["label"] == "ababab!" and data["cells"] == [0, 0, 0, 0, 0, 1]
    assert data["big"] == 10**100
    assert env.evaluate("[i * 2 for i in range(3)]", {}) == [0, 2, 4]


def test_the_previous_trace_function_is_restored() -> None:
    seen: list[str] = []

    def recorder(frame: FrameType, event: str, arg: object) -> None:
        seen.append(frame.f_code.co_filename)  # call events only: no local tracing

    env = RestrictedEnvironment(time_limit=LIMIT)
    original = sys.gettrace()
    sys.settrace(recorder)
    try:
        env.execute("x = 1", {})  # straight-line code runs once: no time limit, the recorder stays
        assert sys.gettrace() is recorder and "<script>" in seen
        seen.clear()
        env.execute("x = [i for i in range(9)]", {})  # code that repeats runs under the limit instead
        assert sys.gettrace() is recorder and "<script>" not in seen
        with pytest.raises(ScriptTimedOut):
            env.execute("while True:\n    pass", {})
        assert sys.gettrace() is recorder
        with pytest.raises(ScriptTimedOut):
            env.evaluate("[1 for i in range(999) for j in range(999) for k in range(999)]", {})
        assert sys.gettrace() is recorder
    finally:
        sys.settrace(original)


@pytest.mark.timeout(60)
def test_each_thread_keeps_its_own_limit() -> None:
    # Web server threads run scripts side by side: one runaway script is stopped, the other finishes.
    env = RestrictedEnvironment(time_limit=LIMIT)
    outcomes: dict[str, object] = {}

    def run(name: str, source: str) -> None:
        data: dict[str, object] = {}
        try:
            env.execute(source, data)
            outcomes[name] = data["x"]
        except ScriptTimedOut as err:
            outcomes[name] = err

    threads = [
        threading.Thread(target=run, args=("runaway", "x = 0\nwhile True:\n    x += 1")),
        threading.Thread(target=run, args=("ordinary", "x = 0\nfor i in range(999):\n    x += i")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(outcomes["runaway"], ScriptTimedOut)
    assert outcomes["ordinary"] == sum(range(999))
