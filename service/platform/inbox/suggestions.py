"""Fills a form's suggestion lists (x-suggestions-from) from the database when a task is shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.forms.schema import field_kind, row_fields
from service.platform.persistence.models import User


def with_suggestions(
    session: Session, schema: Mapping[str, Any], sources: Mapping[str, Callable[[Session], list[str]]]
) -> dict[str, Any]:
    """A copy of the schema whose fields naming a source carry `x-suggestions`; others are shared.

    The sources are the features' (`Feature.suggestion_sources`), by the name a form gives.
    """
    props = schema.get("properties")
    if not isinstance(props, Mapping) or not any(
        isinstance(p, Mapping) and (p.get("x-suggestions-from") in sources or _has_options(p))
        for p in props.values()
    ):
        return dict(schema)
    filled: dict[str, Any] = {}
    for name, prop in props.items():
        source = prop.get("x-suggestions-from") if isinstance(prop, Mapping) else None
        fill = sources.get(source) if isinstance(source, str) else None
        filled[name] = {**prop, "x-suggestions": fill(session)} if fill else prop
        if isinstance(prop, Mapping) and _has_options(prop):
            filled[name] = _with_row_options(session, filled[name])
    return {**schema, "properties": filled}


def _has_options(prop: Mapping[str, Any]) -> bool:
    return field_kind(prop) == "rows" and any("x-options-from" in f for f in row_fields(prop).values())


def _with_row_options(session: Session, prop: Mapping[str, Any]) -> dict[str, Any]:
    """A rows field whose row fields take `x-options-from: users` gets `x-options` (value, label) pairs:
    the active people by full name (the page shows names, the data keeps the username)."""
    people = [
        (row.username, row.full_name or row.username)
        for row in session.execute(
            select(User.username, User.full_name).where(User.is_active.is_(True)).order_by(User.full_name)
        )
    ]
    items = dict(prop["items"])
    items["properties"] = {
        name: {**sub, "x-options": people} if sub.get("x-options-from") == "users" else sub
        for name, sub in row_fields(prop).items()
    }
    return {**prop, "items": items}
