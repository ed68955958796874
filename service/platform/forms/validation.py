"""Server-side validation of a submission against its form, and cleaning it into task data."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator

from service.platform.errors import FieldError, ValidationFailed
from service.platform.forms.coercion import unix_newlines
from service.platform.forms.fast_check import Check, Unsure, compile_schema
from service.platform.forms.field_errors import field_errors, rank
from service.platform.forms.schema import (
    FILE_REF,
    RESERVED_KEY,
    field_kind,
    properties_of,
    reserved_paths,
    row_fields,
)

# ASCII digits only: Python's \d also matches other scripts' digits, which int() would accept.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def validate_submission(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, FieldError]:
    """Each field's most important problem (empty when the data is valid)."""
    return _checked(schema, data)[0]


def _checked(
    schema: Mapping[str, Any], data: Mapping[str, Any]
) -> tuple[dict[str, FieldError], dict[str, Any]]:
    """The submission's problems by field, and its present values (what a valid one cleans to)."""
    props = properties_of(schema)
    errors = _unknown_field_errors(props, data)
    present = _present_values(props, data)
    found = [
        *_schema_errors(schema, present),
        *_format_errors(props, present),
        *_required_if_errors(schema, present),
        *_reserved_value_errors(present),
    ]
    found.sort(key=lambda pair: rank(pair[1].code))
    for name, error in found:
        # The user cannot change a readOnly field, so only its absence is worth reporting.
        if props.get(name, {}).get("readOnly") and error.code != "required":
            continue
        errors.setdefault(name, error)
    return errors, present


def clean_submission(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields with strings stripped, ready to merge into task data; raises ValidationFailed.

    Fields left empty are not in the result, so merging alone does not clear an earlier value.
    """
    errors, present = _checked(schema, data)
    if errors:
        raise ValidationFailed(errors)
    return present


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
        return unix_newlines(value).strip()
    if isinstance(value, list):
        items = [_normalized(item) for item in value]
        return [item for item in items if not _is_missing(item)]
    return copy.deepcopy(value)


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


# Validators by the id of the schema they were built for. A form's schema is one object for the
# life of its cached definition, so each form's validator is built once; the entry keeps the schema
# itself so an id can never be reused by another object while the entry stands.
_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator, Check | None]] = {}
_MAX_VALIDATORS = 512
_validators_lock = threading.Lock()


def _validator(schema: Mapping[str, Any]) -> tuple[Draft202012Validator, Check | None]:
    """The jsonschema validator of `schema` and its compiled check (None: not compilable), built once.

    `format` is an annotation for this validator (no format checker): dates and files are checked by
    `_format_errors`, and `fast_check` relies on it. A schema is compiled as it is at its first use: a
    loaded form is never changed in place (a definition's forms, the form editor's saves and the BPMN
    imports each build a new object)."""
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1], cached[2]
    validator = Draft202012Validator(schema)
    check = compile_schema(schema)
    with _validators_lock:
        if len(_VALIDATORS) >= _MAX_VALIDATORS:
            _VALIDATORS.clear()  # forms are few; a rare full rebuild is simpler than LRU bookkeeping
        _VALIDATORS[id(schema)] = (schema, validator, check)
    return validator, check


def _schema_errors(schema: Mapping[str, Any], present: Mapping[str, Any]) -> Iterator[tuple[str, FieldError]]:
    validator, check = _validator(schema)
    if check is not None:
        try:
            if check(present):
                return  # exactly what jsonschema would find: nothing
        except Unsure:
            pass
    for error in validator.iter_errors(present):
        yield from field_errors(error)


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
