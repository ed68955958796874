"""The form editor pages: a builder of fields and the JSON Schema behind it, with a live preview drawn by
the task page's macros in the language chosen above it."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.forms.checks import FormProblem
from service.platform.forms.schema import LANGS
from service.platform.processes import form_editor
from service.platform.web.admin import admin_only
from service.platform.web.context import actor, runtime
from service.platform.web.form_messages import form_problem_text, form_problem_texts
from service.platform.web.i18n import current_language

bp = Blueprint("form_editor", __name__, url_prefix="/admin/forms")


@bp.route("")
@login_required
@admin_only
def index() -> ResponseReturnValue:
    return render_template("editor/forms.html", rows=form_editor.list_forms(runtime(), actor()))


def _builder_texts() -> dict[str, str]:
    """The builder's words in the admin's language (the page's script has none of its own)."""
    return {
        "builder": _("Fields"),
        "json": _("JSON (for experts)"),
        "form_title": _("Form title"),
        "field": _("Field"),
        "type": _("Type"),
        "name": _("Name in the data"),
        "name_taken": _("Another field already has this name, or it is empty; the field keeps its old name."),
        "label": _("Label"),
        "help": _("Help"),
        "required": _("Required"),
        "options": _("Options"),
        "option_value": _("Value"),
        "add_option": _("Add an option"),
        "add_field": _("Add a field"),
        "remove": _("Remove"),
        "up": _("Move up"),
        "down": _("Move down"),
        "min_length": _("At least (characters)"),
        "max_length": _("At most (characters)"),
        "minimum": _("Smallest value"),
        "maximum": _("Largest value"),
        "min_items": _("At least (items)"),
        "max_items": _("At most (items)"),
        "whole": _("Whole numbers only"),
        "condition": _("Only when the field"),
        "condition_none": _("— always —"),
        "condition_values": _("has the value"),
        "hide_otherwise": _("Hide the field otherwise"),
        "yes": _("Yes"),
        "no": _("No"),
        "bad_json": _("The JSON cannot be read; correct it before going back to the fields."),
        "kind_text": _("Short text"),
        "kind_textarea": _("Long text"),
        "kind_radio": _("Choice (buttons)"),
        "kind_select": _("Choice (list)"),
        "kind_checkboxes": _("Several choices"),
        "kind_checkbox": _("Yes / no"),
        "kind_date": _("Date"),
        "kind_number": _("Number"),
        "kind_list": _("List of texts"),
        "kind_rows": _("Table of rows (columns in the JSON view)"),
        "kind_file": _("File"),
    }


def _problems_by_field(problems: list[FormProblem]) -> tuple[dict[str, list[str]], list[str]]:
    """The problems said next to their field, and those about the whole form."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        name = problem.params.get("field")
        if name:
            by_field.setdefault(name, []).append(form_problem_text(problem))
        else:
            general.append(form_problem_text(problem))
    return by_field, general


def _edit_page(
    key: str, text: str, schema: Any, problems: list[FormProblem], status: int, view: str = "builder"
) -> ResponseReturnValue:
    by_field, general = _problems_by_field(problems)
    uses = next((r.uses for r in form_editor.list_forms(runtime(), actor()) if r.key == key), ())
    config = {
        "texts": _builder_texts(),
        "langs": list(LANGS),
        "fieldProblems": by_field,
        "view": view,
    }
    return render_template(
        "editor/form.html",
        key=key,
        text=text,
        schema=schema,
        problems=form_problem_texts(problems),
        general_problems=general,
        field_problems=by_field,
        uses=uses,
        config=config,
        lang=current_language(),
        langs=LANGS,
    ), status


@bp.route("/<key>")
@login_required
@admin_only
def edit(key: str) -> ResponseReturnValue:
    if request.args.get("new"):
        schema = form_editor.BLANK_FORM
    else:
        schema = form_editor.get_form(runtime(), actor(), key)
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    return _edit_page(key, text, schema, [], 200)


@bp.route("/<key>", methods=["POST"])
@login_required
@admin_only
def save(key: str) -> ResponseReturnValue:
    text = request.form.get("schema", "")
    parsed = form_editor.save_form(runtime(), actor(), key, text)
    if parsed.problems or parsed.schema is None:
        # The page comes back with exactly the text sent: the builder reads it again, nothing is lost.
        view = "json" if request.form.get("view") == "json" else "builder"  # the view the admin was in
        return _edit_page(key, text, parsed.schema, parsed.problems, 422, view)
    flash(_("Form saved."), "success")
    return redirect(url_for("form_editor.edit", key=key))


@bp.route("/preview", methods=["POST"])
@login_required
@admin_only
def preview() -> ResponseReturnValue:
    parsed = form_editor.parse(request.get_data(as_text=True), tuple(runtime().features.suggestion_sources))
    problems = form_problem_texts(parsed.problems)  # in the admin's language
    lang = request.args.get("lang") or current_language()
    if lang not in LANGS:
        lang = current_language()
    with force_locale(lang):  # the form's own words (— choose —, One item per line) as its reader sees them
        return render_template("editor/form_preview.html", schema=parsed.schema, problems=problems, lang=lang)
