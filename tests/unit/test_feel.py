"""FEEL conditions of Camunda 8 diagrams: what is translated to the engine's expressions, what is refused."""

from __future__ import annotations

import pytest

from service.platform.engine.zeebe import FeelRefused, form_js_schema, translate_feel


@pytest.mark.parametrize(
    ("feel", "python"),
    [
        ("=approved", "approved"),
        ('=decision = "approve" and days <= 30', 'decision == "approve" and days <= 30'),
        ("= n>=3 or x != null", "n >= 3 or x != None"),
        ("=not(urgent) and ok = true", "not (urgent) and ok == True"),
        ('=(a = "x" or b = "y") and c < -2.5', '(a == "x" or b == "y") and c < -2.5'),
    ],
)
def test_what_feel_translates_to(feel: str, python: str) -> None:
    assert translate_feel(feel) == python


@pytest.mark.parametrize(
    ("feel", "construct"),
    [
        ('=contains(note, "x")', 'contains(note, "x")'),
        ("=a + 1 > 2", "+"),
        ("=order.total > 2", "order.total"),
        ("=if a then b else c", "if a"),
        ("=x in [1, 2]", "x in"),
        ("=not urgent", "not"),
        ("=", "="),
    ],
)
def test_what_feel_refuses_names_the_construct(feel: str, construct: str) -> None:
    with pytest.raises(FeelRefused) as refused:
        translate_feel(feel)
    assert refused.value.construct == construct


def test_a_form_js_form_without_components_is_not_a_form() -> None:
    assert form_js_schema('{"type": "default"}', "x") == (None, [])
    assert form_js_schema("not json", "x") == (None, [])
    schema, problems = form_js_schema(
        '{"components": [{"type": "select", "key": "k", "valuesKey": "o"}]}', "t"
    )
    assert schema is not None and schema["properties"] == {}  # options filled at run time: not offered
    assert problems == []
