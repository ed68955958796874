"""The compiled form check answers exactly as jsonschema's Draft 2020-12 validator, or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from service.platform.forms.fast_check import Unsure, compile_schema
from service.platform.forms.validation import validate_submission

FORMS = Path(__file__).resolve().parents[2] / "forms"
SHIPPED = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(FORMS.glob("*.json"))}

# Every keyword the check compiles, in shapes a form editor could write.
HAND_MADE: dict[str, dict[str, Any]] = {
    "scalars": {
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-c]+$"},
            "b": {"type": "integer", "minimum": 1, "maximum": 10},
            "c": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
            "d": {"type": ["string", "null"], "enum": ["x", "y", None]},
            "e": {"type": "boolean", "const": True},
            "f": {"enum": ["1", "2"]},
            "g": {"enum": [True]},
            "h": {"type": "integer", "enum": [1, 2, 3]},
            "i": {"enum": [0, False, None, "0", 1.5]},
        },
    },
    "arrays": {
        "type": "object",
        "properties": {
            "tags": {
                "type": "array",
                "items": {"type": "string", "enum": ["a", "b", "c"]},
                "minItems": 1,
                "maxItems": 2,
                "uniqueItems": True,
            },
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"name": {"type": "string", "maxLength": 3}, "n": {"type": "integer"}},
                },
            },
            "none": {"type": "array", "items": False},
        },
    },
    "conditions": {
        "type": "object",
        "properties": {"decision": {"enum": ["ok", "return"]}, "comment": {"type": "string"}},
        "allOf": [
            {
                "if": {"properties": {"decision": {"const": "return"}}, "required": ["decision"]},
                "then": {"required": ["comment"]},
                "else": {"not": {"required": ["comment"]}},
            },
            {"anyOf": [{"required": ["decision"]}, {"required": ["comment"]}]},
        ],
        "additionalProperties": {"type": "string"},
    },
}

KEYS = [
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "tags",
    "rows",
    "none",
    "decision",
    "comment",
    "name",
    "n",
    "x",
]
WORDS = [
    "",
    "a",
    "ab",
    "abc",
    "abcdef",
    "x",
    "y",
    "1",
    "2",
    "ok",
    "return",
    "working_group",
    "other",
    "approve",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.sampled_from([0.0, 1.0, 0.5, 1.5, 2.5, -1.0, 10.0]),
    st.sampled_from(WORDS),
    st.text(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


def _field_names(schema: dict[str, Any]) -> list[str]:
    return [*sorted(schema.get("properties") or {}), "x"]


def _submissions(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(_field_names(schema)), values, max_size=8)


CASES = {**HAND_MADE, **SHIPPED}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_shipped_and_hand_made_form_compiles(name: str) -> None:
    assert compile_schema(CASES[name]) is not None


@pytest.mark.parametrize("name", sorted(CASES))
@settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_check_agrees_with_jsonschema(name: str, data: st.DataObject) -> None:
    schema = CASES[name]
    check = compile_schema(schema)
    assert check is not None
    submission = data.draw(_submissions(schema))
    try:
        fast = check(submission)
    except Unsure:
        return  # jsonschema decides these; nothing to compare
    assert fast == Draft202012Validator(schema).is_valid(submission), submission


def test_a_valid_shipped_form_is_answered_without_jsonschema() -> None:
    schema = SHIPPED["order_draft"] if "order_draft" in SHIPPED else next(iter(SHIPPED.values()))
    check = compile_schema(schema)
    assert check is not None
    valid = {
        name: prop.get("enum", ["v"])[0] if prop.get("type") == "string" else prop.get("default")
        for name, prop in schema["properties"].items()
        if name in schema.get("required", [])
    }
    assert Draft202012Validator(schema).is_valid(valid) == check(valid)


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}},
        {"properties": {"a": {"oneOf": [{"type": "string"}]}}},
        {"properties": {"a": {"enum": [[1], 2]}}},
        {"patternProperties": {"^a": {"type": "string"}}, "additionalProperties": False},
        {"properties": {"a": {"type": "date"}}},
        {"properties": {"a": {"multipleOf": 2}}},
        {"somethingNew": True},
    ],
)
def test_a_keyword_it_does_not_compile_leaves_the_schema_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None


def test_values_it_cannot_compare_exactly_are_left_to_jsonschema() -> None:
    check = compile_schema({"properties": {"a": {"enum": ["1"]}, "t": {"uniqueItems": True}}})
    assert check is not None
    for unsure in ({"a": [1]}, {"a": {"b": 1}}, {"t": [1, 1.0]}):
        with pytest.raises(Unsure):
            check(unsure)
    # The errors shown still come from jsonschema, field by field.
    errors = validate_submission({"type": "object", "properties": {"a": {"enum": ["1"]}}}, {"a": 1})
    assert errors["a"].code == "enum"
