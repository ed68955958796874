"""Out of office: the page and the /api/v1 routes where a person (or the admin for them) names a deputy."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import FieldError, ValidationFailed
from service.platform.inbox import deputies
from service.platform.web import schemas
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
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


api_bp = Blueprint("deputies_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def _row(view: deputies.SubstitutionView) -> schemas.Substitution:
    return schemas.Substitution(
        id=view.id,
        absent=view.absent,
        absent_name=view.absent_name,
        deputy=view.deputy,
        deputy_name=view.deputy_name,
        starts_on=view.starts_on.isoformat(),
        ends_on=view.ends_on.isoformat(),
        created_by=view.created_by,
        active=view.active,
    )


@api_bp.get("/deputies")
def list_api() -> ResponseReturnValue:
    """Substitutions not yet over: mine (away or deputy), everyone's for the admin."""
    rows = deputies.listing(runtime(), api_actor())
    return answer(schemas.SubstitutionList(substitutions=[_row(r) for r in rows]))


@api_bp.post("/deputies")
def create_api() -> ResponseReturnValue:
    """`{"deputy", "starts_on", "ends_on", "absent"?}` (dates YYYY-MM-DD; `absent` defaults to me)."""
    me = api_actor()
    body = json_body()
    fields = {k: body.get(k) for k in ("absent", "deputy", "starts_on", "ends_on")}
    bad = {k: FieldError("type") for k, v in fields.items() if v is not None and not isinstance(v, str)}
    if bad:
        raise ValidationFailed(bad)
    made = deputies.name_deputy(
        runtime(),
        me,
        str(fields["absent"] or me.username),
        str(fields["deputy"] or ""),
        str(fields["starts_on"] or ""),
        str(fields["ends_on"] or ""),
    )
    return answer(_row(made), 201)


@api_bp.post("/deputies/<int:substitution_id>/cancel")
def cancel_api(substitution_id: int) -> ResponseReturnValue:
    deputies.cancel(runtime(), api_actor(), substitution_id)
    return answer(
        schemas.SubstitutionList(substitutions=[_row(r) for r in deputies.listing(runtime(), api_actor())])
    )
