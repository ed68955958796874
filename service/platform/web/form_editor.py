"""The form editor pages: a form's JSON Schema with a live preview drawn by the task page's macros."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.processes import form_editor
from service.platform.web.admin import admin_only
from service.platform.web.context import actor, runtime
from service.platform.web.form_messages import form_problem_texts
from service.platform.web.i18n import current_language

bp = Blueprint("form_editor", __name__, url_prefix="/admin/forms")


@bp.route("")
@login_required
@admin_only
def index() -> ResponseReturnValue:
    return render_template("editor/forms.html", rows=form_editor.list_forms(runtime(), actor()))


@bp.route("/<key>")
@login_required
@admin_only
def edit(key: str) -> ResponseReturnValue:
    if request.args.get("new"):
        schema = form_editor.BLANK_FORM
    else:
        schema = form_editor.get_form(runtime(), actor(), key)
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    return render_template("editor/form.html", key=key, text=text, schema=schema, problems=[])


@bp.route("/<key>", methods=["POST"])
@login_required
@admin_only
def save(key: str) -> ResponseReturnValue:
    text = request.form.get("schema", "")
    parsed = form_editor.save_form(runtime(), actor(), key, text)
    if parsed.problems or parsed.schema is None:
        return render_template(
            "editor/form.html",
            key=key,
            text=text,
            schema=parsed.schema,
            problems=form_problem_texts(parsed.problems),
        ), 422
    flash(_("Form saved."), "success")
    return redirect(url_for("form_editor.edit", key=key))


@bp.route("/preview", methods=["POST"])
@login_required
@admin_only
def preview() -> ResponseReturnValue:
    parsed = form_editor.parse(
        request.get_data(as_text=True), tuple(runtime().features.suggestion_sources)
    )
    return render_template(
        "editor/form_preview.html",
        schema=parsed.schema,
        problems=form_problem_texts(parsed.problems),
        lang=current_language(),
    )
