"""The Jinja form renderer (templates/macros/forms.html) with a plain Jinja environment."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from service.platform.forms.schema import field_kind
from tests.unit.test_forms import HASH, make_schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def macros() -> Any:
    env = Environment(
        loader=FileSystemLoader(str(ROOT / "templates")), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env.get_template("macros/forms.html").module


@pytest.fixture
def schema() -> dict[str, Any]:
    return make_schema()


def load_form(name: str) -> dict[str, Any]:
    return dict(json.loads((ROOT / "forms" / f"{name}.json").read_text(encoding="utf-8")))


class Tags(HTMLParser):
    """Start tags with their attributes, and which ids the text of each element sits under."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def element(html: str, tag: str, **attrs: str) -> dict[str, str | None]:
    """The one start tag `tag` whose attributes include `attrs`."""
    found = [a for t, a in tags(html) if t == tag and all(a.get(k) == v for k, v in attrs.items())]
    assert len(found) == 1, (tag, attrs, found)
    return found[0]


def field_block(html: str, name: str) -> str:
    """The markup of one field's wrapper <div data-field=...>."""
    match = re.search(rf'<div class="field [^"]*" data-field="{name}">(.*?)\n  </div>', html, re.S)
    assert match, name
    return match.group(1)


def render(macros: Any, schema: dict[str, Any], values: Any = None, errors: Any = None, **kw: Any) -> str:
    return str(macros.render_form(schema, values or {}, errors or {}, kw.pop("lang", "kk"), **kw))


def test_every_field_is_rendered_in_display_order(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema)
    order = re.findall(r'data-field="([^"]+)"', html)
    assert order[:3] == ["decision", "name", "age"]
    assert sorted(order) == sorted(schema["properties"])


@pytest.mark.parametrize("name", ["(test schema)", *sorted(p.stem for p in (ROOT / "forms").glob("*.json"))])
def test_the_macro_draws_each_field_as_field_kind_says(macros: Any, name: str) -> None:
    """forms.field_kind decides which fields hold uploads; the macro must draw those (and all) alike."""
    schema = make_schema() if name == "(test schema)" else load_form(name)
    drawn = re.findall(r'<div class="field field-([a-z]+)[^"]*" data-field="([^"]+)"', render(macros, schema))
    assert {field: kind for kind, field in drawn} == {
        field: field_kind(prop)
        for field, prop in schema["properties"].items()
        if prop.get("x-hidden") is not True  # a field the API takes and the page does not show
    }


def test_order_draft_fields_in_display_order(macros: Any) -> None:
    html = render(macros, load_form("order_draft"))
    assert re.findall(r'data-field="([^"]+)"', html) == [
        "title",
        "order_type",
        "body",
        "basis",
        "attachment",
        "marking",
        "ai_assisted",
        "ai_help",
    ]


def test_inputs_by_kind(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema)
    assert element(html, "input", name="name")["type"] == "text"
    assert element(html, "input", id="f-age")["type"] == "number"
    assert element(html, "input", id="f-age")["step"] == "1"
    assert element(html, "input", id="f-score")["step"] == "any"
    assert element(html, "input", name="born")["type"] == "date"
    assert element(html, "textarea", name="note") is not None
    assert element(html, "select", name="colour") is not None
    assert element(html, "input", name="agree")["type"] == "checkbox"
    assert element(html, "textarea", name="tags") is not None
    assert element(html, "input", name="help", value="a")["type"] == "checkbox"
    assert element(html, "input", name="scan")["type"] == "file"
    assert element(html, "input", name="decision", value="return")["type"] == "radio"


def test_labels_point_at_their_inputs_and_required_fields_are_marked(
    macros: Any, schema: dict[str, Any]
) -> None:
    html = render(macros, schema)
    for name in ("name", "age", "born", "note", "colour", "agree", "tags", "scan"):
        assert f'<label for="f-{name}">' in html
    assert 'for="f-decision-1"' in html
    assert "<legend>Шешім" in html
    assert "required-mark" in field_block(html, "name")
    assert "required-mark" not in field_block(html, "note")
    assert "required" in element(html, "input", name="name")
    assert "required" not in element(html, "input", id="f-age")
    assert "required" in element(html, "input", name="decision", value="approve")


def test_html_conveniences_from_the_schema(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema)
    name = element(html, "input", name="name")
    assert (name["maxlength"], name["minlength"]) == ("10", "2")
    age = element(html, "input", id="f-age")
    assert (age["min"], age["max"]) == ("6", "99")
    assert element(html, "input", name="scan")["accept"] == "application/pdf"


def test_values_refill_inputs_exactly_as_typed(macros: Any, schema: dict[str, Any]) -> None:
    values = {
        "name": "Айгүл ",
        "age": "twelve",
        "score": 7.5,
        "born": "2015-02-29",
        "note": "бірінші\nекінші",
        "colour": "green",
        "agree": True,
        "tags": ["one", "two"],
        "help": ["b"],
        "decision": "return",
    }
    html = render(macros, schema, values)
    assert element(html, "input", name="name")["value"] == "Айгүл "
    age = element(html, "input", id="f-age")
    assert (age["type"], age["value"], age["inputmode"]) == ("text", "twelve", "numeric")
    assert element(html, "input", id="f-score")["value"] == "7.5"
    assert element(html, "input", name="born")["value"] == "2015-02-29"
    assert ">\nбірінші\nекінші</textarea>" in html
    assert "selected" in element(html, "option", value="green")
    assert "selected" not in element(html, "option", value="red")
    assert "checked" in element(html, "input", name="agree")
    assert ">\none\ntwo</textarea>" in html
    assert "checked" in element(html, "input", name="help", value="b")
    assert "checked" not in element(html, "input", name="help", value="a")
    assert "checked" in element(html, "input", name="decision", value="return")
    assert "checked" not in element(html, "input", name="decision", value="approve")


def test_errors_appear_next_to_their_fields(macros: Any, schema: dict[str, Any]) -> None:
    errors = {"name": "Кемінде 2 таңба", "decision": "Міндетті өріс", "help": "Дұрыс емес"}
    html = render(macros, schema, {"name": "Ә"}, errors)
    block = field_block(html, "name")
    assert '<div class="field-error" id="f-name-error">Кемінде 2 таңба</div>' in block
    name = element(html, "input", name="name")
    assert name["aria-invalid"] == "true"
    assert name["aria-describedby"] == "f-name-error"
    assert 'id="f-decision-error">Міндетті өріс</div>' in field_block(html, "decision")
    assert element(html, "fieldset", id="f-decision")["aria-describedby"] == "f-decision-error"
    assert element(html, "input", name="decision", value="approve")["aria-invalid"] == "true"
    assert "Дұрыс емес" in field_block(html, "help")
    assert "field-error" not in field_block(html, "age")
    assert "aria-invalid" not in element(html, "input", id="f-age")
    assert "has-error" in html.split('data-field="name"')[0].rsplit("<div", 1)[1]


def test_help_text_is_described(macros: Any) -> None:
    form = load_form("order_director_approval")
    html = render(macros, form, {}, {"comment": "Себебін жазыңыз"}, lang="ru")
    assert 'id="f-comment-help">При возврате или отклонении укажите причину.</div>' in html
    assert element(html, "textarea", name="comment")["aria-describedby"] == "f-comment-help f-comment-error"


def test_list_of_strings_has_a_hint(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema)
    assert '<div class="field-hint" id="f-tags-hint">One item per line.</div>' in html
    assert element(html, "textarea", name="tags")["aria-describedby"] == "f-tags-hint"


def test_everything_is_escaped(macros: Any, schema: dict[str, Any]) -> None:
    evil = '"><script>alert(1)</script>'
    schema["properties"]["note"]["x-description"] = tr_all("<b>help</b>")
    html = render(
        macros,
        schema,
        {"name": evil, "note": "</textarea><script>x</script>", "tags": ["<i>x</i>"], "age": evil},
        {"name": "<em>bad</em>"},
    )
    assert "<script>" not in html
    assert "<b>" not in html and "<em>" not in html and "<i>" not in html
    assert element(html, "input", name="name")["value"] == evil
    assert "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>" in html
    assert "&lt;em&gt;bad&lt;/em&gt;" in html


def tr_all(text: str) -> dict[str, str]:
    return {"kk": text, "ru": text, "en": text}


def test_enum_labels_are_localized(macros: Any) -> None:
    form = load_form("order_director_approval")
    for lang, label in (("kk", "Бекітемін"), ("ru", "Утверждаю"), ("en", "I approve")):
        html = render(macros, form, lang=lang)
        assert f'<label for="f-decision-1">{label}</label>' in html
    html = render(macros, load_form("order_draft"), lang="ru")
    assert '<option value="working_group">О создании рабочей группы</option>' in html
    assert '<label for="f-ai_help-2">Языковая правка</label>' in html
    assert '<label for="f-title">Заголовок приказа' in html


def test_missing_translation_falls_back_to_kazakh(macros: Any, schema: dict[str, Any]) -> None:
    del schema["properties"]["name"]["x-title"]["en"]
    assert '<label for="f-name">Аты' in render(macros, schema, lang="en")


def test_acknowledgement_checkbox_must_be_ticked(macros: Any) -> None:
    html = render(macros, load_form("order_acknowledgement"))
    box = element(html, "input", name="acknowledged")
    assert (box["type"], box["value"]) == ("checkbox", "true")
    assert "required" in box
    assert '<label for="f-acknowledged">Жаңа ережелермен таныстым және келісемін' in html
    assert "required-mark" in html


def test_an_optional_boolean_is_not_forced(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema)
    assert "required" not in element(html, "input", name="agree")
    assert "required-mark" not in field_block(html, "agree")


def test_kept_attachment_survives_a_re_render(macros: Any, schema: dict[str, Any]) -> None:
    schema["required"].append("scan")
    html = render(macros, schema, {"scan": HASH})
    kept = element(html, "input", type="hidden", name="scan")
    assert kept["value"] == HASH
    assert f'href="/files/{"ab" * 32}"' in html
    assert "required" not in element(html, "input", type="file")
    assert "required" in element(render(macros, schema), "input", type="file")


def test_a_malformed_file_value_is_not_linked(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema, {"scan": "sha256:../../etc/passwd"})
    assert "/files/" not in html
    assert element(html, "input", type="hidden", name="scan")["value"] == "sha256:../../etc/passwd"


def test_readonly_form_and_read_only_fields(macros: Any, schema: dict[str, Any]) -> None:
    html = render(macros, schema, {"number": "№ 7"})
    number = element(html, "input", name="number")
    assert "readonly" in number
    assert number["value"] == "№ 7"
    assert "readonly" not in element(html, "input", name="name")
    locked = render(macros, schema, readonly=True)
    assert "readonly" in element(locked, "input", name="name")
    assert "disabled" in element(locked, "select", name="colour")
    assert "disabled" in element(locked, "input", name="decision", value="approve")
    assert "required" not in element(locked, "input", name="name")


def test_enctype(macros: Any, schema: dict[str, Any]) -> None:
    assert str(macros.enctype(schema)) == "multipart/form-data"
    assert str(macros.enctype(load_form("order_draft"))) == "multipart/form-data"  # it has an attachment
    assert str(macros.enctype(load_form("order_legal_review"))) == "application/x-www-form-urlencoded"


# --- render_values --------------------------------------------------------------------------------


def render_values(macros: Any, schema: dict[str, Any], values: dict[str, Any], lang: str = "kk") -> str:
    return str(macros.render_values(schema, values, lang))


def dd(html: str, name: str) -> str:
    match = re.search(rf'<dd data-field="{name}">(.*?)</dd>', html, re.S)
    assert match, name
    return match.group(1)


def test_values_as_a_definition_list(macros: Any, schema: dict[str, Any]) -> None:
    values = {
        "decision": "approve",
        "name": "<b>Айгүл</b>",
        "colour": "red",
        "agree": True,
        "help": ["a", "b"],
        "tags": ["x", "<y>"],
        "scan": HASH,
        "note": "",
        "age": 0,
    }
    html = render_values(macros, schema, values, "ru")
    assert html.count("<dt>") == 8  # the empty note is left out, age 0 is a value
    assert dd(html, "decision") == "Бекітемін (ru)"
    assert dd(html, "colour") == "Красный"
    assert dd(html, "name") == "&lt;b&gt;Айгүл&lt;/b&gt;"
    assert "✓" in dd(html, "agree")
    assert re.findall(r"<li>(.*?)</li>", dd(html, "help")) == ["А (ru)", "Б (ru)"]
    assert re.findall(r"<li>(.*?)</li>", dd(html, "tags")) == ["x", "&lt;y&gt;"]
    assert f'<a href="/files/{"ab" * 32}">' in dd(html, "scan")
    assert dd(html, "age") == "0"
    assert "<dt>Жасы (ru)</dt>" in html


def test_false_boolean_is_a_dash(macros: Any, schema: dict[str, Any]) -> None:
    html = render_values(macros, schema, {"agree": False})
    assert "—" in dd(html, "agree")
    assert "✓" not in html


def test_render_values_of_a_shipped_form(macros: Any) -> None:
    form = load_form("order_draft")
    html = render_values(
        macros, form, {"title": "Т", "order_type": "ai_ethics", "marking": "official_use"}, "kk"
    )
    assert dd(html, "order_type") == "Жасанды интеллектіні этикалық қолдану туралы"
    assert dd(html, "marking") == "Қызметтік пайдалану үшін"
