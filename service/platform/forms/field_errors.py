"""Which field a JSON Schema error belongs to and with which code; the codes by importance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from service.platform.errors import FieldError

# Where errors that belong to no single field (e.g. a top-level anyOf) are reported.
FORM_ERROR_KEY = "_form"

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
_RANK = {code: i for i, code in enumerate(ERROR_CODES)}

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


def rank(code: str) -> int:
    """How important an error code is: 0 for the most important, unknown codes last."""
    return _RANK.get(code, len(_RANK))


def field_errors(error: ValidationError) -> Iterator[tuple[str, FieldError]]:
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
            yield from field_errors(best_match(error.context))
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
