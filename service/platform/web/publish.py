"""The region publishes a process version to every school: the versions page's button and its API route."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import FieldError, ValidationFailed
from service.platform.processes import publish as publishing
from service.platform.web import schemas
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
from service.platform.web.context import actor, runtime
from service.platform.web.deploy_messages import problem_rows, problem_text, warning_rows, warning_text
from service.platform.web.params import bounded_int

bp = Blueprint("publish", __name__)
api_bp = Blueprint("publish_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


@bp.route("/admin/editor/<process_id>/publish", methods=["POST"])
@login_required
def publish_page(process_id: str) -> ResponseReturnValue:
    """The region's "Publish to every school" button: the active version, or the one the form names."""
    version = bounded_int(request.form.get("version"))
    done = publishing.publish(runtime(), actor(), process_id, version)
    reached = [o for o in done.schools if o.changed]
    flash(
        _(
            "Version %(version)s is published: %(count)s schools got it as their new version.",
            version=done.version,
            count=len(reached),
        ),
        "success",
    )
    for o in done.schools:
        if o.replaced_own is not None:
            flash(
                _(
                    "%(school)s had its own version %(own)s active; it is kept as an older version and "
                    "the school's admins were told.",
                    school=o.school,
                    own=o.replaced_own,
                ),
                "info",
            )
        if o.problems:
            reasons = "; ".join(problem_text(p) for p in o.problems[:3])
            flash(_("%(school)s could not take it: %(reason)s", school=o.school, reason=reasons), "error")
        for warning in o.warnings:
            flash(warning_text(warning, o.school), "warning")
    return redirect(url_for("editor.versions_page", process_id=process_id))


def _version(body: dict[str, Any]) -> int | None:
    value = body.get("version")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 2**31 - 1:
        raise ValidationFailed({"version": FieldError("type")})
    return value


@api_bp.post("/processes/<process_id>/publish")
def publish_api(process_id: str) -> ResponseReturnValue:
    """Publish the region's version (the active one unless `version` is given) to every school."""
    done = publishing.publish(runtime(), api_actor(), process_id, _version(json_body()))
    return answer(
        schemas.Publication(
            process_id=done.process_id,
            version=done.version,
            schools=[
                schemas.PublishedSchool(
                    school=o.school,
                    version=o.version,
                    changed=o.changed,
                    replaced_own=o.replaced_own,
                    problems=[schemas.DeployProblem(**row) for row in problem_rows(o.problems)],
                    warnings=[schemas.DeployWarning(**row) for row in warning_rows(o.warnings, o.school)],
                )
                for o in done.schools
            ],
        )
    )
