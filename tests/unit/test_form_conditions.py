"""Form conditions as standard JSON Schema: the shipped forms carry no private x-required-if, conditions
and x-visible-if must name fields of the form, field names suit the diagram's scripts, the vote's
signature statement is ticked by a re-entered password, and a diagram's steps name the forms they show."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from service.platform.engine import form_uses
from service.platform.forms.checks import form_definition_problems
from service.platform.forms.schema import signature_statements
from service.platform.forms.validation import validate_submission

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
TR = {"kk": "А", "ru": "Б", "en": "C"}
BASE: dict[str, Any] = {
    "type": "object",
    "x-title": TR,
    "properties": {
        "decision": {
            "x-title": TR,
            "type": "string",
            "enum": ["a", "b"],
            "x-enum-titles": {"a": TR, "b": TR},
        },
        "note": {"x-title": TR, "type": "string", "x-visible-if": {"decision": ["b"]}},
    },
}


def _codes(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.code, p.params.get("field", "")) for p in form_definition_problems(schema)]


def test_shipped_forms_use_standard_if_then_and_are_valid() -> None:
    for path in sorted(FORMS_DIR.glob("*.json")):
        form = json.loads(path.read_text(encoding="utf-8"))
        assert "x-required-if" not in form, path.name
        assert form_definition_problems(form) == [], path.name


def test_the_chairs_conclusion_and_the_vote_signature_are_required_by_the_schema() -> None:
    chair = json.loads((FORMS_DIR / "tool_chair_confirmation.json").read_text(encoding="utf-8"))
    assert validate_submission(chair, {"decision": "approve"})["conclusion"].code == "required"
    vote = json.loads((FORMS_DIR / "tool_member_vote.json").read_text(encoding="utf-8"))
    assert "signed" in vote["required"] and vote["properties"]["signed"]["const"] is True
    assert signature_statements(vote) == {"signed": True}
    assert signature_statements(chair) == {}


def test_a_valid_visible_if_passes() -> None:
    assert _codes(BASE) == []


def test_visible_if_must_name_another_field_with_values() -> None:
    for rule in ({"ghost": ["b"]}, {"note": ["x"]}, {"decision": []}, ["decision"]):
        schema = copy.deepcopy(BASE)
        schema["properties"]["note"]["x-visible-if"] = rule
        assert ("visible_if_bad", "note") in _codes(schema), rule


def test_a_field_shown_only_sometimes_cannot_be_always_required() -> None:
    schema = {**copy.deepcopy(BASE), "required": ["note"]}
    assert ("visible_if_required", "note") in _codes(schema)


def test_conditions_must_name_fields_of_the_form() -> None:
    schema = copy.deepcopy(BASE)
    schema["allOf"] = [{"if": {"properties": {"ghost": {"const": 1}}}, "then": {"required": ["spirit"]}}]
    problems = form_definition_problems(schema)
    assert sorted(p.params["name"] for p in problems if p.code == "condition_unknown_field") == [
        "ghost",
        "spirit",
    ]


def test_field_names_suit_the_diagrams_scripts() -> None:
    schema = copy.deepcopy(BASE)
    schema["properties"]["two words"] = {"x-title": TR, "type": "string"}
    assert ("bad_field_name", "two words") in _codes(schema)


def test_a_diagram_names_the_forms_its_steps_show() -> None:
    xml = (FORMS_DIR.parent / "bpmn" / "order_drafting.bpmn").read_bytes()
    uses = {(element, key) for element, _name, key in form_uses(xml)}
    assert ("Task_draft", "order_draft") in uses and ("Task_legal_review", "order_legal_review") in uses
    assert form_uses(b"<not xml") == []
