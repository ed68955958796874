"""Surveys' pure rules: question definitions, answers (422 per question), figures and the group of three."""

from __future__ import annotations

from datetime import date

import pytest

from service.features.surveys import figures, rules
from service.features.surveys.plan_templates import TEMPLATES
from service.platform.documents import charts
from service.platform.errors import ValidationFailed


def _kk_ru(text: str) -> dict[str, str]:
    return {"kk": text, "ru": text + " (ru)"}


QUESTIONS = rules.read_questions(
    [
        {
            "type": "single",
            "text": _kk_ru("Бір"),
            "options": [{"text": _kk_ru("А")}, {"text": _kk_ru("Б")}],
            "dont_know": True,
        },
        {
            "type": "multiple",
            "text": _kk_ru("Көп"),
            "options": [{"text": _kk_ru("А")}, {"text": _kk_ru("Б")}],
        },
        {
            "type": "scale",
            "text": _kk_ru("Шкала"),
            "low": _kk_ru("төмен"),
            "high": _kk_ru("жоғары"),
            "dont_know": True,
        },
        {"type": "number", "text": _kk_ru("Сан"), "required": False},
        {"type": "long_text", "text": _kk_ru("Мәтін"), "required": False},
    ]
)


def test_the_templates_are_valid_in_kazakh_and_russian() -> None:
    assert {t.plan_item for t in TEMPLATES} == {1, 9, 26}
    for template in TEMPLATES:
        questions = rules.read_questions(template.questions)
        assert all(q.text["kk"] and q.text["ru"] for q in questions)
        assert all(o.text["kk"] and o.text["ru"] for q in questions for o in q.options)
        assert any(q.type == "scale" for q in questions) and any(q.dont_know for q in questions)


def test_a_definition_names_each_problem() -> None:
    with pytest.raises(ValidationFailed) as err:
        rules.read_questions(
            [
                {"type": "single", "text": {"kk": "Сұрақ"}, "options": [{"text": _kk_ru("Жалғыз")}]},
                {"type": "essay", "text": _kk_ru("x")},
            ]
        )
    assert set(err.value.fields) == {"q-0-text_ru", "q-0-options_kk", "q-1-type"}
    with pytest.raises(ValidationFailed) as empty:
        rules.read_questions([])
    assert set(empty.value.fields) == {"questions"}


def test_answers_are_cleaned_or_refused_per_question() -> None:
    cleaned = rules.clean_answers(QUESTIONS, {"q1": "dont_know", "q2": ["o2", "o1"], "q3": "4", "q4": "2,5"})
    assert cleaned == {"q1": "dont_know", "q2": ["o1", "o2"], "q3": 4, "q4": 2.5}
    with pytest.raises(ValidationFailed) as err:
        rules.clean_answers(
            QUESTIONS, {"q1": "zz", "q2": ["o1", {"x": 1}], "q3": 6, "q4": "many", "q5": 5, "q9": 1}
        )
    assert set(err.value.fields) == {"q1", "q2", "q3", "q4", "q5", "q9"}
    with pytest.raises(ValidationFailed) as missing:
        rules.clean_answers(QUESTIONS, {})
    assert set(missing.value.fields) == {"q1", "q2", "q3"}  # q4 and q5 are optional


def test_a_group_under_three_shows_no_figures() -> None:
    two = [{"q1": "o1", "q2": ["o1"], "q3": 5, "q4": 1.0, "q5": "бір"}] * 2
    r = rules.results(QUESTIONS, two, 5, 2, {"staff": (5, 2), "hr": (1, 1)})
    assert not r.shown and all(not q.shown and not q.counts and not q.texts for q in r.questions)
    assert {p.role: p.responded for p in r.by_role} == {"staff": None, "hr": None}
    three = [*two, {"q1": "o2", "q2": ["o1", "o2"], "q3": "dont_know"}]
    r = rules.results(QUESTIONS, three, 5, 3, {"staff": (5, 3)})
    assert r.shown and [c.count for c in r.questions[0].counts] == [2, 1, 0]
    assert r.questions[2].numbers["median"] == 5.0 and r.questions[2].counts[-1].count == 1
    assert not r.questions[3].shown  # two numbers only: a question's own group counts too


def test_quartiles_and_median() -> None:
    assert rules.summary([1, 2, 3, 4, 5]) == {
        "n": 5,
        "min": 1,
        "q1": 2,
        "median": 3,
        "q3": 4,
        "max": 5,
        "mean": 3,
    }


def test_chart_text_is_escaped_and_drawn_the_same_three_ways() -> None:
    result = rules.question_result(QUESTIONS[0], [{"q1": "o1"}, {"q1": "o2"}, {"q1": "o1"}])
    chart = figures.chart_of(result, "kk")
    assert chart is not None
    svg = charts.to_svg(chart)
    assert svg.startswith("<svg") and "2 (67%)" in svg and "Білмеймін" in svg
    hostile = charts.bars('<script>alert("x")</script>', [("<b>&", 1)], 1)
    assert "<script>" not in charts.to_svg(hostile) and "&lt;b&gt;&amp;" in charts.to_svg(hostile)


def test_the_fields_of_a_survey() -> None:
    today = date(2026, 9, 1)
    base = {
        "title": _kk_ru("Т"),
        "privacy": "anonymous",
        "audience_roles": ["staff"],
        "opens_on": "2026-09-01",
        "closes_on": "2026-09-15",
    }
    assert rules.read_fields(base, today).audience_roles == ("staff",)
    with pytest.raises(ValidationFailed) as err:
        rules.read_fields(
            {
                **base,
                "privacy": "open",
                "audience_roles": ["nobody"],
                "closes_on": "2026-08-01",
                "plan_item": "5",
            },
            today,
        )
    assert set(err.value.fields) == {"privacy", "audience_roles", "closes_on", "plan_item"}
