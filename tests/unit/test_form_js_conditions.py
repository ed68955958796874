"""form-js `conditional.hide` read into our forms: each FEEL shape designers write becomes the exact
`x-visible-if` (and, for a required field, the allOf rule requiring it only while shown); what our
conditions cannot say exactly is a problem with a code, never dropped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.platform.engine.zeebe import form_js_schema
from service.platform.forms.checks import form_definition_problems
from service.platform.forms.validation import validate_submission


def _choice(key: str, values: list[str], kind: str = "radio", **more: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "key": key,
        "label": key,
        "values": [{"label": v, "value": v} for v in values],
        **more,
    }


FIELDS: list[dict[str, Any]] = [
    _choice("decision", ["approve", "reject", "return"], validate={"required": True}),
    _choice("grade", ["middle", "senior"], kind="select"),
    {"type": "checkbox", "key": "agreed", "label": "agreed"},
    {
        "type": "number",
        "key": "rating",
        "label": "rating",
        "decimalDigits": 0,
        "validate": {"min": 1, "max": 5},
    },
    {"type": "number", "key": "amount", "label": "amount"},
    {"type": "textfield", "key": "note", "label": "note"},
    {"type": "datetime", "subtype": "date", "key": "due", "label": "due"},
    _choice("topics", ["a", "b"], kind="checklist"),
    {"type": "select", "key": "teacher", "label": "teacher", "valuesKey": "teachers"},
]


def _read(hide: Any, required: bool = True, extra: list[dict[str, Any]] | None = None) -> tuple[Any, Any]:
    """The generated schema and problems of a form whose `reason` is hidden by `hide`."""
    reason = {"type": "textarea", "key": "reason", "label": "reason", "conditional": {"hide": hide}}
    if required:
        reason["validate"] = {"required": True}
    document = {"components": [*FIELDS, reason, *(extra or [])]}
    schema, problems = form_js_schema(json.dumps(document), "Review")
    assert schema is not None
    return schema, problems


@pytest.mark.parametrize(
    ("hide", "visible"),
    [
        ('=decision = "approve"', {"decision": ["reject", "return"]}),
        ('=decision != "approve"', {"decision": ["approve"]}),
        ('= decision="approve" or decision = "reject"', {"decision": ["return"]}),
        ('=decision != "approve" and decision != "reject"', {"decision": ["approve", "reject"]}),
        ('=not(decision = "return")', {"decision": ["return"]}),
        ('=grade = "senior"', {"grade": ["middle"]}),
        ("=agreed", {"agreed": [False]}),
        ("=not(agreed)", {"agreed": [True]}),
        ("=agreed = true", {"agreed": [False]}),
        ("=agreed = false", {"agreed": [True]}),
        ("=rating = 3", {"rating": [1, 2, 4, 5]}),
        ("=rating >= 4", {"rating": [1, 2, 3]}),
        ("=rating < 2 or rating > 4", {"rating": [2, 3, 4]}),
        ("=decision = null", {"decision": ["approve", "reject", "return"]}),
        # hidden when either holds = shown while neither does: one list per field
        ('=decision = "approve" or agreed', {"decision": ["reject", "return"], "agreed": [False]}),
    ],
)
def test_a_hide_condition_becomes_the_values_that_show_the_field(hide: str, visible: dict[str, Any]) -> None:
    schema, problems = _read(hide)
    assert problems == []
    reason = schema["properties"]["reason"]
    assert reason["x-visible-if"] == visible
    # required only while shown: out of `required`, in an allOf rule of the form builder's shape
    assert schema["required"] == ["decision"]
    test = {k: {"const": v[0]} if len(v) == 1 else {"enum": v} for k, v in visible.items()}
    assert schema["allOf"] == [
        {"if": {"properties": test, "required": list(visible)}, "then": {"required": ["reason"]}}
    ]
    assert form_definition_problems(schema) == []  # the deploy checks and the page accept it


def test_the_generated_rule_is_what_the_server_enforces() -> None:
    schema, _ = _read('=decision = "approve"')
    assert validate_submission(schema, {"decision": "approve"}) == {}
    assert validate_submission(schema, {"decision": "reject"})["reason"].code == "required"
    assert validate_submission(schema, {"decision": "reject", "reason": "Дереккөз жоқ"}) == {}


def test_a_field_that_is_not_required_gets_the_condition_alone() -> None:
    schema, problems = _read('=decision = "approve"', required=False)
    assert problems == []
    assert schema["properties"]["reason"]["x-visible-if"] == {"decision": ["reject", "return"]}
    assert "allOf" not in schema and schema["required"] == ["decision"]


def test_always_and_never_hidden() -> None:
    schema, problems = _read("=true")
    assert problems == [] and schema["properties"]["reason"]["x-hidden"] is True
    assert "x-visible-if" not in schema["properties"]["reason"] and schema["required"] == ["decision"]
    for never in ("=false", '=decision = "approve" and decision = "reject"', ""):
        schema, problems = _read(never)
        assert problems == [] and schema["required"] == ["decision", "reason"], never
        assert "x-visible-if" not in schema["properties"]["reason"] and "allOf" not in schema


def test_a_group_hides_its_fields_and_conditions_follow_the_fields_they_name() -> None:
    group = {
        "type": "group",
        "label": "g",
        "conditional": {"hide": '=decision = "approve"'},
        "components": [
            {"type": "checkbox", "key": "escalate", "label": "escalate"},
            {
                "type": "textfield",
                "key": "whom",
                "label": "whom",
                "validate": {"required": True},
                "conditional": {"hide": "=not(escalate)"},
            },
        ],
    }
    schema, problems = _read("=false", extra=[group])
    assert problems == []
    props = schema["properties"]
    assert props["escalate"]["x-visible-if"] == {"decision": ["reject", "return"]}
    # its group's condition and its own; and `escalate` itself is shown only while the group is
    assert props["whom"]["x-visible-if"] == {"decision": ["reject", "return"], "escalate": [True]}
    assert schema["allOf"] == [
        {
            "if": {
                "properties": {"decision": {"enum": ["reject", "return"]}, "escalate": {"const": True}},
                "required": ["decision", "escalate"],
            },
            "then": {"required": ["whom"]},
        }
    ]
    assert form_definition_problems(schema) == []


def _problem(hide: Any, extra: list[dict[str, Any]] | None = None) -> tuple[str, dict[str, str]]:
    schema, problems = _read(hide, extra=extra)
    assert "x-visible-if" not in schema["properties"]["reason"]
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("hide", "code", "params"),
    [
        ('=contains(note, "x")', "form_hide_feel", {"construct": 'contains(note, "x")'}),
        ("=order.total > 3", "form_hide_feel", {"construct": "order.total"}),
        ("=rating + 1 > 3", "form_hide_feel", {"construct": "+"}),
        ("=decision", "form_hide_feel", {"construct": "decision"}),  # a choice is not true or false
        ('=decision < "b"', "form_hide_feel", {"construct": 'decision < "b"'}),
        ("=decision = agreed", "form_hide_feel", {"construct": "decision = agreed"}),
        ("true", "form_hide_feel", {"construct": "true"}),  # not an expression
        (True, "form_hide_feel", {"construct": "true"}),
        ("=", "form_hide_feel", {"construct": "="}),
        ('=initiator = "staff1"', "form_hide_unknown_field", {"other": "initiator"}),
        ("=amount > 100", "form_hide_open_field", {"other": "amount"}),
        ('=note = "x"', "form_hide_open_field", {"other": "note"}),
        ("=due = null", "form_hide_open_field", {"other": "due"}),
        ('=topics = "a"', "form_hide_open_field", {"other": "topics"}),
        ('=teacher = "x"', "form_hide_open_field", {"other": "teacher"}),  # options filled at run time
        (
            '=decision = "aprove"',
            "form_hide_bad_value",
            {"other": "decision", "literal": '"aprove"', "values": '"approve", "reject", "return"'},
        ),
        ("=decision = 1", "form_hide_bad_value", {"other": "decision", "literal": "1"}),
        (
            "=rating = 7",
            "form_hide_bad_value",
            {"other": "rating", "literal": "7", "values": "1, 2, 3, 4, 5"},
        ),
        ('=agreed = "yes"', "form_hide_bad_value", {"other": "agreed", "literal": '"yes"'}),
        ('=decision = "approve" and agreed', "form_hide_inexact", {}),  # shown while either differs
        ("=decision != null", "form_hide_inexact", {}),  # shown only while nothing is chosen
        ("=decision = grade", "form_hide_inexact", {}),
        ('=reason = "x"', "form_hide_cycle", {"chain": "reason → reason"}),
    ],
)
def test_what_our_conditions_cannot_say_is_a_problem(hide: Any, code: str, params: dict[str, str]) -> None:
    found, found_params = _problem(hide)
    assert found == code
    assert found_params["field"] == "reason"
    assert found_params["value"] == (hide if isinstance(hide, str) else json.dumps(hide))
    assert params.items() <= found_params.items()


def test_fields_hiding_each_other_in_a_circle_are_refused() -> None:
    others = [
        _choice("x", ["1", "2"], conditional={"hide": '=y = "1"'}),
        _choice("y", ["1", "2"], conditional={"hide": '=x = "1"'}),
    ]
    schema, problems = form_js_schema(json.dumps({"components": others}), "t")
    assert schema is not None and problems == [
        ("form_hide_cycle", {"field": "x", "value": '=y = "1"', "chain": "x → y → x"}),
        ("form_hide_cycle", {"field": "y", "value": '=x = "1"', "chain": "y → x → y"}),
    ]


def test_a_group_and_its_field_together_may_show_it_only_while_empty() -> None:
    group = {
        "type": "group",
        "conditional": {"hide": '=grade = "middle"'},
        "components": [{"type": "textfield", "key": "extra", "conditional": {"hide": '=grade = "senior"'}}],
    }
    schema, problems = form_js_schema(json.dumps({"components": [*FIELDS, group]}), "t")
    assert schema is not None
    assert problems == [
        ("form_hide_inexact", {"field": "extra", "value": '=(grade = "middle") or (grade = "senior")'})
    ]
