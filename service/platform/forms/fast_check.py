"""A form schema compiled to plain Python checks: the common valid submission skips jsonschema.

jsonschema's validation of a valid draft order took ~60 µs, most of a completion's validation (issue 16);
the compiled check of the same schema takes a few. It is exact where it answers: `True` only when
jsonschema's Draft 2020-12 validator (as `validation` builds it: `format` is an annotation) finds no
error, `False` only when it finds one. A schema with a keyword outside the small set below compiles to
None, and a value it cannot compare exactly (a list against an enum, say) raises `Unsure`;
either way jsonschema decides, as it did for everything before. The errors a person sees always come
from jsonschema: this only says whether there are any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]


class Unsure(Exception):
    """The compiled check cannot answer this value exactly; jsonschema must."""


# Keywords that never change validity (annotations), ours (`x-…`) included.
_ANNOTATIONS = frozenset(
    {"$schema", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly",
     "deprecated", "format"}
)  # fmt: skip


def compile_schema(schema: Any) -> Check | None:
    """The exact check of `schema`, or None when it uses a keyword this module does not compile."""
    try:
        return _compile(schema)
    except _Unsupported:
        return None


class _Unsupported(Exception):
    pass


def _compile(schema: Any) -> Check:
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, Mapping):
        raise _Unsupported
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword in ("then", "else"):
            continue
        build = _KEYWORDS.get(keyword)
        if build is None:
            raise _Unsupported
        checks.append(build(value, schema))
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    """All of `checks`, in a plain loop (a generator per value cost more than the checks)."""
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110  (all() over a generator: a frame per value)
            if not check(value):
                return False
        return True

    return every


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "number": _is_number,
    # jsonschema counts 1.0 as an integer.
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
}


def _type(value: Any, _schema: Mapping[str, Any]) -> Check:
    names = value if isinstance(value, list) else [value]
    if not names or any(name not in _TYPES for name in names):
        raise _Unsupported
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(test(v) for test in tests)


def _kind(value: Any) -> str | None:
    """The kind jsonschema's `equal` compares within (None: a list or object, compared deeply)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"  # never equal to 1 or 0 for jsonschema, unlike Python's ==
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "number"  # 1 == 1.0, as for jsonschema
    return None


def _comparable(items: list[Any]) -> Check:
    """Membership that equals jsonschema's `equal` (scalar items only)."""
    by_kind: dict[str, list[Any]] = {}
    for item in items:
        kind = _kind(item)
        if kind is None:
            raise _Unsupported
        by_kind.setdefault(kind, []).append(item)

    def member(value: Any) -> bool:
        kind = _kind(value)
        if kind is None:
            raise Unsure
        return any(value == item for item in by_kind.get(kind, ()))

    return member


def _enum(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list):
        raise _Unsupported
    return _comparable(value)


def _const(value: Any, _schema: Mapping[str, Any]) -> Check:
    return _comparable([value])


def _string_rule(test: Callable[[str], bool]) -> Check:
    return lambda v: not isinstance(v, str) or test(v)


def _pattern(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, str):
        raise _Unsupported
    try:
        compiled = re.compile(value)  # jsonschema applies `re.search`
    except re.error:
        raise _Unsupported from None
    return _string_rule(lambda s: compiled.search(s) is not None)


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Unsupported
    return value


def _length(
    rule: Callable[[Callable[[Any], bool]], Check], compare: Callable[[int, int], bool]
) -> Callable[[Any, Mapping[str, Any]], Check]:
    """maxLength/minLength (a string's length) and maxItems/minItems (an array's), against a count."""

    def build(value: Any, _schema: Mapping[str, Any]) -> Check:
        limit = _count(value)
        return rule(lambda sized: compare(len(sized), limit))

    return build


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Mapping[str, Any]], Check]:
    def build(limit: Any, _schema: Mapping[str, Any]) -> Check:
        if not _is_number(limit):
            raise _Unsupported
        return lambda v: not _is_number(v) or compare(v, limit)

    return build


def _array_rule(test: Callable[[list[Any]], bool]) -> Check:
    return lambda v: not isinstance(v, list) or test(v)


def _items(value: Any, _schema: Mapping[str, Any]) -> Check:
    each = _compile(value)
    return _array_rule(lambda items: all(each(item) for item in items))


def _unique_items(value: Any, _schema: Mapping[str, Any]) -> Check:
    if value is False:
        return _always
    if value is not True:
        raise _Unsupported

    def unique(items: list[Any]) -> bool:
        if not all(isinstance(i, str) for i in items):
            raise Unsure  # jsonschema's own equality (1 == 1.0, True != 1, nested) decides
        return len(set(items)) == len(items)

    return _array_rule(unique)


def _object_rule(test: Callable[[dict[str, Any]], bool]) -> Check:
    return lambda v: not isinstance(v, dict) or test(v)


def _required(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise _Unsupported
    names = list(value)
    return _object_rule(lambda obj: all(name in obj for name in names))


def _properties(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, Mapping):
        raise _Unsupported
    checks = [(name, _compile(sub)) for name, sub in value.items()]

    def each_present(obj: dict[str, Any]) -> bool:
        for name, check in checks:  # noqa: SIM110  (as in `_all`)
            if name in obj and not check(obj[name]):
                return False
        return True

    return _object_rule(each_present)


def _additional_properties(value: Any, schema: Mapping[str, Any]) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported
    known = set(schema.get("properties") or {})
    extra = _compile(value)
    return _object_rule(lambda obj: all(extra(obj[name]) for name in obj if name not in known))


def _if(value: Any, schema: Mapping[str, Any]) -> Check:
    condition = _compile(value)
    then = _compile(schema["then"]) if "then" in schema else _always
    otherwise = _compile(schema["else"]) if "else" in schema else _always
    return lambda v: then(v) if condition(v) else otherwise(v)


def _all_of(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not value:
        raise _Unsupported
    return _all([_compile(sub) for sub in value])


def _any_of(value: Any, _schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, list) or not value:
        raise _Unsupported
    parts = [_compile(sub) for sub in value]
    return lambda v: any(part(v) for part in parts)


def _not(value: Any, _schema: Mapping[str, Any]) -> Check:
    inner = _compile(value)
    return lambda v: not inner(v)


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any]], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "maxLength": _length(_string_rule, lambda length, limit: length <= limit),
    "minLength": _length(_string_rule, lambda length, limit: length >= limit),
    "pattern": _pattern,
    "minimum": _bound(lambda v, limit: v >= limit),
    "maximum": _bound(lambda v, limit: v <= limit),
    "exclusiveMinimum": _bound(lambda v, limit: v > limit),
    "exclusiveMaximum": _bound(lambda v, limit: v < limit),
    "items": _items,
    "maxItems": _length(_array_rule, lambda length, limit: length <= limit),
    "minItems": _length(_array_rule, lambda length, limit: length >= limit),
    "uniqueItems": _unique_items,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "if": _if,
    "allOf": _all_of,
    "anyOf": _any_of,
    "not": _not,
}
