"""Deploy-time checks of a form definition: valid JSON Schema, every title in kk/ru/en, known widgets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from service.domain.forms import (
    CHOICE_WIDGETS,
    LANGS,
    RESERVED_KEY,
    SUPPORTED_FORMATS,
    SUPPORTED_TYPES,
    WIDGETS_BY_TYPE,
    enum_values,
    reserved_paths,
)

# --- checking a definition at deploy time ---------------------------------------------------------


def check_form_definition(schema: Mapping[str, Any]) -> list[str]:
    """Problems of a form definition in plain English, each naming its field; empty when deployable."""
    if not isinstance(schema, Mapping):
        return ["the form must be a JSON object"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "top level"
        return [f"not a valid JSON Schema (draft 2020-12) at {where}: {exc.message}"]
    problems: list[str] = []
    if schema.get("type") != "object":
        problems.append('the form must have "type": "object"')
    props = schema.get("properties")
    if not isinstance(props, Mapping) or not props:
        problems.append("the form has no properties")
        props = {}
    problems += _translation_problems(schema, "title", "the form")
    for name, prop in props.items():
        problems += _property_problems(name, prop)
    problems += _name_list_problems(schema, "required", props)
    problems += _name_list_problems(schema, "x-order", props)
    problems += _required_if_problems(schema, props)
    problems += [
        f"'{RESERVED_KEY}' is reserved by the workflow engine: found at {p}" for p in reserved_paths(schema)
    ]
    return problems


def _translation_problems(obj: Mapping[str, Any], key: str, what: str) -> list[str]:
    translations = obj.get(f"x-{key}")
    if not isinstance(translations, Mapping):
        return [f"{what} has no x-{key} with kk, ru and en"]
    missing = [lang for lang in LANGS if not _non_empty(translations.get(lang))]
    return [f"{what}: x-{key} lacks {', '.join(missing)}"] if missing else []


def _non_empty(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _property_problems(name: str, prop: Any) -> list[str]:
    what = f"field '{name}'"
    if not isinstance(prop, Mapping):
        return [f"{what} must be an object"]
    prop_type = prop.get("type")
    if prop_type not in SUPPORTED_TYPES:
        return [
            f"{what} has unsupported type {prop_type!r} (use one of {', '.join(sorted(SUPPORTED_TYPES))})"
        ]
    problems = _translation_problems(prop, "title", what)
    if "x-description" in prop:
        problems += _translation_problems(prop, "description", what)
    problems += _widget_problems(what, prop)
    problems += _suggestion_problems(what, prop)
    problems += _enum_problems(what, prop)
    problems += _format_problems(what, prop)
    if prop_type == "array":
        problems += _items_problems(what, prop)
    if prop.get("x-widget") == "file":
        problems += _file_problems(what, prop)
    if "default" in prop and not Draft202012Validator(prop).is_valid(prop["default"]):
        problems.append(f"{what}: the default {prop['default']!r} does not satisfy the field's own rules")
    return problems


def _widget_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    widget = prop.get("x-widget")
    if widget is None:
        return []
    allowed = WIDGETS_BY_TYPE[prop["type"]]
    if widget not in allowed:
        choices = ", ".join(sorted(allowed))
        return [f"{what}: widget {widget!r} does not suit type {prop['type']!r} (use {choices})"]
    has_enum = bool(enum_values(prop))
    if widget in CHOICE_WIDGETS and not has_enum:
        return [f"{what}: widget {widget!r} needs an enum"]
    if widget in ("textarea", "file") and has_enum:
        return [f"{what}: widget {widget!r} cannot offer an enum"]
    if prop["type"] == "array" and widget == "checkbox" and not has_enum:
        return [f"{what}: a checkbox group needs items with an enum"]
    return []


# Named lists a text field may offer as suggestions while still taking free text (filled per request).
SUGGESTION_SOURCES = ("permitted_tools",)


def _suggestion_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    source = prop.get("x-suggestions-from")
    if source is None:
        return []
    if source not in SUGGESTION_SOURCES:
        return [f"{what}: x-suggestions-from {source!r} is unknown (use {', '.join(SUGGESTION_SOURCES)})"]
    if prop["type"] != "string" or "enum" in prop or "x-widget" in prop or "format" in prop:
        return [f"{what}: suggestions suit a plain text field only"]
    return []


def _enum_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    values = enum_values(prop)
    if not values:
        return []
    problems = []
    item_type = prop["items"].get("type") if prop["type"] == "array" else prop["type"]
    wrong = [v for v in values if not Draft202012Validator({"type": item_type}).is_valid(v)]
    if wrong:
        problems.append(f"{what}: enum values {wrong!r} are not of type {item_type!r}")
    titles = prop.get("x-enum-titles")
    if not isinstance(titles, Mapping):
        return [*problems, f"{what} has an enum but no x-enum-titles"]
    for value in values:
        problems += _translation_problems(
            {"x-title": titles.get(str(value))}, "title", f"{what}, value {value!r}"
        )
    extra = sorted(set(map(str, titles)) - {str(v) for v in values})
    if extra:
        problems.append(f"{what}: x-enum-titles names values not in the enum: {', '.join(extra)}")
    return problems


def _format_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    fmt = prop.get("format")
    if fmt is None:
        return []
    if fmt not in SUPPORTED_FORMATS or prop["type"] != "string":
        return [f'{what}: format {fmt!r} is not supported (only "date" on strings)']
    if "x-widget" in prop or "enum" in prop:
        return [f"{what}: a date field takes no widget and no enum"]
    return []


def _items_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    items = prop.get("items")
    if not isinstance(items, Mapping) or items.get("type") != "string":
        return [f'{what}: an array must have items of {{"type": "string"}}']
    if "x-widget" in items or "format" in items:
        return [f"{what}: array items take no widget or format"]
    return []


def _file_problems(what: str, prop: Mapping[str, Any]) -> list[str]:
    problems = []
    limit = prop.get("x-max-bytes")
    if limit is not None and not (isinstance(limit, int) and not isinstance(limit, bool) and limit > 0):
        problems.append(f"{what}: x-max-bytes must be a positive integer")
    accept = prop.get("x-accept")
    if accept is not None and not (isinstance(accept, list) and all(_non_empty(a) for a in accept)):
        problems.append(f"{what}: x-accept must be a list of media types")
    return problems


def _name_list_problems(schema: Mapping[str, Any], key: str, props: Mapping[str, Any]) -> list[str]:
    names = schema.get(key)
    if names is None:
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [f"{key} must be a list of field names"]
    problems = [f"{key} names unknown field '{n}'" for n in names if n not in props]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    problems += [f"{key} names field '{n}' more than once" for n in duplicates]
    return problems


def _required_if_problems(schema: Mapping[str, Any], props: Mapping[str, Any]) -> list[str]:
    rules = schema.get("x-required-if")
    if rules is None:
        return []
    if not isinstance(rules, Mapping):
        return ["x-required-if must map field names to conditions"]
    problems = []
    for name, conditions in rules.items():
        if name not in props:
            problems.append(f"x-required-if names unknown field '{name}'")
        if not isinstance(conditions, Mapping) or not conditions:
            problems.append(f"x-required-if for '{name}' must map other fields to lists of values")
            continue
        for other, values in conditions.items():
            if other not in props:
                problems.append(f"x-required-if for '{name}' depends on unknown field '{other}'")
            if not isinstance(values, list) or not values:
                problems.append(
                    f"x-required-if for '{name}': the values of '{other}' must be a non-empty list"
                )
    return problems
