"""Typed values from an HTML form post: numbers parsed, checkboxes as booleans, rows gathered."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any

from service.platform.forms.schema import field_kind, properties_of, required_fields, row_fields

# ASCII digits only: Python's \d also matches other scripts' digits, which int() would accept.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# Values a hidden fallback input may post for an unticked checkbox.
_FALSE_WORDS = frozenset({"false", "0", "off", "no"})


class _Absent:
    """Marks a field that the post leaves out of the data."""


_ABSENT = _Absent()


def coerce_submission(
    schema: Mapping[str, Any],
    raw: Mapping[str, list[str]],
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Typed values from a form post (name -> list of strings); what does not parse stays as typed.

    readOnly fields never come from the post: they are copied from `current` (the task's data) if given.
    """
    required = set(required_fields(schema))
    data: dict[str, Any] = {}
    for name, prop in properties_of(schema).items():
        if prop.get("readOnly"):
            if current is not None and name in current:
                data[name] = copy.deepcopy(current[name])
            continue
        if field_kind(prop) == "rows":
            data[name] = posted_rows(prop, raw, name)
            continue
        posted = raw.get(name, [])
        strings = [posted] if isinstance(posted, str) else [s for s in posted if isinstance(s, str)]
        value = _coerce_field(prop, strings, name in required)
        if not isinstance(value, _Absent):
            data[name] = value
    return data


def posted_rows(prop: Mapping[str, Any], raw: Mapping[str, Any], name: str) -> list[dict[str, str]]:
    """The rows of a "rows" field from inputs named "<name>.<row>.<field>", in row order; a row left
    entirely blank (the spare rows a page offers without scripts) is dropped."""
    fields = row_fields(prop)
    found: dict[int, dict[str, str]] = {}
    for key, posted in raw.items():
        head, _, rest = str(key).partition(".")
        index, _, field = rest.partition(".")
        if head != name or field not in fields or not index.isdigit() or len(index) > 4:
            continue
        strings = [posted] if isinstance(posted, str) else [s for s in posted if isinstance(s, str)]
        found.setdefault(int(index), {})[field] = unix_newlines(strings[0]).strip() if strings else ""
    rows = [found[i] for i in sorted(found)]
    return [{f: row.get(f, "") for f in fields} for row in rows if any(row.values())]


def _coerce_field(prop: Mapping[str, Any], strings: list[str], required: bool) -> Any:
    kind = prop.get("type")
    if kind == "boolean":
        # An unticked checkbox is not posted at all, so absence is an answer: False.
        return any(s.strip().lower() not in _FALSE_WORDS for s in strings)
    if kind == "array":
        # Each string may be a textarea (one item per line) or one of several same-named inputs.
        return [line.strip() for s in strings for line in s.splitlines() if line.strip()]
    if not strings:
        return _ABSENT
    text = unix_newlines(strings[0])
    if not text.strip():
        # A required field keeps its empty string so that validation reports it as missing.
        return "" if required else _ABSENT
    if kind in ("integer", "number"):
        number = _parse_number(text, integer=kind == "integer")
        return text if number is None else number
    return text


def unix_newlines(text: str) -> str:
    """Line breaks as LF: browsers post a textarea's as CRLF; stored text should not depend on the browser."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_number(text: str, *, integer: bool) -> int | float | None:
    cleaned = text.strip()
    if integer:
        return int(cleaned) if _INTEGER.fullmatch(cleaned) else None
    if "," in cleaned and "." not in cleaned:
        # Kazakh and Russian write the decimal separator as a comma.
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        return None
    if not any(c in cleaned for c in ".eE"):
        return int(cleaned)
    number = float(cleaned)
    return number if math.isfinite(number) else None
