"""A task spec's spiff properties as the compiler, the runner and the routing read them."""

from __future__ import annotations

from typing import Any


def form_key_of(task_spec: Any) -> str | None:
    """A user task names its form by the spiff property formJsonSchemaFilename ("x.json" → "x")."""
    props = task_spec.extensions.get("properties", {}) if hasattr(task_spec, "extensions") else {}
    value = props.get("formJsonSchemaFilename") or props.get("formKey")
    if not value:
        return None
    return str(value).removesuffix(".json")


def task_properties(task_spec: Any) -> dict[str, str]:
    """The task's spiff properties (`spiffworkflow:property`, Camunda's translated ones) as text."""
    props = task_spec.extensions.get("properties", {}) if hasattr(task_spec, "extensions") else {}
    return {str(k): str(v) for k, v in props.items()}
