"""Forms as JSON Schema 2020-12 with x- extensions: definition checks, coercion, validation, cleaning."""

from __future__ import annotations

import copy
import math
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from service.platform.errors import FieldError, ValidationFailed

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"

# SpiffWorkflow's serializer treats any dict carrying this key as one of its own objects.
RESERVED_KEY = "typename"
# Where errors that belong to no single field (e.g. a top-level anyOf) are reported.
FORM_ERROR_KEY = "_form"

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

# Error codes, most important first: a field shows only its most important problem.
ERROR_CODES: tuple[str, ...] = (
    "required",
    "unknown_field",
    "type",
    "enum",
    "date",
    "file",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "pattern",
    "invalid",
)
_RANK = {code: rank for rank, code in enumerate(ERROR_CODES)}

_LIMIT_CODES = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_length",
    "maxItems": "max_length",
    "minimum": "minimum",
    "exclusiveMinimum": "minimum",
    "maximum": "maximum",
    "exclusiveMaximum": "maximum",
}

# ASCII digits only: Python's \d also matches other scripts' digits, which int() would accept.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# Values a hidden fallback input may post for an unticked checkbox.
_FALSE_WORDS = frozenset({"false", "0", "off", "no"})


# --- reading a definition -------------------------------------------------------------------------


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


# --- coercing an HTML form post -------------------------------------------------------------------


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


def row_fields(prop: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The fields of one row of a "rows" field, in their order."""
    items = prop.get("items")
    fields = items.get("properties") if isinstance(items, Mapping) else None
    return {k: v for k, v in fields.items() if isinstance(v, Mapping)} if isinstance(fields, Mapping) else {}


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
        found.setdefault(int(index), {})[field] = _unix_newlines(strings[0]).strip() if strings else ""
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
    text = _unix_newlines(strings[0])
    if not text.strip():
        # A required field keeps its empty string so that validation reports it as missing.
        return "" if required else _ABSENT
    if kind in ("integer", "number"):
        number = _parse_number(text, integer=kind == "integer")
        return text if number is None else number
    return text


def _unix_newlines(text: str) -> str:
    # Browsers post textarea line breaks as CRLF; stored text should not depend on the browser.
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


# --- validating -----------------------------------------------------------------------------------


def validate_submission(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, FieldError]:
    """Each field's most important problem (empty when the data is valid)."""
    props = properties_of(schema)
    errors = _unknown_field_errors(props, data)
    present = _present_values(props, data)
    found = [
        *_schema_errors(schema, present),
        *_format_errors(props, present),
        *_required_if_errors(schema, present),
        *_reserved_value_errors(present),
    ]
    found.sort(key=lambda pair: _RANK.get(pair[1].code, len(_RANK)))
    for name, error in found:
        # The user cannot change a readOnly field, so only its absence is worth reporting.
        if props.get(name, {}).get("readOnly") and error.code != "required":
            continue
        errors.setdefault(name, error)
    return errors


def clean_submission(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields with strings stripped, ready to merge into task data; raises ValidationFailed.

    Fields left empty are not in the result, so merging alone does not clear an earlier value.
    """
    errors = validate_submission(schema, data)
    if errors:
        raise ValidationFailed(errors)
    return _present_values(properties_of(schema), data)


def _unknown_field_errors(props: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    for key in data:
        if key == RESERVED_KEY:
            errors[key] = FieldError("unknown_field", {"reserved": True})
        elif key not in props:
            errors[key] = FieldError("unknown_field")
    return errors


def _present_values(props: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Known fields with a value: strings stripped, blank strings, None and empty lists dropped."""
    present = {}
    for name in props:
        if name == RESERVED_KEY or name not in data:
            continue
        value = _normalized(data[name])
        if not _is_missing(value):
            present[name] = value
    return present


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return _unix_newlines(value).strip()
    if isinstance(value, list):
        items = [_normalized(item) for item in value]
        return [item for item in items if not _is_missing(item)]
    return copy.deepcopy(value)


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


# Validators by the id of the schema they were built for. A form's schema is one object for the
# life of its cached definition, so each form's validator is built once; the entry keeps the schema
# itself so an id can never be reused by another object while the entry stands.
_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}
_MAX_VALIDATORS = 512
_validators_lock = threading.Lock()


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """The compiled validator of `schema`, built at its first use."""
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    validator = Draft202012Validator(schema)
    with _validators_lock:
        if len(_VALIDATORS) >= _MAX_VALIDATORS:
            _VALIDATORS.clear()  # forms are few; a rare full rebuild is simpler than LRU bookkeeping
        _VALIDATORS[id(schema)] = (schema, validator)
    return validator


def _schema_errors(schema: Mapping[str, Any], present: Mapping[str, Any]) -> Iterator[tuple[str, FieldError]]:
    validator = _validator(schema)
    for error in validator.iter_errors(present):
        yield from _field_errors(error)


def _field_errors(error: ValidationError) -> Iterator[tuple[str, FieldError]]:
    """Which field a jsonschema error belongs to and with which code."""
    path = list(error.absolute_path)
    if error.validator in ("required", "dependentRequired") and not path:
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in _demanded_names(error.validator_value, instance):
            if name not in instance:
                yield str(name), FieldError("required")
        return
    if not path:
        if error.validator in ("additionalProperties", "unevaluatedProperties"):
            return  # reported as unknown_field, which also covers forms without additionalProperties
        if error.context:
            # anyOf / oneOf at the top: the closest branch tells the user most.
            yield from _field_errors(best_match(error.context))
            return
        yield FORM_ERROR_KEY, FieldError("invalid", {"detail": error.message})
        return
    yield str(path[0]), _coded(error)


def _demanded_names(rule: Any, instance: Mapping[str, Any]) -> list[Any]:
    """The names a `required` list or a `dependentRequired` map asks for, given what is present."""
    if isinstance(rule, list):
        return rule
    if isinstance(rule, Mapping):
        return [n for trigger, names in rule.items() if trigger in instance for n in names]
    return []


def _coded(error: ValidationError) -> FieldError:
    keyword = error.validator
    limit = error.validator_value
    if keyword == "type":
        return FieldError("type", {"expected": limit})
    if keyword == "const":
        # A checkbox that must be ticked ("const": true) reads to the user as a required answer.
        return FieldError("required") if limit is True else FieldError("enum")
    if keyword == "enum":
        return FieldError("enum")
    if keyword == "pattern":
        return FieldError("pattern", {"pattern": limit})
    if isinstance(keyword, str) and keyword in _LIMIT_CODES:
        params: dict[str, Any] = {"limit": limit}
        if keyword.startswith("exclusive"):
            params["exclusive"] = True
        return FieldError(_LIMIT_CODES[keyword], params)
    return FieldError("invalid", {"keyword": str(keyword)})


def _format_errors(props: Mapping[str, Any], present: Mapping[str, Any]) -> Iterator[tuple[str, FieldError]]:
    # jsonschema only annotates "format"; dates and file references are checked here.
    for name, value in present.items():
        prop = props[name]
        if field_kind(prop) == "rows" and isinstance(value, list):
            dates = [f for f, p in row_fields(prop).items() if p.get("format") == "date"]
            bad = any(
                isinstance(row, Mapping) and isinstance(row.get(f), str) and not is_calendar_date(row[f])
                for row in value
                for f in dates
            )
            if bad:
                yield name, FieldError("date")
            continue
        if not isinstance(value, str):
            continue  # the type check reports it
        if prop.get("format") == "date" and not is_calendar_date(value):
            yield name, FieldError("date")
        if prop.get("x-widget") == "file" and not FILE_REF.fullmatch(value):
            yield name, FieldError("file")


def is_calendar_date(text: str) -> bool:
    """YYYY-MM-DD naming a day that exists (2026-02-30 does not)."""
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _required_if_errors(
    schema: Mapping[str, Any], present: Mapping[str, Any]
) -> Iterator[tuple[str, FieldError]]:
    rules = schema.get("x-required-if")
    if not isinstance(rules, Mapping):
        return
    for name, conditions in rules.items():
        if name in present or not isinstance(conditions, Mapping):
            continue
        # Every condition of a rule must hold (they read as "when a and b").
        if conditions and all(_holds(present.get(other), values) for other, values in conditions.items()):
            yield name, FieldError("required", {"because": sorted(conditions)})


def _holds(value: Any, values: Any) -> bool:
    if not isinstance(values, list) or value is None:
        return False
    if isinstance(value, list):
        return any(_same(item, v) for item in value for v in values)
    return any(_same(value, v) for v in values)


def _same(a: Any, b: Any) -> bool:
    # In Python True == 1; a condition on a boolean must not fire for the number 1.
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _reserved_value_errors(present: Mapping[str, Any]) -> Iterator[tuple[str, FieldError]]:
    for name, value in present.items():
        if any(True for _ in reserved_paths(value)):
            yield name, FieldError("invalid", {"reserved": RESERVED_KEY})


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
