"""Processes to start, my instances, and an instance's page with its timeline."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import ValidationFailed
from service.platform.inbox import cancel as cancel_cases
from service.platform.inbox import cursor
from service.platform.inbox import instances as instance_cases
from service.platform.inbox import tasks as task_cases
from service.platform.timers import wake as timers
from service.platform.web.context import actor, runtime
from service.platform.web.params import page_number

bp = Blueprint("instances", __name__)


@bp.route("/processes")
@login_required
def processes() -> ResponseReturnValue:
    startable = instance_cases.startable(runtime(), actor())
    return render_template("instances/processes.html", definitions=startable)


@bp.route("/processes/<process_id>/start", methods=["POST"])
@login_required
def start(process_id: str) -> ResponseReturnValue:
    instance_id = instance_cases.start_process(runtime(), actor(), process_id)
    view = instance_cases.get_instance(runtime(), actor(), instance_id)
    mine = [t for t in view.open_tasks if t.assignee_id == actor().id]
    if mine:
        return redirect(url_for("tasks.show", task_id=mine[0].id))
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.route("/instances")
@login_required
def index() -> ResponseReturnValue:
    page = page_number(request.args)  # shown as "2 / 7"; the rows come from the cursor when there is one
    try:
        where = cursor.parse(request.args.get("cursor"), timed=False)
    except ValidationFailed:
        where, page = None, 1  # a mangled link starts over rather than failing
    listing = instance_cases.list_instances(
        runtime(), actor(), limit=50, offset=0 if where else (page - 1) * 50, cursor=where
    )
    return render_template(
        "instances/list.html",
        rows=listing.rows,
        total=listing.total,
        page=page,
        pages=max(page, (listing.total + 49) // 50),
        more_pages=not listing.exact,
        next_cursor=listing.after.token() if listing.after else None,
        previous_cursor=listing.before.token() if listing.before else None,
    )


@bp.route("/instances/<int:instance_id>")
@login_required
def show(instance_id: int) -> ResponseReturnValue:
    view = instance_cases.get_instance(runtime(), actor(), instance_id)
    return render_template("instances/show.html", v=view)


@bp.route("/instances/<int:instance_id>/comments", methods=["POST"])
@login_required
def comment(instance_id: int) -> ResponseReturnValue:
    try:
        task_cases.add_comment(runtime(), actor(), instance_id, request.form.get("body", ""))
    except ValidationFailed:
        flash(_("Write a comment first (at most 5000 characters)."), "error")
    return redirect(url_for("instances.show", instance_id=instance_id) + "#comments")


@bp.route("/instances/<int:instance_id>/retry", methods=["POST"])
@login_required
def retry(instance_id: int) -> ResponseReturnValue:
    me = actor()
    timers.retry_instance(runtime(), me.username, me.is_admin, instance_id)
    flash(_("The process was run again from its last saved state."), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.route("/instances/<int:instance_id>/cancel", methods=["POST"])
@login_required
def cancel(instance_id: int) -> ResponseReturnValue:
    try:
        cancel_cases.cancel_instance(runtime(), actor(), instance_id, request.form.get("reason", ""))
    except ValidationFailed:
        flash(_("Write why the process is cancelled (at most 2000 characters)."), "error")
        return redirect(url_for("instances.show", instance_id=instance_id))
    flash(_("The process was cancelled; its open tasks are closed."), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))
