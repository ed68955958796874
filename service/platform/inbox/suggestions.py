"""Fills a form's suggestion lists (x-suggestions-from) from the database when a task is shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from service.features.tools import usecases as tools

SOURCES: dict[str, Callable[[Session], list[str]]] = {
    "permitted_tools": lambda session: [str(t["name"]) for t in tools.permitted_tools(session)],
}


def with_suggestions(session: Session, schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the schema whose fields naming a source carry `x-suggestions`; others are shared."""
    props = schema.get("properties")
    if not isinstance(props, Mapping) or not any(
        isinstance(p, Mapping) and p.get("x-suggestions-from") in SOURCES for p in props.values()
    ):
        return dict(schema)
    filled: dict[str, Any] = {}
    for name, prop in props.items():
        source = prop.get("x-suggestions-from") if isinstance(prop, Mapping) else None
        filled[name] = {**prop, "x-suggestions": SOURCES[source](session)} if source in SOURCES else prop
    return {**schema, "properties": filled}
