"""Numbers read from URLs and query strings, bounded at the edge so no database sees one it cannot hold.

Ids are PostgreSQL `integer`s (and SQLite raises OverflowError past 64 bits): a route id above MAX_ID
cannot exist, so the `int` converter refuses it and the answer is a plain 404; a page or offset past
the largest we serve is clamped or refused before any query.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL integer
MAX_PAGE = 100_000  # pages of 50 rows: 5,000,000 rows, beyond any school's or region's journal


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that matches only ids a row can have (1 … MAX_ID); anything else finds no route."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """A 1-based page number from the query string; absent or malformed is 1, too large is MAX_PAGE."""
    raw = str(args.get(name, "") or "")
    if not raw.isdigit():
        return 1
    return max(1, min(int(raw[:9]), MAX_PAGE))


def bounded_int(raw: object, high: int = MAX_ID) -> int | None:
    """A non-negative integer written in decimal digits and at most `high`, else None."""
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if value <= high else None
