"""Admin pages: users and their roles, process definitions with their versions, BPMN upload."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.auth import accounts
from service.platform.errors import Conflict, Forbidden, InvalidBpmn, ValidationFailed
from service.platform.processes import catalog as processes
from service.platform.processes import deploy
from service.platform.web.context import actor, runtime
from service.platform.web.deploy_messages import warning_text
from service.platform.web.i18n import field_messages

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_only(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not actor().is_admin:
            raise Forbidden("admin only")
        return view(*args, **kwargs)

    return wrapper


@bp.route("/users")
@login_required
@admin_only
def users() -> ResponseReturnValue:
    return render_template(
        "admin/users.html",
        users=accounts.list_users(runtime(), actor()),
        locked=accounts.locked_usernames(runtime(), actor()),
        roles=accounts.assignable_roles(runtime()),
        form={},
        errors={},
    )


@bp.route("/users", methods=["POST"])
@login_required
@admin_only
def create_user() -> ResponseReturnValue:
    form = {k: request.form.get(k, "") for k in ("username", "full_name", "email", "language")}
    roles = request.form.getlist("roles")
    try:
        accounts.create_user(
            runtime(),
            actor(),
            form["username"].strip(),
            form["full_name"],
            request.form.get("password", ""),
            roles=roles,
            email=form["email"] or None,
            language=form["language"] or "kk",
        )
    except ValidationFailed as err:
        return render_template(
            "admin/users.html",
            users=accounts.list_users(runtime(), actor()),
            roles=accounts.assignable_roles(runtime()),
            form={**form, "roles": roles},
            errors=field_messages(err.fields),
        ), 422
    except Conflict:
        return render_template(
            "admin/users.html",
            users=accounts.list_users(runtime(), actor()),
            roles=accounts.assignable_roles(runtime()),
            form={**form, "roles": roles},
            errors={"username": _("A user with this name exists.")},
        ), 409
    flash(_("User created."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<username>/roles", methods=["POST"])
@login_required
@admin_only
def set_roles(username: str) -> ResponseReturnValue:
    accounts.set_roles(runtime(), actor(), username, request.form.getlist("roles"))
    flash(_("Roles saved."), "success")
    return redirect(url_for("admin.users") + f"#user-{username}")


@bp.route("/users/<username>/active", methods=["POST"])
@login_required
@admin_only
def set_active(username: str) -> ResponseReturnValue:
    handed = accounts.set_active(runtime(), actor(), username, request.form.get("active") == "1")
    if handed.to_roles or handed.to_admins:
        flash(
            _(
                "The account is closed. Its open tasks: %(roles)s went back to their roles; %(admins)s "
                "were given to this person alone and wait in the notifications to be handed on.",
                roles=handed.to_roles,
                admins=handed.to_admins,
            ),
            "success",
        )
    return redirect(url_for("admin.users") + f"#user-{username}")


@bp.route("/users/<username>/unlock", methods=["POST"])
@login_required
@admin_only
def unlock(username: str) -> ResponseReturnValue:
    accounts.unlock(runtime(), actor(), username)
    flash(_("The account can sign in again."), "success")
    return redirect(url_for("admin.users") + f"#user-{username}")


@bp.route("/processes")
@login_required
@admin_only
def process_list() -> ResponseReturnValue:
    return render_template("admin/processes.html", rows=processes.versions(runtime(), actor()), problems=None)


@bp.route("/processes", methods=["POST"])
@login_required
@admin_only
def upload() -> ResponseReturnValue:
    storage = request.files.get("bpmn")
    if storage is None or not storage.filename:
        flash(_("Choose a .bpmn file."), "error")
        return redirect(url_for("admin.process_list"))
    try:
        outcome = deploy.deploy_bpmn(
            runtime(), actor(), storage.read(), storage.filename, request.form.get("note", "")
        )
    except InvalidBpmn as err:
        return render_template(
            "admin/processes.html",
            rows=processes.versions(runtime(), actor()),
            problems=err.problems,
            filename=storage.filename,
        ), 422
    if outcome.changed:
        flash(
            _(
                "Deployed %(process)s version %(version)s.",
                process=outcome.process_id,
                version=outcome.version,
            ),
            "success",
        )
    else:
        flash(_("Nothing changed: this is the active version."), "info")
    for warning in outcome.warnings:  # deployed all the same: what to set right comes after
        flash(warning_text(warning), "warning")
    return redirect(url_for("admin.process_list"))
