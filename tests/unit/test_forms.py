"""Form definitions, coercion of form posts, validation and cleaning (service/domain/forms.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pytest

from service.platform.errors import FieldError, ValidationFailed
from service.platform.forms.checks import form_definition_problems
from service.platform.forms.coercion import coerce_submission
from service.platform.forms.field_errors import FORM_ERROR_KEY
from service.platform.forms.schema import (
    default_values,
    enum_options,
    field_kind,
    file_fields,
    file_max_bytes,
    localized,
)
from service.platform.forms.validation import clean_submission, is_calendar_date, validate_submission

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
HASH = "sha256:" + "ab" * 32


def tr(kk: str, ru: str | None = None, en: str | None = None) -> dict[str, str]:
    return {"kk": kk, "ru": ru or f"{kk} (ru)", "en": en or f"{kk} (en)"}


def prop(kind: str, title: str, **rest: Any) -> dict[str, Any]:
    return {"type": kind, "title": title, "x-title": tr(title), **rest}


def make_schema() -> dict[str, Any]:
    """A form with one field of every kind the renderer knows."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": "Сынақ",
        "x-title": tr("Сынақ", "Тест", "Test"),
        "properties": {
            "name": prop(
                "string", "Аты", minLength=2, maxLength=10, pattern="^[A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі ]+$"
            ),
            "age": prop("integer", "Жасы", minimum=6, maximum=99),
            "score": prop("number", "Балл", minimum=0, exclusiveMaximum=10),
            "born": prop("string", "Туған күні", format="date"),
            "note": prop("string", "Ескертпе", **{"x-widget": "textarea"}),
            "colour": prop(
                "string",
                "Түсі",
                enum=["red", "green"],
                **{"x-enum-titles": {"red": tr("Қызыл", "Красный", "Red"), "green": tr("Жасыл")}},
            ),
            "agree": prop("boolean", "Келісемін"),
            "tags": prop("array", "Белгілер", items={"type": "string"}),
            "help": prop(
                "array",
                "Көмек",
                items={"type": "string", "enum": ["a", "b"]},
                **{"x-widget": "checkbox", "x-enum-titles": {"a": tr("А"), "b": tr("Б")}},
            ),
            "scan": prop("string", "Скан", **{"x-widget": "file", "x-accept": ["application/pdf"]}),
            "number": prop("string", "Нөмір", readOnly=True),
            "decision": prop(
                "string",
                "Шешім",
                enum=["approve", "return", "reject"],
                **{
                    "x-widget": "radio",
                    "x-enum-titles": {
                        "approve": tr("Бекітемін"),
                        "return": tr("Қайтару"),
                        "reject": tr("Жоқ"),
                    },
                },
            ),
            "comment": prop("string", "Түсініктеме", **{"x-widget": "textarea"}),
        },
        "required": ["name", "decision"],
        "x-order": ["decision", "name"],
        "x-required-if": {"comment": {"decision": ["return", "reject"]}},
    }


def schema_pattern() -> str:
    return str(make_schema()["properties"]["name"]["pattern"])


@pytest.fixture
def schema() -> dict[str, Any]:
    return make_schema()


def valid_data() -> dict[str, Any]:
    return {"name": "Айгүл", "decision": "approve"}


def codes(errors: dict[str, FieldError]) -> dict[str, str]:
    return {name: error.code for name, error in errors.items()}


def check_form_definition(
    schema: Mapping[str, Any], suggestion_sources: Collection[str] | None = None
) -> list[str]:
    """The English messages of a definition's problems (the service also keeps their codes)."""
    return [problem.message for problem in form_definition_problems(schema, suggestion_sources)]


# --- the definition -------------------------------------------------------------------------------


def test_the_test_schema_is_a_valid_definition(schema: dict[str, Any]) -> None:
    assert check_form_definition(schema) == []


@pytest.mark.parametrize("path", sorted(FORMS_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_shipped_forms_are_valid(path: Path) -> None:
    assert check_form_definition(json.loads(path.read_text(encoding="utf-8"))) == []


def test_definition_must_be_json_schema(schema: dict[str, Any]) -> None:
    schema["properties"]["age"]["minimum"] = "six"
    problems = check_form_definition(schema)
    assert len(problems) == 1
    assert "JSON Schema" in problems[0]
    assert "age" in problems[0]


def test_definition_must_be_an_object_with_properties() -> None:
    problems = check_form_definition({"type": "array", "x-title": tr("Т")})
    assert any("object" in p for p in problems)
    assert any("no properties" in p for p in problems)
    assert check_form_definition([]) == ["the form must be a JSON object"]  # type: ignore[arg-type]


def test_definition_needs_all_translations(schema: dict[str, Any]) -> None:
    del schema["x-title"]["ru"]
    schema["properties"]["name"]["x-title"]["en"] = "  "
    del schema["properties"]["age"]["x-title"]
    schema["properties"]["colour"]["x-enum-titles"]["green"] = {"kk": "Жасыл"}
    problems = check_form_definition(schema)
    assert "the form: x-title lacks ru" in problems
    assert "field 'name': x-title lacks en" in problems
    assert "field 'age' has no x-title with kk, ru and en" in problems
    assert "field 'colour', value 'green': x-title lacks ru, en" in problems


def test_definition_needs_titles_for_every_enum_value(schema: dict[str, Any]) -> None:
    schema["properties"]["decision"]["x-enum-titles"].pop("reject")
    schema["properties"]["help"]["x-enum-titles"]["c"] = tr("В")
    problems = check_form_definition(schema)
    assert any("'decision'" in p and "'reject'" in p for p in problems)
    assert any("'help'" in p and "not in the enum: c" in p for p in problems)


def test_definition_names_only_existing_fields(schema: dict[str, Any]) -> None:
    schema["required"].append("ghost")
    schema["x-order"].append("phantom")
    schema["x-required-if"]["spirit"] = {"decision": ["return"]}
    schema["x-required-if"]["comment"]["shadow"] = ["x"]
    problems = check_form_definition(schema)
    assert "required names unknown field 'ghost'" in problems
    assert "x-order names unknown field 'phantom'" in problems
    assert "x-required-if names unknown field 'spirit'" in problems
    assert "x-required-if for 'comment' depends on unknown field 'shadow'" in problems


@pytest.mark.parametrize(
    ("field", "change", "expected"),
    [
        ("note", {"type": "object"}, "unsupported type"),
        ("note", {"x-widget": "slider"}, "widget 'slider'"),
        ("agree", {"x-widget": "textarea"}, "does not suit type 'boolean'"),
        ("note", {"x-widget": "select"}, "needs an enum"),
        ("colour", {"x-widget": "textarea"}, "cannot offer an enum"),
        ("born", {"format": "email"}, "format 'email'"),
        ("tags", {"items": {"type": "integer"}}, "items of"),
        ("help", {"items": {"type": "string"}}, "needs items with an enum"),
        ("scan", {"x-max-bytes": -1}, "x-max-bytes"),
        ("colour", {"default": "blue"}, "default 'blue'"),
        ("colour", {"enum": ["red", "green", 3]}, "not of type 'string'"),
    ],
)
def test_definition_refuses_unsupported_fields(
    schema: dict[str, Any], field: str, change: dict[str, Any], expected: str
) -> None:
    schema["properties"][field].update(change)
    problems = check_form_definition(schema)
    assert any(expected in p and f"'{field}'" in p for p in problems), problems


def test_definition_refuses_typename(schema: dict[str, Any]) -> None:
    schema["properties"]["typename"] = prop("string", "Түрі")
    problems = check_form_definition(schema)
    assert problems == ["'typename' is reserved by the workflow engine: found at properties/typename"]


# --- reading helpers ------------------------------------------------------------------------------


def test_localized_falls_back_to_kazakh_then_plain() -> None:
    field = {"title": "plain", "x-title": {"kk": "Қазақша", "ru": "По-русски", "en": ""}}
    assert localized(field, "title", "ru") == "По-русски"
    assert localized(field, "title", "en") == "Қазақша"
    assert localized({"title": "plain"}, "title", "ru") == "plain"
    assert localized({}, "description", "kk") == ""


def test_enum_options_are_localized(schema: dict[str, Any]) -> None:
    assert enum_options(schema["properties"]["colour"], "ru") == [("red", "Красный"), ("green", "Жасыл (ru)")]
    assert enum_options(schema["properties"]["help"], "kk") == [("a", "А"), ("b", "Б")]
    assert enum_options({"enum": ["x"]}, "en") == [("x", "x")]


def test_default_values_are_copies() -> None:
    form: dict[str, Any] = {
        "properties": {"tags": {"type": "array", "default": ["a"]}, "n": {"type": "integer"}}
    }
    defaults = default_values(form)
    assert defaults == {"tags": ["a"]}
    defaults["tags"].append("b")
    assert form["properties"]["tags"]["default"] == ["a"]


def test_field_kinds(schema: dict[str, Any]) -> None:
    kinds = {name: field_kind(p) for name, p in schema["properties"].items()}
    assert kinds == {
        "name": "text",
        "age": "number",
        "score": "number",
        "born": "date",
        "note": "textarea",
        "colour": "select",
        "agree": "checkbox",
        "tags": "list",
        "help": "checkboxes",
        "scan": "file",
        "number": "text",
        "decision": "radio",
        "comment": "textarea",
    }
    assert file_fields(schema) == ["scan"]
    assert file_max_bytes(schema["properties"]["scan"]) == 10 * 1024 * 1024


# --- coercion -------------------------------------------------------------------------------------


def test_coerce_types_a_post(schema: dict[str, Any]) -> None:
    raw = {
        "name": ["Айгүл"],
        "age": ["12"],
        "score": ["7,5"],
        "born": ["2014-05-01"],
        "colour": ["red"],
        "agree": ["true"],
        "tags": ["one\r\n\r\n  two  \nthree"],
        "help": ["a", "b"],
        "scan": [HASH],
        "decision": ["approve"],
        "stranger": ["ignored"],
    }
    assert coerce_submission(schema, raw) == {
        "name": "Айгүл",
        "age": 12,
        "score": 7.5,
        "born": "2014-05-01",
        "colour": "red",
        "agree": True,
        "tags": ["one", "two", "three"],
        "help": ["a", "b"],
        "scan": HASH,
        "decision": "approve",
    }


def test_coerce_keeps_what_was_typed_when_a_number_does_not_parse(schema: dict[str, Any]) -> None:
    data = coerce_submission(schema, {"age": ["twelve"], "score": ["1.2.3"], "name": ["x"], "decision": [""]})
    assert data["age"] == "twelve"
    assert data["score"] == "1.2.3"
    assert codes(validate_submission(schema, data)) == {
        "age": "type",
        "score": "type",
        "name": "min_length",
        "decision": "required",
    }


@pytest.mark.parametrize("typed", ["12.0", "١٢", "1_000", "1e3", "12x"])
def test_coerce_integers_only_from_plain_digits(schema: dict[str, Any], typed: str) -> None:
    assert coerce_submission(schema, {"age": [typed]})["age"] == typed
    assert coerce_submission(schema, {"age": [" +12 "]})["age"] == 12


def test_coerce_numbers(schema: dict[str, Any]) -> None:
    assert coerce_submission(schema, {"score": ["3"]})["score"] == 3
    assert coerce_submission(schema, {"score": ["-0.5"]})["score"] == -0.5
    assert coerce_submission(schema, {"score": ["1e999"]})["score"] == "1e999"
    assert coerce_submission(schema, {"score": ["nan"]})["score"] == "nan"


def test_coerce_checkbox_absent_is_false(schema: dict[str, Any]) -> None:
    assert coerce_submission(schema, {})["agree"] is False
    assert coerce_submission(schema, {"agree": ["on"]})["agree"] is True
    assert coerce_submission(schema, {"agree": ["false"]})["agree"] is False


def test_coerce_drops_empty_optional_but_keeps_empty_required(schema: dict[str, Any]) -> None:
    data = coerce_submission(schema, {"note": ["   "], "name": [""], "age": [""]})
    assert "note" not in data
    assert "age" not in data
    assert data["name"] == ""
    assert data["tags"] == []


def test_coerce_never_takes_read_only_fields_from_the_post(schema: dict[str, Any]) -> None:
    assert "number" not in coerce_submission(schema, {"number": ["forged"]})
    data = coerce_submission(schema, {"number": ["forged"]}, current={"number": "№ 12"})
    assert data["number"] == "№ 12"


def test_coerce_accepts_a_flat_dict_too(schema: dict[str, Any]) -> None:
    raw: dict[str, Any] = {"name": "Айгүл", "age": "15"}
    assert coerce_submission(schema, raw)["age"] == 15


# --- validation -----------------------------------------------------------------------------------


def test_valid_data_passes(schema: dict[str, Any]) -> None:
    data = {
        **valid_data(),
        "age": 10,
        "score": 9.5,
        "born": "2016-02-29",
        "note": "text",
        "colour": "green",
        "agree": False,
        "tags": ["x"],
        "help": ["b"],
        "scan": HASH,
        "number": "anything",
    }
    assert validate_submission(schema, data) == {}


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"name": "  "}, "name", FieldError("required")),
        ({"name": None}, "name", FieldError("required")),
        ({"age": "ten"}, "age", FieldError("type", {"expected": "integer"})),
        ({"age": True}, "age", FieldError("type", {"expected": "integer"})),
        ({"agree": "yes"}, "agree", FieldError("type", {"expected": "boolean"})),
        ({"tags": "one"}, "tags", FieldError("type", {"expected": "array"})),
        ({"colour": "blue"}, "colour", FieldError("enum")),
        ({"help": ["a", "c"]}, "help", FieldError("enum")),
        ({"name": "Ә"}, "name", FieldError("min_length", {"limit": 2})),
        ({"name": "Ә" * 11}, "name", FieldError("max_length", {"limit": 10})),
        ({"age": 5}, "age", FieldError("minimum", {"limit": 6})),
        ({"age": 100}, "age", FieldError("maximum", {"limit": 99})),
        ({"score": 10}, "score", FieldError("maximum", {"limit": 10, "exclusive": True})),
        ({"name": "R2D2"}, "name", FieldError("pattern", {"pattern": schema_pattern()})),
        ({"born": "2015-02-29"}, "born", FieldError("date")),
        ({"born": "20150101"}, "born", FieldError("date")),
        ({"born": "01.05.2015"}, "born", FieldError("date")),
        ({"scan": "sha256:XYZ"}, "scan", FieldError("file")),
        ({"scan": "sha256:" + "AB" * 32}, "scan", FieldError("file")),
        ({"ghost": 1}, "ghost", FieldError("unknown_field")),
        ({"help": ["a", "a"]}, "help", FieldError("invalid", {"keyword": "uniqueItems"})),
    ],
)
def test_each_error_code(
    schema: dict[str, Any], change: dict[str, Any], field: str, error: FieldError
) -> None:
    schema["properties"]["help"]["uniqueItems"] = True
    errors = validate_submission(schema, {**valid_data(), **change})
    assert errors == {field: error}


def test_required_fields_are_reported_together(schema: dict[str, Any]) -> None:
    assert codes(validate_submission(schema, {})) == {"name": "required", "decision": "required"}


def test_one_error_per_field_the_most_important(schema: dict[str, Any]) -> None:
    errors = validate_submission(schema, {**valid_data(), "name": 5})
    assert errors == {"name": FieldError("type", {"expected": "string"})}


def test_values_are_stripped_before_length_checks(schema: dict[str, Any]) -> None:
    assert codes(validate_submission(schema, {**valid_data(), "name": "  Ә  "})) == {"name": "min_length"}


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_x_required_if(schema: dict[str, Any], decision: str) -> None:
    errors = validate_submission(schema, {"name": "Айгүл", "decision": decision, "comment": " "})
    assert codes(errors) == {"comment": "required"}
    assert validate_submission(schema, {"name": "Айгүл", "decision": decision, "comment": "Себебі"}) == {}
    assert validate_submission(schema, {"name": "Айгүл", "decision": "approve"}) == {}


def test_x_required_if_on_a_list_and_on_a_boolean() -> None:
    form = json.loads((FORMS_DIR / "order_draft.json").read_text(encoding="utf-8"))
    data = {"title": "Т", "order_type": "other", "body": "Мәтін", "ai_assisted": True, "ai_help": []}
    assert codes(validate_submission(form, data)) == {"ai_help": "required"}
    assert validate_submission(form, {**data, "ai_help": ["structuring"]}) == {}
    assert validate_submission(form, {**data, "ai_assisted": False}) == {}


def test_x_required_if_needs_every_condition(schema: dict[str, Any]) -> None:
    schema["x-required-if"] = {"comment": {"decision": ["return"], "colour": ["red"]}}
    base = {"name": "Айгүл", "decision": "return"}
    assert validate_submission(schema, base) == {}
    assert codes(validate_submission(schema, {**base, "colour": "red"})) == {"comment": "required"}


def test_plain_json_schema_if_then_is_honoured(schema: dict[str, Any]) -> None:
    schema["if"] = {"properties": {"colour": {"const": "red"}}, "required": ["colour"]}
    schema["then"] = {"required": ["note"], "properties": {"age": {"maximum": 50}}}
    errors = validate_submission(schema, {**valid_data(), "colour": "red", "age": 60})
    assert errors == {"note": FieldError("required"), "age": FieldError("maximum", {"limit": 50})}
    assert validate_submission(schema, {**valid_data(), "colour": "green", "age": 60}) == {}


def test_dependent_required_names_the_missing_field(schema: dict[str, Any]) -> None:
    schema["dependentRequired"] = {"colour": ["note"]}
    assert codes(validate_submission(schema, {**valid_data(), "colour": "red"})) == {"note": "required"}


def test_form_wide_errors_without_a_field(schema: dict[str, Any]) -> None:
    schema["not"] = {"required": ["note", "tags"]}
    errors = validate_submission(schema, {**valid_data(), "note": "x", "tags": ["y"]})
    assert list(errors) == [FORM_ERROR_KEY]
    assert errors[FORM_ERROR_KEY].code == "invalid"


def test_any_of_reports_the_closest_branch(schema: dict[str, Any]) -> None:
    schema["anyOf"] = [{"required": ["note"]}, {"required": ["tags"]}]
    assert codes(validate_submission(schema, valid_data())) in ({"note": "required"}, {"tags": "required"})


def test_const_true_checkbox_reports_required() -> None:
    form = json.loads((FORMS_DIR / "order_acknowledgement.json").read_text(encoding="utf-8"))
    assert form["properties"]["acknowledged"]["title"] == "Жаңа ережелермен таныстым және келісемін"
    assert codes(validate_submission(form, {})) == {"acknowledged": "required"}
    assert codes(validate_submission(form, {"acknowledged": False})) == {"acknowledged": "required"}
    assert validate_submission(form, {"acknowledged": True}) == {}
    assert codes(validate_submission(form, coerce_submission(form, {}))) == {"acknowledged": "required"}
    assert validate_submission(form, coerce_submission(form, {"acknowledged": ["true"]})) == {}


def test_read_only_field_errors_only_when_required_and_missing(schema: dict[str, Any]) -> None:
    assert validate_submission(schema, {**valid_data(), "number": 42}) == {}
    # A changed form is a new schema object (a loaded form is never changed in place: see `_validator`).
    schema = {**schema, "required": [*schema["required"], "number"]}
    assert codes(validate_submission(schema, valid_data())) == {"number": "required"}
    assert validate_submission(schema, {**valid_data(), "number": 42}) == {}


@pytest.mark.parametrize("text", ["2024-02-29", "2026-12-31"])
def test_calendar_dates(text: str) -> None:
    assert is_calendar_date(text)


@pytest.mark.parametrize("text", ["2023-02-29", "2026-13-01", "2026-1-1", "2026-01-01T00:00", "২০২৬-০১-০১"])
def test_not_calendar_dates(text: str) -> None:
    assert not is_calendar_date(text)


# --- cleaning -------------------------------------------------------------------------------------


def test_clean_returns_only_the_forms_fields_stripped(schema: dict[str, Any]) -> None:
    cleaned = clean_submission(
        schema,
        {
            **valid_data(),
            "name": "  Айгүл \n",
            "note": "a\r\nb ",
            "tags": [" x ", " "],
            "comment": "",
            "age": None,
        },
    )
    assert cleaned == {"name": "Айгүл", "decision": "approve", "note": "a\nb", "tags": ["x"]}


def test_clean_does_not_change_its_input(schema: dict[str, Any]) -> None:
    data = {**valid_data(), "tags": [" x "]}
    before = copy.deepcopy(data)
    clean_submission(schema, data)
    assert data == before


def test_clean_raises_with_every_field(schema: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_submission(schema, {"name": "Айгүл", "decision": "maybe", "extra": 1})
    assert codes(caught.value.fields) == {"decision": "enum", "extra": "unknown_field"}
    assert caught.value.status == 422


def test_clean_refuses_typename_at_the_top(schema: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_submission(schema, {**valid_data(), "typename": "Workflow"})
    assert caught.value.fields == {"typename": FieldError("unknown_field", {"reserved": True})}


def test_clean_refuses_typename_even_when_a_form_declares_it(schema: dict[str, Any]) -> None:
    schema["properties"]["typename"] = prop("string", "Түрі")
    with pytest.raises(ValidationFailed):
        clean_submission(schema, {**valid_data(), "typename": "x"})
    assert "typename" not in clean_submission(schema, valid_data())


def test_clean_refuses_typename_nested_in_a_value(schema: dict[str, Any]) -> None:
    schema["properties"]["extra"] = {"title": "Қосымша", "x-title": tr("Қосымша")}  # no type: anything goes
    with pytest.raises(ValidationFailed) as caught:
        clean_submission(schema, {**valid_data(), "extra": [{"typename": "BpmnWorkflow"}]})
    assert caught.value.fields == {"extra": FieldError("invalid", {"reserved": "typename"})}


def test_coerced_post_round_trip_for_the_director(schema: dict[str, Any]) -> None:
    form = json.loads((FORMS_DIR / "order_director_approval.json").read_text(encoding="utf-8"))
    data = coerce_submission(form, {"decision": ["reject"], "comment": [""], "csrf_token": ["t"]})
    assert codes(validate_submission(form, data)) == {"comment": "required"}
    data = coerce_submission(form, {"decision": ["reject"], "comment": ["Негіз жоқ "]})
    assert clean_submission(form, data) == {"decision": "reject", "comment": "Негіз жоқ"}


def test_order_draft_defaults_and_rework_share_fields() -> None:
    draft = json.loads((FORMS_DIR / "order_draft.json").read_text(encoding="utf-8"))
    rework = json.loads((FORMS_DIR / "order_rework.json").read_text(encoding="utf-8"))
    assert draft["properties"] == rework["properties"]
    assert default_values(draft) == {"marking": "internal", "ai_assisted": False}
    assert codes(validate_submission(draft, {"title": "x" * 301, "order_type": "other", "body": "b"})) == {
        "title": "max_length"
    }


def test_suggestions_come_from_a_known_source_on_a_plain_text_field(schema: dict[str, Any]) -> None:
    sources = ("permitted_tools",)  # the tools feature's source, as the registry lists it
    schema["properties"]["name"]["x-suggestions-from"] = "permitted_tools"
    assert check_form_definition(schema, sources) == []
    schema["properties"]["name"]["x-suggestions-from"] = "all_users"
    problems = check_form_definition(schema, sources)
    assert any("x-suggestions-from 'all_users' is unknown" in p for p in problems)
    schema["properties"]["name"]["x-suggestions-from"] = "permitted_tools"
    schema["properties"]["name"]["enum"] = ["a"]
    assert any("plain text field only" in p for p in check_form_definition(schema))


def test_rows_are_read_from_numbered_inputs_and_checked_at_deploy() -> None:
    """A "rows" field (issue 15 item 13): inputs "<field>.<row>.<name>" become a list of objects in row
    order, blank spare rows are dropped, a bad date is the field's error, and deploy checks the rows."""
    from service.platform.forms.checks import form_definition_problems
    from service.platform.forms.coercion import coerce_submission
    from service.platform.forms.validation import validate_submission

    titled = {"x-title": {"kk": "Ж", "ru": "Ж", "en": "W"}, "title": "Ж"}
    rows = {
        **titled,
        "type": "array",
        "x-widget": "rows",
        "items": {
            "type": "object",
            "properties": {
                "who": {**titled, "type": "string", "x-options-from": "users"},
                "due": {**titled, "type": "string", "format": "date"},
            },
        },
    }
    schema = {"type": "object", "title": "F", "x-title": titled["x-title"], "properties": {"plan": rows}}
    raw = {
        "plan.10.who": ["ict"],
        "plan.10.due": ["2030-01-02"],
        "plan.2.who": ["lawyer"],
        "plan.2.due": ["2030-02-30"],
        "plan.3.who": [""],
        "plan.3.due": [""],
        "plan.x.who": ["ignored"],
    }
    data = coerce_submission(schema, raw)
    assert data == {"plan": [{"who": "lawyer", "due": "2030-02-30"}, {"who": "ict", "due": "2030-01-02"}]}
    assert validate_submission(schema, data)["plan"].code == "date"
    assert form_definition_problems(schema) == []
    bad = {
        **rows,
        "items": {
            "type": "object",
            "properties": {"who": {**titled, "type": "string", "x-options-from": "nobody"}},
        },
    }
    codes = [p.code for p in form_definition_problems({**schema, "properties": {"plan": bad}})]
    assert codes == ["unknown_options_source"]
