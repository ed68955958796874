"""Surveys' pure rules: question definitions, the survey's own fields, answers, and the results' figures.

Nothing here touches the database: the use cases read and write rows, these functions decide what a
definition, an answer and a result may be. A result group with fewer than `MIN_GROUP` answers shows
no figures, since with one or two answers the figures would be those people's answers.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.platform.errors import FieldError, ValidationFailed

LANGS = ("kk", "ru", "en")
QUESTION_TYPES = ("single", "multiple", "scale", "number", "short_text", "long_text")
CHOICE_TYPES = ("single", "multiple")
# "I don't know" is offered only where a person may honestly not know: a choice or a scale.
DONT_KNOW_TYPES = ("single", "multiple", "scale")
PRIVACY_MODES = ("anonymous", "named")
DONT_KNOW = "dont_know"
SCALE = (1, 2, 3, 4, 5)
MIN_GROUP = 3  # fewer answers than this in a group: no figures (they would identify people)
MAX_QUESTIONS = 60
MAX_OPTIONS = 20
SHORT_TEXT = 300
LONG_TEXT = 4000
TITLE_LENGTH = 300
# The plan items a survey may stand as evidence for (September knowledge, April competences, May usage).
PLAN_ITEMS = (1, 9, 26)
# Who may create surveys, load the templates, and read results of the surveys they manage.
KEEPER_ROLES = ("responsible", "wg_chair", "hr", "deputy_director")
# Named surveys are interviews recorded on a staff member's behalf (plan item 9) by these roles.
INTERVIEWER_ROLES = ("hr", "deputy_director")
AUDIENCE_ROLES = (
    "staff",
    "director",
    "wg_chair",
    "wg_deputy",
    "wg_member",
    "responsible",
    "ict",
    "lawyer",
    "deputy_director",
    "hr",
    "commission",
    "council",
)


Texts = dict[str, str]  # by language


@dataclass(frozen=True)
class Option:
    value: str
    text: Texts


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Texts
    options: tuple[Option, ...] = ()
    required: bool = True
    dont_know: bool = False
    low: Texts = field(default_factory=dict)  # the scale's labelled ends
    high: Texts = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "text": dict(self.text),
            "required": self.required,
            "dont_know": self.dont_know,
        }
        if self.type in CHOICE_TYPES:
            body["options"] = [{"value": o.value, "text": dict(o.text)} for o in self.options]
        if self.type == "scale":
            body["low"], body["high"] = dict(self.low), dict(self.high)
        return body


def signature(q: Question) -> tuple[str, str]:
    """What makes two surveys' questions the same question for a comparison: the kind of answer and the
    Kazakh wording (September's knowledge survey and May's usage survey share their scale of confidence,
    the forbidden uses and the training needs, though they are different templates)."""
    return q.type, " ".join(q.text.get("kk", "").split()).casefold()


def matching(mine: Sequence[Question], theirs: Sequence[Question]) -> dict[str, str]:
    """Question id in `mine` → id of the same question in `theirs`."""
    by_signature = {signature(q): q.id for q in theirs}
    return {q.id: by_signature[signature(q)] for q in mine if signature(q) in by_signature}


def localized(texts: Mapping[str, str], lang: str) -> str:
    """The text in `lang`, else Kazakh, else any language that has one."""
    return str(texts.get(lang) or texts.get("kk") or next((v for v in texts.values() if v), ""))


def _texts(raw: Any, errors: dict[str, FieldError], prefix: str, *, required: bool = True) -> Texts:
    """kk and ru are required (the school's two languages), en optional; each at most 1000 characters."""
    raw = raw if isinstance(raw, Mapping) else {}
    out: Texts = {}
    for lang in LANGS:
        value = str(raw.get(lang) or "").strip()
        if len(value) > 1000:
            errors[f"{prefix}_{lang}"] = FieldError("max_length", {"limit": 1000})
        elif not value and required and lang != "en":
            errors[f"{prefix}_{lang}"] = FieldError("required")
        out[lang] = value
    return out


def read_questions(raw: Any) -> list[Question]:
    """Questions from their stored or submitted form; problems by field (`q-<n>-<name>`), 422."""
    if not isinstance(raw, list):
        raise ValidationFailed({"questions": FieldError("type")})
    errors: dict[str, FieldError] = {}
    if not raw:
        errors["questions"] = FieldError("required")
    if len(raw) > MAX_QUESTIONS:
        errors["questions"] = FieldError("maximum", {"limit": MAX_QUESTIONS})
    questions: list[Question] = []
    for n, item in enumerate(raw[:MAX_QUESTIONS]):
        p = f"q-{n}"
        item = item if isinstance(item, Mapping) else {}
        kind = str(item.get("type") or "")
        if kind not in QUESTION_TYPES:
            errors[f"{p}-type"] = FieldError("enum")
        text = _texts(item.get("text"), errors, f"{p}-text")
        options: list[Option] = []
        if kind in CHOICE_TYPES:
            given = item.get("options")
            raw_options: list[Any] = given if isinstance(given, list) else []
            if len(raw_options) < 2:
                errors[f"{p}-options_kk"] = FieldError("options_min")
            if len(raw_options) > MAX_OPTIONS:
                errors[f"{p}-options_kk"] = FieldError("maximum", {"limit": MAX_OPTIONS})
            for m, option in enumerate(raw_options[:MAX_OPTIONS]):
                option = option if isinstance(option, Mapping) else {}
                option_errors: dict[str, FieldError] = {}
                texts = _texts(option.get("text"), option_errors, f"{p}-options")
                errors.update(option_errors)
                options.append(Option(str(option.get("value") or f"o{m + 1}")[:40], texts))
            if len({o.value for o in options}) != len(options) or DONT_KNOW in {o.value for o in options}:
                errors[f"{p}-options_kk"] = FieldError("invalid")
        low = high = {}
        if kind == "scale":
            low = _texts(item.get("low"), errors, f"{p}-low")
            high = _texts(item.get("high"), errors, f"{p}-high")
        questions.append(
            Question(
                id=f"q{n + 1}",
                type=kind,
                text=text,
                options=tuple(options),
                required=bool(item.get("required", True)),
                dont_know=bool(item.get("dont_know")) and kind in DONT_KNOW_TYPES,
                low=low,
                high=high,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return questions


@dataclass(frozen=True)
class SurveyFields:
    """The survey's own fields as an owner submits them (questions apart)."""

    title: Texts
    intro: Texts
    privacy: str
    audience_roles: tuple[str, ...]
    audience_people: tuple[str, ...]  # usernames
    opens_on: date
    closes_on: date
    plan_item: int | None
    template_key: str


def _day(raw: Any, name: str, errors: dict[str, FieldError]) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[name] = FieldError("required" if not raw else "date")
        return None


def read_fields(data: Mapping[str, Any], today: date) -> SurveyFields:
    errors: dict[str, FieldError] = {}
    title = _texts(data.get("title"), errors, "title")
    for lang in LANGS:
        if len(title[lang]) > TITLE_LENGTH:
            errors[f"title_{lang}"] = FieldError("max_length", {"limit": TITLE_LENGTH})
    intro = _texts(data.get("intro"), errors, "intro", required=False)
    privacy = str(data.get("privacy") or "")
    if privacy not in PRIVACY_MODES:
        errors["privacy"] = FieldError("enum")
    roles = tuple(sorted({str(r) for r in _list(data.get("audience_roles"))}))
    if any(r not in AUDIENCE_ROLES for r in roles):
        errors["audience_roles"] = FieldError("enum")
    people = tuple(sorted({str(p).strip() for p in _list(data.get("audience_people")) if str(p).strip()}))
    if not roles and not people:
        errors["audience_roles"] = FieldError("required")
    opens_on = _day(data.get("opens_on"), "opens_on", errors)
    closes_on = _day(data.get("closes_on"), "closes_on", errors)
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = FieldError("closes_before_opens")
    if closes_on and closes_on < today and "closes_on" not in errors:
        errors["closes_on"] = FieldError("date_past")
    plan_item: int | None = None
    raw_item = str(data.get("plan_item") or "").strip()
    if raw_item:
        if not raw_item.isdigit() or int(raw_item) not in PLAN_ITEMS:
            errors["plan_item"] = FieldError("enum")
        else:
            plan_item = int(raw_item)
    if errors:
        raise ValidationFailed(errors)
    assert opens_on is not None and closes_on is not None
    return SurveyFields(
        title=title,
        intro=intro,
        privacy=privacy,
        audience_roles=roles,
        audience_people=people,
        opens_on=opens_on,
        closes_on=closes_on,
        plan_item=plan_item,
        template_key=str(data.get("template_key") or "")[:60],
    )


def _list(raw: Any) -> list[Any]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [part for part in raw.replace("\n", ",").split(",") if part.strip()]
    return list(raw) if isinstance(raw, list | tuple) else [raw]


# --- answers ---------------------------------------------------------------------------------------


def clean_answers(questions: Sequence[Question], data: Mapping[str, Any]) -> dict[str, Any]:
    """An answer keyed by question id; problems by question id (422). Unknown keys are refused."""
    errors: dict[str, FieldError] = {}
    ids = {q.id for q in questions}
    for key in data:
        if key not in ids:
            errors[str(key)[:40]] = FieldError("unknown_field")
    cleaned: dict[str, Any] = {}
    for q in questions:
        value = _one_answer(q, data.get(q.id), errors)
        if value is not None:
            cleaned[q.id] = value
        elif q.required and q.id not in errors:
            errors[q.id] = FieldError("required")
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _one_answer(q: Question, raw: Any, errors: dict[str, FieldError]) -> Any:
    """The cleaned value, or None for no answer (an error recorded when the value is wrong)."""
    if raw is None or raw == "" or raw == []:
        return None
    allowed = {o.value for o in q.options} | ({DONT_KNOW} if q.dont_know else set())
    if q.type == "single":
        value = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
        if not isinstance(value, str) or value not in allowed:
            errors[q.id] = FieldError("enum")
            return None
        return value
    if q.type == "multiple":
        values = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(v, str) and v in allowed for v in values):
            errors[q.id] = FieldError("enum")
            return None
        if DONT_KNOW in values and len(set(values)) > 1:
            errors[q.id] = FieldError("invalid")
            return None
        return sorted(
            set(values), key=lambda v: [o.value for o in q.options].index(v) if v != DONT_KNOW else 99
        )
    if q.type == "scale":
        if q.dont_know and raw == DONT_KNOW:
            return DONT_KNOW
        number = _int(raw)
        if number is None or number not in SCALE:
            errors[q.id] = FieldError("enum")
            return None
        return number
    if q.type == "number":
        value = _number(raw)
        if value is None:
            errors[q.id] = FieldError("type")
            return None
        if not -1_000_000 <= value <= 1_000_000:
            errors[q.id] = FieldError("maximum", {"limit": 1_000_000})
            return None
        return value
    limit = SHORT_TEXT if q.type == "short_text" else LONG_TEXT
    if not isinstance(raw, str):
        errors[q.id] = FieldError("type")
        return None
    text = raw.strip()
    if len(text) > limit:
        errors[q.id] = FieldError("max_length", {"limit": limit})
        return None
    return text or None


def _int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def form_answers(questions: Sequence[Question], form: Mapping[str, list[str]]) -> dict[str, Any]:
    """A page's form (every field a list of strings) as the answer's shape."""
    data: dict[str, Any] = {}
    for q in questions:
        values = [v for v in form.get(q.id, []) if v != ""]
        if not values:
            continue
        data[q.id] = values if q.type == "multiple" else values[0]
    return data


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    value: str
    label: Texts
    count: int


@dataclass(frozen=True)
class QuestionResult:
    """One question's figures; `shown` False when fewer than MIN_GROUP answered it (no figures then)."""

    question: Question
    answered: int
    shown: bool
    counts: tuple[Count, ...] = ()  # choices and scale points, "I don't know" last
    numbers: Mapping[str, float] = field(default_factory=dict)  # n, min, q1, median, q3, max, mean
    texts: tuple[str, ...] = ()  # free texts, sorted (their order must not follow the answers')


def question_result(q: Question, answers: Sequence[Mapping[str, Any]]) -> QuestionResult:
    values = [a[q.id] for a in answers if q.id in a]
    answered = len(values)
    if answered < MIN_GROUP:
        return QuestionResult(q, answered, False)
    dont_know = {"kk": "Білмеймін", "ru": "Не знаю", "en": "I don't know"}
    if q.type in CHOICE_TYPES:
        chosen: list[str] = [v for value in values for v in (value if isinstance(value, list) else [value])]
        counts = [Count(o.value, o.text, chosen.count(o.value)) for o in q.options]
        if q.dont_know:
            counts.append(Count(DONT_KNOW, dont_know, chosen.count(DONT_KNOW)))
        return QuestionResult(q, answered, True, tuple(counts))
    if q.type == "scale":
        counts = [Count(str(p), {lang: str(p) for lang in LANGS}, values.count(p)) for p in SCALE]
        if q.dont_know:
            counts.append(Count(DONT_KNOW, dont_know, values.count(DONT_KNOW)))
        points = [float(v) for v in values if v != DONT_KNOW]
        return QuestionResult(q, answered, True, tuple(counts), summary(points) if points else {})
    if q.type == "number":
        return QuestionResult(q, answered, True, numbers=summary([float(v) for v in values]))
    return QuestionResult(q, answered, True, texts=tuple(sorted(str(v) for v in values)))


def summary(values: Sequence[float]) -> dict[str, float]:
    """n, min, quartiles (inclusive method: the quartiles lie within the data), median, max, mean."""
    ordered = sorted(values)
    if len(ordered) >= 2:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = median = q3 = ordered[0]
    return {
        "n": float(len(ordered)),
        "min": ordered[0],
        "q1": q1,
        "median": median,
        "q3": q3,
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


@dataclass(frozen=True)
class RoleParticipation:
    role: str
    audience: int
    responded: int | None  # None: fewer than MIN_GROUP responded in this role (not shown)


@dataclass(frozen=True)
class Results:
    audience: int
    responded: int
    shown: bool  # False: fewer than MIN_GROUP answers in all, or an anonymous survey still open
    by_role: tuple[RoleParticipation, ...]
    questions: tuple[QuestionResult, ...]
    # An anonymous survey shows figures only once closed: figures read before and after one person's
    # answer would differ by exactly that answer, and who has answered by then is known.
    until_closed: bool = False


def results(
    questions: Sequence[Question],
    answers: Sequence[Mapping[str, Any]],
    audience: int,
    responded: int,
    by_role: Mapping[str, tuple[int, int]],
    *,
    until_closed: bool = False,
) -> Results:
    """The figures an owner may see: `by_role` is role → (audience, responded); `until_closed` hides
    every figure of an anonymous survey still open (participation counts stay)."""
    shown = len(answers) >= MIN_GROUP and not until_closed
    roles = tuple(
        RoleParticipation(role, size, done if done >= MIN_GROUP else None)
        for role, (size, done) in sorted(by_role.items())
    )
    per_question = tuple(question_result(q, answers if shown else []) for q in questions)
    return Results(audience, responded, shown, roles, per_question, until_closed)


def share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0
