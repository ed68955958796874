"""The restricted script environment refuses escapes and still runs ordinary scripts."""

from __future__ import annotations

import pytest

from service.engine.sandbox import RestrictedEnvironment, ScriptRefused, compile_expression, compile_script


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
