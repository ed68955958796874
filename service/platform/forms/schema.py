"""Forms as JSON Schema 2020-12 with x- extensions: reading a definition (fields, labels, kinds, files)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"

# SpiffWorkflow's serializer treats any dict carrying this key as one of its own objects.
RESERVED_KEY = "typename"

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_REF = re.compile(r"sha256:[0-9a-f]{64}")

SUPPORTED_TYPES: frozenset[str] = frozenset({"string", "integer", "number", "boolean", "array"})
WIDGETS_BY_TYPE: dict[str, frozenset[str]] = {
    "string": frozenset({"textarea", "radio", "select", "file"}),
    "integer": frozenset({"radio", "select"}),
    "number": frozenset({"radio", "select"}),
    "boolean": frozenset({"checkbox"}),
    "array": frozenset({"textarea", "checkbox", "rows"}),
}
# A "rows" field is a list of objects (e.g. follow-ups: person, due date, text); each row's fields are
# strings, shown as one line of inputs named "<field>.<row>.<name>" (forms/rows.py has the details).
ROWS_WIDGET = "rows"
# Where a row's field may take its choices from at request time (filled like x-suggestions).
OPTION_SOURCES: frozenset[str] = frozenset({"users"})
CHOICE_WIDGETS: frozenset[str] = frozenset({"radio", "select"})
SUPPORTED_FORMATS: frozenset[str] = frozenset({"date"})


def properties_of(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The form's fields that are objects (boolean sub-schemas carry nothing a form can show)."""
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return {}
    return {name: prop for name, prop in props.items() if isinstance(prop, Mapping)}


def required_fields(schema: Mapping[str, Any]) -> list[str]:
    names = schema.get("required")
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def default_values(schema: Mapping[str, Any]) -> dict[str, Any]:
    # Deep copies: a caller filling a form must not be able to change the definition's defaults.
    return {n: copy.deepcopy(p["default"]) for n, p in properties_of(schema).items() if "default" in p}


def localized(obj: Mapping[str, Any], key: str, lang: str) -> str:
    """`x-<key>`[lang], else `x-<key>`["kk"], else plain `<key>`, else ""."""
    translations = obj.get(f"x-{key}")
    if isinstance(translations, Mapping):
        for code in (lang, DEFAULT_LANG):
            text = translations.get(code)
            if isinstance(text, str) and text:
                return text
    plain = obj.get(key)
    return plain if isinstance(plain, str) else ""


def enum_values(prop: Mapping[str, Any]) -> list[Any]:
    """The allowed values of a choice field, or of each item of a checkbox group."""
    values = prop.get("enum")
    if values is None:
        items = prop.get("items")
        values = items.get("enum") if isinstance(items, Mapping) else None
    return list(values) if isinstance(values, list) else []


def enum_options(prop: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """(value, label) pairs; a value without a title is its own label."""
    titles = prop.get("x-enum-titles")
    titles = titles if isinstance(titles, Mapping) else {}
    options = []
    for value in enum_values(prop):
        title = titles.get(str(value))
        label = localized({"x-label": title}, "label", lang) if isinstance(title, Mapping) else ""
        options.append((str(value), label or str(value)))
    return options


def field_kind(prop: Mapping[str, Any]) -> str:
    """How a field is shown: text, textarea, select, radio, checkbox, checkboxes, list, date, number, file.

    templates/macros/forms.html makes the same choice; keep the two in step.
    """
    kind_type = prop.get("type")
    widget = prop.get("x-widget")
    if kind_type == "boolean":
        return "checkbox"
    if kind_type == "array":
        if widget == ROWS_WIDGET:
            return "rows"
        return "checkboxes" if enum_values(prop) else "list"
    if widget in ("file", "textarea"):
        return str(widget)
    if prop.get("enum"):
        return "radio" if widget == "radio" else "select"
    if prop.get("format") == "date":
        return "date"
    if kind_type in ("integer", "number"):
        return "number"
    return "text"


def signature_statements(schema: Mapping[str, Any]) -> dict[str, bool]:
    """The ticked `x-signature` statements: what re-entering one's password stands for (a signed vote)."""
    return {
        n: True
        for n, p in properties_of(schema).items()
        if p.get("x-signature") is True and p.get("type") == "boolean"
    }


def visible_if(prop: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`x-visible-if`: the field is shown only while each named field has one of the listed values."""
    rule = prop.get("x-visible-if")
    if not isinstance(rule, Mapping):
        return {}
    return {str(k): list(v) for k, v in rule.items() if isinstance(v, list) and v}


def file_fields(schema: Mapping[str, Any]) -> list[str]:
    """Fields that take an upload: the web layer stores these and puts their `sha256:` reference in."""
    return [n for n, p in properties_of(schema).items() if field_kind(p) == "file"]


def file_max_bytes(prop: Mapping[str, Any]) -> int:
    limit = prop.get("x-max-bytes")
    return limit if isinstance(limit, int) and limit > 0 else DEFAULT_MAX_FILE_BYTES


def file_accept(prop: Mapping[str, Any]) -> list[str]:
    accept = prop.get("x-accept")
    return [a for a in accept if isinstance(a, str)] if isinstance(accept, list) else []


def row_fields(prop: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The fields of one row of a "rows" field, in their order."""
    items = prop.get("items")
    fields = items.get("properties") if isinstance(items, Mapping) else None
    return {k: v for k, v in fields.items() if isinstance(v, Mapping)} if isinstance(fields, Mapping) else {}


def prefill_values(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """What a fresh form shows: the schema's defaults, then the process data for its fields.

    A field marked `"x-prefill": false` (a reviewer's decision and comment) never takes a value
    from the process data: an earlier reviewer's answer under the same name is not this person's.
    """
    values = default_values(schema)
    for name, prop in properties_of(schema).items():
        if prop.get("x-prefill", True) and data.get(name) is not None:
            values[name] = data[name]
    return values


def reserved_paths(value: Any, path: str = "") -> Iterator[str]:
    """Where RESERVED_KEY occurs as a key, at any depth."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}/{key}" if path else str(key)
            if key == RESERVED_KEY:
                yield here
            yield from reserved_paths(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from reserved_paths(item, f"{path}/{index}")
