"""Fills a form's suggestion lists (x-suggestions-from) from the database when a task is shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session


def with_suggestions(
    session: Session, schema: Mapping[str, Any], sources: Mapping[str, Callable[[Session], list[str]]]
) -> dict[str, Any]:
    """A copy of the schema whose fields naming a source carry `x-suggestions`; others are shared.

    The sources are the features' (`Feature.suggestion_sources`), by the name a form gives.
    """
    props = schema.get("properties")
    if not isinstance(props, Mapping) or not any(
        isinstance(p, Mapping) and p.get("x-suggestions-from") in sources for p in props.values()
    ):
        return dict(schema)
    filled: dict[str, Any] = {}
    for name, prop in props.items():
        source = prop.get("x-suggestions-from") if isinstance(prop, Mapping) else None
        fill = sources.get(source) if isinstance(source, str) else None
        filled[name] = {**prop, "x-suggestions": fill(session)} if fill else prop
    return {**schema, "properties": filled}
