"""The inbox: my tasks, my roles' claimable tasks, and (for overseers) all tasks."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.platform.errors import ValidationFailed
from service.platform.inbox import cursor
from service.platform.inbox import tasks as task_cases
from service.platform.inbox.access import sees_all_tasks
from service.platform.inbox.queries import TaskFilter, total_is_exact
from service.platform.notify import news as inbox_news
from service.platform.web.campaigns import pending_rows
from service.platform.web.context import actor, runtime
from service.platform.web.i18n import current_language
from service.platform.web.params import page_number

bp = Blueprint("inbox", __name__)
PAGE_SIZE = 50


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    me = actor()
    news = [n for n in inbox_news.my_notifications(runtime(), me, limit=20) if n.unread][:5]
    return render_template(
        "inbox/home.html",
        home=task_cases.landing(runtime(), me),
        news=news,
        kinds=runtime().features.notification_kinds,
    )


@bp.route("/inbox")
@login_required
def tasks() -> ResponseReturnValue:
    me = actor()
    scope = request.args.get("scope", "mine")
    if scope not in ("mine", "roles", "all"):
        scope = "mine"
    status = request.args.get("status", "open")
    if status not in ("open", "completed", "cancelled"):
        status = "open"
    page = page_number(request.args)  # shown as "2 / 7"; the rows come from the cursor when there is one
    try:
        where = cursor.parse(request.args.get("cursor"))
    except ValidationFailed:
        where, page = None, 1  # a mangled link starts over rather than failing
    flt = TaskFilter(
        scope=scope,
        status=status,
        limit=PAGE_SIZE,
        offset=0 if where else (page - 1) * PAGE_SIZE,
        cursor=where,
    )
    listing = task_cases.list_tasks(runtime(), me, flt)
    rows, total = listing.rows, listing.total
    # Acknowledgements and surveys (campaigns) are kept outside the engine: shown above my tasks.
    show_campaigns = scope == "mine" and status == "open" and page == 1
    return render_template(
        "inbox/inbox.html",
        campaign_rows=pending_rows(runtime(), me, current_language()) if show_campaigns else [],
        rows=rows,
        total=total,
        scope=scope,
        status=status,
        page=page,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        more_pages=not total_is_exact(flt, total),  # counting stopped: the last page is further on
        next_cursor=listing.after.token() if listing.after else None,
        previous_cursor=listing.before.token() if listing.before else None,
        sees_all=sees_all_tasks(me),
    )


@bp.route("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    rows = inbox_news.my_notifications(runtime(), actor())
    kinds = runtime().features.notification_kinds  # the features' own kinds draw themselves
    return render_template("inbox/notifications.html", rows=rows, kinds=kinds)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read() -> ResponseReturnValue:
    inbox_news.mark_all_read(runtime(), actor())
    return redirect(url_for("inbox.notifications"))
