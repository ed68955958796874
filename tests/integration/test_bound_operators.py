"""A run's operators are bound per family on first use, and every declared name reaches its operator."""

from __future__ import annotations

from typing import Any

from service.platform.engine import OperatorCall
from service.platform.processes import operators
from service.platform.processes.operators import CORE_OPERATOR_NAMES, build_operators
from service.platform.runtime import Runtime


def test_every_family_binds_exactly_the_names_it_declares(rt: Runtime) -> None:
    # Lazy binding finds a family by its declared names: a name built but not declared would vanish.
    with rt.db.session() as session:
        assert sorted(operators._core_operators(rt, session, 1)) == sorted(CORE_OPERATOR_NAMES)
        for family in rt.features.operator_families:
            assert sorted(family.build(rt, session, 1)) == sorted(family.names)


def test_a_run_binds_only_the_family_it_calls(rt: Runtime, monkeypatch: Any) -> None:
    bound: list[str] = []
    real_core = operators._core_operators

    def counting_core(*args: Any) -> Any:
        bound.append("core")
        return real_core(*args)

    monkeypatch.setattr(operators, "_core_operators", counting_core)
    with rt.db.session() as session:
        ops = build_operators(rt, session, 1)
        assert bound == []  # nothing bound before a call
        names = set(ops)
        assert set(CORE_OPERATOR_NAMES) <= names
        assert all(set(f.names) <= names for f in rt.features.operator_families)
        assert len(ops) == len(names)
        assert ops["set_outcome"](OperatorCall("set_outcome", {"outcome": "ok"}, {})) == "ok"
        assert ops["optional_value"](OperatorCall("optional_value", {"name": "x"}, {"x": 3})) == 3
        assert bound == ["core"]  # bound once for both calls
        assert ops.get("no_such_operator") is None
        assert "no_such_operator" not in ops
