"""The survey editor: a plain form (no JSON), questions added, removed and moved with buttons.

Each button posts the whole form; the page comes back with the change made and nothing lost, and only
"Save" stores the draft (one use case, one transaction). Options are written one per line, in each
language, so a keeper never sees an option's internal value or an English key.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from service.features.surveys import rules
from service.features.surveys import usecases as cases
from service.platform.errors import ValidationFailed
from service.platform.web.context import actor, runtime
from service.platform.web.i18n import field_messages

bp = Blueprint("surveys_editor", __name__)

TYPE_LABELS: dict[str, Any] = {
    "single": lazy_gettext("One choice"),
    "multiple": lazy_gettext("Several choices"),
    "scale": lazy_gettext("Scale from 1 to 5"),
    "number": lazy_gettext("A number"),
    "short_text": lazy_gettext("Short text"),
    "long_text": lazy_gettext("Long text"),
}
LANG_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
BLANK = {"type": "single", "text": {}, "options": [], "required": True, "dont_know": False}


def _texts(form: MultiDict[str, str], prefix: str) -> dict[str, str]:
    return {lang: form.get(f"{prefix}_{lang}", "").strip() for lang in rules.LANGS}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def form_data(form: MultiDict[str, str]) -> dict[str, Any]:
    """The submitted editor as a survey's data (the shape the API takes)."""
    questions: list[dict[str, Any]] = []
    raw_count = form.get("count", "")
    # How many question blocks the page had (a hidden field): anything else counts as none.
    count = min(int(raw_count), rules.MAX_QUESTIONS) if raw_count.isdigit() and len(raw_count) < 4 else 0
    for n in range(count):
        p = f"q-{n}"
        per_lang = {lang: _lines(form.get(f"{p}-options_{lang}", "")) for lang in rules.LANGS}
        width = max(len(v) for v in per_lang.values())
        options = [
            {
                "value": f"o{m + 1}",
                "text": {
                    lang: (per_lang[lang][m] if m < len(per_lang[lang]) else "") for lang in rules.LANGS
                },
            }
            for m in range(width)
        ]
        questions.append(
            {
                "type": form.get(f"{p}-type", ""),
                "text": _texts(form, f"{p}-text"),
                "options": options,
                "low": _texts(form, f"{p}-low"),
                "high": _texts(form, f"{p}-high"),
                "required": form.get(f"{p}-required") == "1",
                "dont_know": form.get(f"{p}-dont_know") == "1",
            }
        )
    return {
        "title": _texts(form, "title"),
        "intro": _texts(form, "intro"),
        "privacy": form.get("privacy", ""),
        "audience_roles": form.getlist("audience_roles"),
        "audience_people": form.getlist("audience_people"),
        "opens_on": form.get("opens_on", ""),
        "closes_on": form.get("closes_on", ""),
        "plan_item": form.get("plan_item", ""),
        "questions": questions,
    }


def _apply(data: dict[str, Any], op: str) -> bool:
    """Add, remove or move a question in place; False when `op` is "save" (or unknown)."""
    questions: list[dict[str, Any]] = data["questions"]
    if op == "add" and len(questions) < rules.MAX_QUESTIONS:
        questions.append(dict(BLANK))
        return True
    verb, _sep, index = op.partition("-")
    if not index.isdigit() or int(index) >= len(questions):
        return False
    i = int(index)
    if verb == "remove":
        questions.pop(i)
    elif verb == "up" and i > 0:
        questions[i - 1], questions[i] = questions[i], questions[i - 1]
    elif verb == "down" and i + 1 < len(questions):
        questions[i + 1], questions[i] = questions[i], questions[i + 1]
    else:
        return verb in ("up", "down")
    return True


def _page(
    data: dict[str, Any], errors: dict[str, str], survey_id: int | None, status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "surveys/edit.html",
            data=data,
            errors=errors,
            survey_id=survey_id,
            types=TYPE_LABELS,
            langs=LANG_LABELS,
            roles=rules.AUDIENCE_ROLES,
            plan_items=rules.PLAN_ITEMS,
            staff=cases.staff_choices(runtime(), actor()),
            choice_types=rules.CHOICE_TYPES,
        ),
        status,
    )


def _submit(survey_id: int | None) -> ResponseReturnValue:
    data = form_data(request.form)
    if _apply(data, request.form.get("op", "save")):
        return _page(data, {}, survey_id)
    try:
        if survey_id is None:
            survey_id = cases.create(runtime(), actor(), data)
        else:
            cases.update(runtime(), actor(), survey_id, data)
    except ValidationFailed as err:
        return _page(data, field_messages(err.fields), survey_id, 422)
    flash(_("The survey has been saved."), "success")
    return redirect(url_for("surveys_editor.edit", survey_id=survey_id))


@bp.route("/surveys/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    if request.method == "POST":
        return _submit(None)
    today = cases.today(runtime())
    data = cases.template_data("ai_knowledge", today)
    blank = {
        **data,
        "title": {},
        "intro": {},
        "plan_item": "",
        "template_key": "",
        "questions": [dict(BLANK)],
    }
    cases.staff_choices(runtime(), actor())  # keepers only (403 before showing the form)
    return _page(blank, {}, None)


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@login_required
def edit(survey_id: int) -> ResponseReturnValue:
    if request.method == "POST":
        return _submit(survey_id)
    return _page(cases.editable_data(runtime(), actor(), survey_id), {}, survey_id)
