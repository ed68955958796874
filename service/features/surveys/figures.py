"""One chart per question result, in a language: what the page (SVG) and the note (PDF, DOCX) draw."""

from __future__ import annotations

from service.features.surveys import rules
from service.platform.documents import charts

# The labels of a number question's figures, by language.
NUMBER_LABELS = {
    "kk": {
        "min": "ең аз",
        "q1": "1-квартиль",
        "median": "медиана",
        "q3": "3-квартиль",
        "max": "ең көп",
        "mean": "орташа",
    },
    "ru": {
        "min": "мин.",
        "q1": "1-й квартиль",
        "median": "медиана",
        "q3": "3-й квартиль",
        "max": "макс.",
        "mean": "среднее",
    },
    "en": {"min": "min", "q1": "Q1", "median": "median", "q3": "Q3", "max": "max", "mean": "mean"},
}


def chart_of(result: rules.QuestionResult, lang: str) -> charts.Chart | None:
    """None for free texts and for a group too small to show."""
    q = result.question
    if not result.shown:
        return None
    title = rules.localized(q.text, lang)
    if q.type in rules.CHOICE_TYPES:
        return charts.bars(
            title, [(rules.localized(c.label, lang), c.count) for c in result.counts], result.answered
        )
    if q.type == "scale":
        return charts.distribution(
            title,
            [(rules.localized(c.label, lang), c.count) for c in result.counts],
            rules.localized(q.low, lang),
            rules.localized(q.high, lang),
            result.answered,
        )
    if q.type == "number" and result.numbers:
        return charts.box(title, dict(result.numbers), NUMBER_LABELS.get(lang, NUMBER_LABELS["en"]))
    return None


def paired_results(
    mine: rules.Results,
    theirs: rules.Results | None,
    questions: tuple[list[rules.Question], list[rules.Question]],
) -> dict[str, rules.QuestionResult]:
    """Question id of this run → the other run's result of the same question (see `rules.matching`)."""
    if theirs is None:
        return {}
    by_id = {r.question.id: r for r in theirs.questions}
    return {
        mine_id: by_id[their_id]
        for mine_id, their_id in rules.matching(*questions).items()
        if their_id in by_id
    }


def comparison_of(
    a: rules.QuestionResult, b: rules.QuestionResult, lang: str, names: tuple[str, str]
) -> charts.Chart | None:
    """Two runs of a choice or scale question side by side (shares of each run's answers)."""
    if not (a.shown and b.shown) or a.question.type not in (*rules.CHOICE_TYPES, "scale"):
        return None
    # Options match by their Kazakh wording (two templates may number the same option differently).
    theirs = {rules.localized(c.label, "kk").casefold(): c.count for c in b.counts}
    rows = [
        (rules.localized(c.label, lang), c.count, theirs.get(rules.localized(c.label, "kk").casefold(), 0))
        for c in a.counts
    ]
    return charts.paired_bars(rules.localized(a.question.text, lang), rows, (a.answered, b.answered), names)
