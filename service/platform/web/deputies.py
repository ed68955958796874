"""Out of office: the page where a person (or the admin for them) names a deputy for a date range."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import ValidationFailed
from service.platform.inbox import deputies
from service.platform.web.context import actor, runtime
from service.platform.web.i18n import field_messages

bp = Blueprint("deputies", __name__)


def _page(form: dict[str, str], errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    rows = deputies.listing(runtime(), actor())
    people = deputies.colleagues(runtime())
    return render_template("auth/deputies.html", rows=rows, form=form, errors=errors, people=people), status


@bp.route("/deputies")
@login_required
def page() -> ResponseReturnValue:
    return _page({"absent": actor().username}, {})


@bp.route("/deputies", methods=["POST"])
@login_required
def create() -> ResponseReturnValue:
    me = actor()
    form = {k: request.form.get(k, "") for k in ("absent", "deputy", "starts_on", "ends_on")}
    if not me.is_admin or not form["absent"].strip():
        form["absent"] = me.username  # only the admin names a deputy for someone else
    try:
        made = deputies.name_deputy(
            runtime(), me, form["absent"], form["deputy"], form["starts_on"], form["ends_on"]
        )
    except ValidationFailed as err:
        return _page(form, field_messages(err.fields), 422)
    flash(
        _("%(deputy)s stands in for %(absent)s.", deputy=made.deputy_name, absent=made.absent_name), "success"
    )
    return redirect(url_for("deputies.page"))


@bp.route("/deputies/<int:substitution_id>/cancel", methods=["POST"])
@login_required
def cancel(substitution_id: int) -> ResponseReturnValue:
    deputies.cancel(runtime(), actor(), substitution_id)
    flash(_("The substitution has ended."), "success")
    return redirect(url_for("deputies.page"))
