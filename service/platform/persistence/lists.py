"""A list parameter in a statement built once, in the form each database runs best."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, TypeDecorator, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY


class JsonList(TypeDecorator[Any]):
    """A list bound as one JSON text (SQLite reads it back as rows with `json_each`)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(list(value))


def one_of(column: Any, name: str, dialect: str) -> Any:
    """`column` is one of the list parameter `name`, in one SQL text whatever the list's length: an
    expanding IN is re-rendered at every execution, and so can be neither prepared by psycopg nor run on
    the driver's cursor (`direct.py`). `= ANY(array)` on PostgreSQL; on SQLite, `IN` the rows of
    `json_each` over the list as JSON (its values are JSON's numbers and strings, as the column's)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    values = func.json_each(bindparam(name, type_=JsonList())).table_valued("value")
    return column.in_(select(values.c.value))


def not_for_index(column: Any, dialect: str) -> Any:
    """`column` as a term SQLite's planner does not pick an index for (a unary "+"), elsewhere itself.

    Beside `one_of`'s subquery SQLite (no statistics) prefers an equality on an indexed column, such as
    the school, to the list, and reads every row of the school; the list's own index is the one to use."""
    if dialect != "sqlite":
        return column
    return literal_column(f"+{column.table.name}.{column.name}", column.type)
