"""Deploy-time checks of a form definition: valid JSON Schema, every title in kk/ru/en, known widgets."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from service.platform.forms.schema import (
    CHOICE_WIDGETS,
    LANGS,
    OPTION_SOURCES,
    RESERVED_KEY,
    ROWS_WIDGET,
    SUPPORTED_FORMATS,
    SUPPORTED_TYPES,
    WIDGETS_BY_TYPE,
    enum_values,
    reserved_paths,
)

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")

# --- checking a definition at deploy time ---------------------------------------------------------


@dataclass(frozen=True)
class FormProblem:
    """One reason a form definition is refused: the English message, a stable code and its parameters.

    The parameters `field` (and `option`, an enum value of it) name what the problem is about; the web layer
    says the problem in the reader's language from `code` and `params`.
    """

    message: str
    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Subject:
    """What a problem is about: its English words and the parameters naming it."""

    text: str
    params: dict[str, str]

    def problem(self, code: str, message: str, **params: Any) -> FormProblem:
        return FormProblem(message, code, {**self.params, **{k: str(v) for k, v in params.items()}})


_FORM = _Subject("the form", {})


def _field(name: str) -> _Subject:
    return _Subject(f"field '{name}'", {"field": name})


def form_definition_problems(
    schema: Mapping[str, Any], suggestion_sources: Collection[str] | None = None
) -> list[FormProblem]:
    """Problems of a form definition with codes and parameters; empty when deployable.

    `suggestion_sources` are the names `x-suggestions-from` may give (the features'); None skips
    that one check (a form read on its own, without an application).
    """
    if not isinstance(schema, Mapping):
        return [_FORM.problem("not_object", "the form must be a JSON object")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path)
        return [
            _FORM.problem(
                "not_json_schema",
                f"not a valid JSON Schema (draft 2020-12) at {where or 'top level'}: {exc.message}",
                where=where,
                reason=exc.message,
            )
        ]
    problems: list[FormProblem] = []
    if schema.get("type") != "object":
        problems.append(_FORM.problem("not_type_object", 'the form must have "type": "object"'))
    props = schema.get("properties")
    if not isinstance(props, Mapping) or not props:
        problems.append(_FORM.problem("no_properties", "the form has no properties"))
        props = {}
    problems += _translation_problems(schema, "title", _FORM)
    for name, prop in props.items():
        problems += _property_problems(name, prop, suggestion_sources)
    problems += _name_list_problems(schema, "required", props)
    problems += _name_list_problems(schema, "x-order", props)
    problems += _required_if_problems(schema, props)
    problems += _condition_problems(schema, props)
    problems += [
        _FORM.problem(
            "reserved",
            f"'{RESERVED_KEY}' is reserved by the workflow engine: found at {p}",
            key=RESERVED_KEY,
            path=p,
        )
        for p in reserved_paths(schema)
    ]
    return problems


def _translation_problems(obj: Mapping[str, Any], key: str, subject: _Subject) -> list[FormProblem]:
    translations = obj.get(f"x-{key}")
    if not isinstance(translations, Mapping):
        return [
            subject.problem(
                "no_translations", f"{subject.text} has no x-{key} with kk, ru and en", key=f"x-{key}"
            )
        ]
    missing = [lang for lang in LANGS if not _non_empty(translations.get(lang))]
    if not missing:
        return []
    langs = ", ".join(missing)
    return [
        subject.problem(
            "lacks_translations", f"{subject.text}: x-{key} lacks {langs}", key=f"x-{key}", langs=langs
        )
    ]


def _non_empty(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _property_problems(name: str, prop: Any, suggestion_sources: Collection[str] | None) -> list[FormProblem]:
    what = _field(name)
    if not FIELD_NAME.fullmatch(name):
        # Scripts and gateway conditions of the diagram read a field by its name.
        return [what.problem("bad_field_name", f"{what.text}: a name uses Latin letters, digits and _")]
    if not isinstance(prop, Mapping):
        return [what.problem("field_not_object", f"{what.text} must be an object")]
    prop_type = prop.get("type")
    if prop_type not in SUPPORTED_TYPES:
        choices = ", ".join(sorted(SUPPORTED_TYPES))
        return [
            what.problem(
                "unsupported_type",
                f"{what.text} has unsupported type {prop_type!r} (use one of {choices})",
                type=repr(prop_type),
                choices=choices,
            )
        ]
    problems = _translation_problems(prop, "title", what)
    if "x-description" in prop:
        problems += _translation_problems(prop, "description", what)
    problems += _widget_problems(what, prop)
    problems += _suggestion_problems(what, prop, suggestion_sources)
    problems += _enum_problems(what, prop)
    problems += _format_problems(what, prop)
    if prop_type == "array":
        problems += _items_problems(what, prop)
    if prop.get("x-widget") == "file":
        problems += _file_problems(what, prop)
    if "default" in prop and not Draft202012Validator(prop).is_valid(prop["default"]):
        problems.append(
            what.problem(
                "bad_default",
                f"{what.text}: the default {prop['default']!r} does not satisfy the field's own rules",
                value=repr(prop["default"]),
            )
        )
    return problems


def _widget_problems(what: _Subject, prop: Mapping[str, Any]) -> list[FormProblem]:
    widget = prop.get("x-widget")
    if widget is None:
        return []
    allowed = WIDGETS_BY_TYPE[prop["type"]]
    if widget not in allowed:
        choices = ", ".join(sorted(allowed))
        return [
            what.problem(
                "widget_mismatch",
                f"{what.text}: widget {widget!r} does not suit type {prop['type']!r} (use {choices})",
                widget=widget,
                type=prop["type"],
                choices=choices,
            )
        ]
    has_enum = bool(enum_values(prop))
    if widget in CHOICE_WIDGETS and not has_enum:
        return [
            what.problem("widget_needs_enum", f"{what.text}: widget {widget!r} needs an enum", widget=widget)
        ]
    if widget in ("textarea", "file") and has_enum:
        return [
            what.problem(
                "widget_no_enum", f"{what.text}: widget {widget!r} cannot offer an enum", widget=widget
            )
        ]
    if prop["type"] == "array" and widget == "checkbox" and not has_enum:
        return [
            what.problem("checkbox_needs_enum", f"{what.text}: a checkbox group needs items with an enum")
        ]
    return []


def _suggestion_problems(
    what: _Subject, prop: Mapping[str, Any], sources: Collection[str] | None
) -> list[FormProblem]:
    """A named list a text field offers as suggestions (filled per request) must exist."""
    source = prop.get("x-suggestions-from")
    if source is None:
        return []
    if sources is not None and source not in sources:
        choices = ", ".join(sorted(sources))
        return [
            what.problem(
                "unknown_suggestions",
                f"{what.text}: x-suggestions-from {source!r} is unknown (use {choices})",
                source=source,
                choices=choices,
            )
        ]
    if prop["type"] != "string" or "enum" in prop or "x-widget" in prop or "format" in prop:
        return [
            what.problem("suggestions_plain_text", f"{what.text}: suggestions suit a plain text field only")
        ]
    return []


def _enum_problems(what: _Subject, prop: Mapping[str, Any]) -> list[FormProblem]:
    values = enum_values(prop)
    if not values:
        return []
    problems = []
    item_type = prop["items"].get("type") if prop["type"] == "array" else prop["type"]
    wrong = [v for v in values if not Draft202012Validator({"type": item_type}).is_valid(v)]
    if wrong:
        problems.append(
            what.problem(
                "enum_wrong_type",
                f"{what.text}: enum values {wrong!r} are not of type {item_type!r}",
                values=", ".join(map(repr, wrong)),
                type=item_type,
            )
        )
    titles = prop.get("x-enum-titles")
    if not isinstance(titles, Mapping):
        return [*problems, what.problem("no_enum_titles", f"{what.text} has an enum but no x-enum-titles")]
    for value in values:
        option = _Subject(f"{what.text}, value {value!r}", {**what.params, "option": str(value)})
        problems += _translation_problems({"x-title": titles.get(str(value))}, "title", option)
    extra = sorted(set(map(str, titles)) - {str(v) for v in values})
    if extra:
        problems.append(
            what.problem(
                "enum_titles_extra",
                f"{what.text}: x-enum-titles names values not in the enum: {', '.join(extra)}",
                values=", ".join(extra),
            )
        )
    return problems


def _format_problems(what: _Subject, prop: Mapping[str, Any]) -> list[FormProblem]:
    fmt = prop.get("format")
    if fmt is None:
        return []
    if fmt not in SUPPORTED_FORMATS or prop["type"] != "string":
        return [
            what.problem(
                "unsupported_format",
                f'{what.text}: format {fmt!r} is not supported (only "date" on strings)',
                format=fmt,
            )
        ]
    if "x-widget" in prop or "enum" in prop:
        return [what.problem("date_no_widget", f"{what.text}: a date field takes no widget and no enum")]
    return []


def _items_problems(what: _Subject, prop: Mapping[str, Any]) -> list[FormProblem]:
    items = prop.get("items")
    if prop.get("x-widget") == ROWS_WIDGET:
        return _rows_problems(what, items)
    if not isinstance(items, Mapping) or items.get("type") != "string":
        return [what.problem("array_items", f'{what.text}: an array must have items of {{"type": "string"}}')]
    if "x-widget" in items or "format" in items:
        return [what.problem("array_items_plain", f"{what.text}: array items take no widget or format")]
    return []


def _rows_problems(what: _Subject, items: Any) -> list[FormProblem]:
    """A "rows" field: items are objects whose fields are titled strings (a date, a choice from a known
    source, or text), so that one line of inputs can show each row."""
    fields = items.get("properties") if isinstance(items, Mapping) else None
    if (
        not isinstance(items, Mapping)
        or items.get("type") != "object"
        or not isinstance(fields, Mapping)
        or not fields
    ):
        return [
            what.problem(
                "rows_items", f'{what.text}: rows need items of {{"type": "object"}} with properties'
            )
        ]
    problems: list[FormProblem] = []
    for name, sub in fields.items():
        part = _field(f"{what.params.get('field', '')}.{name}")
        if not isinstance(sub, Mapping) or sub.get("type") != "string":
            problems.append(
                part.problem("rows_field_type", f'{part.text}: a row\'s field must be {{"type": "string"}}')
            )
            continue
        problems += _translation_problems(sub, "title", part)
        source = sub.get("x-options-from")
        if source is not None and source not in OPTION_SOURCES:
            choices = ", ".join(sorted(OPTION_SOURCES))
            problems.append(
                part.problem(
                    "unknown_options_source",
                    f"{part.text}: x-options-from {source!r} is not a known source (use {choices})",
                    source=repr(source),
                    choices=choices,
                )
            )
        problems += _format_problems(part, sub)
    return problems


def _file_problems(what: _Subject, prop: Mapping[str, Any]) -> list[FormProblem]:
    problems = []
    limit = prop.get("x-max-bytes")
    if limit is not None and not (isinstance(limit, int) and not isinstance(limit, bool) and limit > 0):
        problems.append(what.problem("bad_max_bytes", f"{what.text}: x-max-bytes must be a positive integer"))
    accept = prop.get("x-accept")
    if accept is not None and not (isinstance(accept, list) and all(_non_empty(a) for a in accept)):
        problems.append(what.problem("bad_accept", f"{what.text}: x-accept must be a list of media types"))
    return problems


def _name_list_problems(schema: Mapping[str, Any], key: str, props: Mapping[str, Any]) -> list[FormProblem]:
    names = schema.get(key)
    if names is None:
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [_FORM.problem("not_name_list", f"{key} must be a list of field names", key=key)]
    problems = [
        _FORM.problem("unknown_field_in_list", f"{key} names unknown field '{n}'", key=key, name=n)
        for n in names
        if n not in props
    ]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    problems += [
        _FORM.problem("duplicate_in_list", f"{key} names field '{n}' more than once", key=key, name=n)
        for n in duplicates
    ]
    return problems


def _required_if_problems(schema: Mapping[str, Any], props: Mapping[str, Any]) -> list[FormProblem]:
    rules = schema.get("x-required-if")
    if rules is None:
        return []
    if not isinstance(rules, Mapping):
        return [_FORM.problem("required_if_not_map", "x-required-if must map field names to conditions")]
    problems = []
    for name, conditions in rules.items():
        if name not in props:
            problems.append(
                _FORM.problem(
                    "required_if_unknown_field", f"x-required-if names unknown field '{name}'", name=name
                )
            )
        if not isinstance(conditions, Mapping) or not conditions:
            problems.append(
                _FORM.problem(
                    "required_if_no_conditions",
                    f"x-required-if for '{name}' must map other fields to lists of values",
                    name=name,
                )
            )
            continue
        for other, values in conditions.items():
            if other not in props:
                problems.append(
                    _FORM.problem(
                        "required_if_unknown_other",
                        f"x-required-if for '{name}' depends on unknown field '{other}'",
                        name=name,
                        other=other,
                    )
                )
            if not isinstance(values, list) or not values:
                problems.append(
                    _FORM.problem(
                        "required_if_bad_values",
                        f"x-required-if for '{name}': the values of '{other}' must be a non-empty list",
                        name=name,
                        other=other,
                    )
                )
    return problems


def _condition_problems(schema: Mapping[str, Any], props: Mapping[str, Any]) -> list[FormProblem]:
    """Conditions (`if`/`then` at the top or in `allOf`, a field's `x-visible-if`) name fields of the form."""
    problems = []
    rules = [schema, *(r for r in schema.get("allOf") or [] if isinstance(r, Mapping))]
    for rule in rules:
        names: list[Any] = []
        for key in ("if", "then", "else"):
            part = rule.get(key)
            if isinstance(part, Mapping):
                names += list(part.get("properties") or {}) + list(part.get("required") or [])
        problems += [
            _FORM.problem("condition_unknown_field", f"a condition names unknown field '{n}'", name=n)
            for n in dict.fromkeys(names)
            if n not in props
        ]
    required = set(schema.get("required") or [])
    for name, prop in props.items():
        if not isinstance(prop, Mapping) or "x-visible-if" not in prop:
            continue
        what = _field(name)
        conditions = prop["x-visible-if"]
        if not (
            isinstance(conditions, Mapping)
            and conditions
            and all(
                other in props and other != name and isinstance(values, list) and values
                for other, values in conditions.items()
            )
        ):
            problems.append(
                what.problem(
                    "visible_if_bad",
                    f"{what.text}: x-visible-if must map other fields to non-empty lists of values",
                )
            )
        elif name in required:
            # A hidden field can never be filled in: it may be required only when it is shown (if/then).
            problems.append(
                what.problem(
                    "visible_if_required", f"{what.text} is shown only sometimes but always required"
                )
            )
    return problems
