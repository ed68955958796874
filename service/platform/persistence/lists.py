"""A list parameter in a statement built once, in the form each database runs best."""

from __future__ import annotations

from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(column: Any, name: str, dialect: str) -> Any:
    """`column` is one of the list parameter `name`: `= ANY(array)` on PostgreSQL, one SQL text whatever
    the list's length (so psycopg prepares it; an expanding IN is re-rendered at every execution)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
