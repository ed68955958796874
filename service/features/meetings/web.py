"""Meeting pages: the register, calling a meeting, one meeting (agenda, attendance, decisions, approval,
addenda), the quarter's calendar, follow-up tasks, and the minutes and register as files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.dates import get_day_names
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from service.features.meetings import exports as meeting_exports
from service.features.meetings import followups, links, reads, rules, schedule
from service.features.meetings import usecases as cases
from service.features.meetings.queries import MeetingFilter
from service.platform.clock import utcnow
from service.platform.errors import BadRequest, ServiceError, ValidationFailed
from service.platform.registry import ExportColumn, ExportTable, NavLink
from service.platform.roles import ROLES
from service.platform.web import exports
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import FIELD_MESSAGES, field_messages
from service.platform.web.params import bounded_int, page_number

bp = Blueprint("meetings", __name__)
PAGE_SIZE = 50

FIELD_MESSAGES.update(
    {
        "not_present": lazy_gettext("Only people marked present can vote."),
        "too_many_votes": lazy_gettext("More votes than people present."),
    }
)
KIND_LABELS: dict[str, Any] = {
    "working_group": lazy_gettext("Working group meeting"),
    "council": lazy_gettext("Council meeting"),
    "training": lazy_gettext("Training seminar"),
    "class_hour": lazy_gettext("Class hour"),
    "parents": lazy_gettext("Parents' meeting"),
    "other": lazy_gettext("Other meeting"),
}
STATUS_LABELS: dict[str, Any] = {
    "planned": lazy_gettext("minutes not approved"),
    "approved": lazy_gettext("minutes approved"),
    "cancelled": lazy_gettext("meeting cancelled"),
}
FOLLOWUP_LABELS: dict[str, Any] = {
    "open": lazy_gettext("open"),
    "done": lazy_gettext("done"),
    "cancelled": lazy_gettext("cancelled"),
}
VOTE_LABELS: dict[str, Any] = {
    "none": lazy_gettext("no vote"),
    "counts": lazy_gettext("vote by counts"),
    "named": lazy_gettext("named vote (council)"),
}
CHOICE_LABELS: dict[str, Any] = {
    "for": lazy_gettext("for"),
    "against": lazy_gettext("against"),
    "abstain": lazy_gettext("abstain"),
}


def register_filter(limit: int = PAGE_SIZE) -> MeetingFilter:
    args = request.args
    kind = args.get("kind") or None
    raw_year = (args.get("year") or "").strip()
    year = bounded_int(raw_year, 2100)
    if raw_year and (year is None or year < 2000):
        raise BadRequest(_("Choose a year between 2000 and 2100."))  # a filter that is no year at all
    return MeetingFilter(
        kind=kind,
        year=year,
        search=(args.get("q") or "").strip()[:100] or None,
        limit=limit,
        offset=(page_number(args) - 1) * limit,
    )


def _labels() -> dict[str, Any]:
    return {
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "followup_labels": FOLLOWUP_LABELS,
        "votes": VOTE_LABELS,
        "choices": CHOICE_LABELS,
    }


@bp.route("/meetings")
@login_required
def index() -> ResponseReturnValue:
    flt = register_filter()
    page = reads.list_meetings(runtime(), actor(), flt)
    args = {k: v for k, v in request.args.items() if k != "page"}
    today = cases.today(runtime())
    return render_template(
        "meetings/list.html",
        p=page,
        flt=flt,
        args=args,
        page=flt.offset // PAGE_SIZE + 1,
        pages=max(1, (page.total + PAGE_SIZE - 1) // PAGE_SIZE),
        years=list(range(today.year + 1, today.year - 5, -1)),
        quarter=rules.quarter_of(today),
        year=today.year,
        **_labels(),
    )


def _agenda_rows(form: MultiDict[str, str]) -> list[dict[str, str]]:
    """The agenda's repeated inputs as rows; a row left wholly empty is not an item."""
    columns = ("title", "presenter", "link_kind", "link_ref")
    lists = [form.getlist(f"agenda_{c}") for c in columns]
    rows = []
    for values in zip(*lists, strict=False):
        row = dict(zip(columns, values, strict=True))
        if any(v.strip() for k, v in row.items() if k != "link_kind") or (row["link_ref"] or "").strip():
            rows.append(row)
    return rows


def meeting_data(form: MultiDict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k, "") for k in form}
    data["invitees"] = form.getlist("invitees")
    data["invited_roles"] = form.getlist("invited_roles")
    data["agenda"] = _agenda_rows(form)
    return data


def _sources() -> list[tuple[str, str]]:
    """The kinds of record an agenda item may link, named in the page's language."""
    from service.platform.web.i18n import current_language

    lang = current_language()
    return [(k, names.get(lang) or names["kk"]) for k, names in links.kinds(runtime()).items()]


def _new_form(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "meetings/new.html",
            values=values,
            errors=errors,
            people=reads.people(runtime(), actor()),
            roles=[r.code for r in ROLES if r.code != "admin"],
            sources=_sources(),
            **_labels(),
        ),
        status,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    me = actor()
    if request.method == "GET":
        kind = request.args.get("kind", "working_group")
        plan_item = request.args.get("plan_item", "")
        return _new_form(
            {
                "kind": kind,
                "chair": me.username,
                "secretary": me.username,
                "plan_item": plan_item,
                "agenda": [{}],
            },
            {},
        )
    data = meeting_data(request.form)
    try:
        meeting_id = cases.create_meeting(runtime(), me, data)
    except ValidationFailed as err:
        return _new_form({**data, "agenda": data["agenda"] or [{}]}, field_messages(err.fields), 422)
    flash(_("The meeting has been called and the invitations sent."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id))


def _show(
    meeting_id: int,
    form: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    rt = runtime()
    view = reads.get_meeting(rt, actor(), meeting_id, utcnow(), cases.today(rt))
    return (
        render_template(
            "meetings/show.html",
            v=view,
            m=view.meeting,
            form=form,
            values=values or {},
            errors=errors or {},
            people=reads.people(rt, actor()) if view.may_edit else [],
            sources=_sources(),
            local_start=view.meeting.starts_at.astimezone(rt.tz).strftime("%Y-%m-%dT%H:%M"),
            current_agenda=[
                {
                    "title": iv.item.title,
                    "presenter": iv.item.presenter,
                    "link_kind": iv.item.link_kind or "",
                    "link_ref": iv.item.link_ref or "",
                }
                for iv in view.items
            ],
            today=cases.today(rt).isoformat(),
            **_labels(),
        ),
        status,
    )


@bp.route("/meetings/<int:meeting_id>")
@login_required
def show(meeting_id: int) -> ResponseReturnValue:
    return _show(meeting_id)


def _attendance_data(form: MultiDict[str, str]) -> dict[str, Any]:
    rows = [
        {"username": u, "present": form.get(f"present_{u}") == "yes", "reason": form.get(f"reason_{u}", "")}
        for u in form.getlist("listed")
        if form.get(f"present_{u}") in ("yes", "no")
    ]
    return {"attendance": rows, "external_present": form.get("external_present", "")}


def _decision_data(form: MultiDict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k, "") for k in ("item_id", "heard", "discussion", "text", "vote")}
    data.update({k: form.get(k, "") for k in ("votes_for", "votes_against", "votes_abstain")})
    if data["vote"] == "named":
        data["named_votes"] = {
            k.removeprefix("named_"): v for k, v in form.items() if k.startswith("named_") and v
        }
    columns = ("assignee", "due_on", "text")
    lists = [form.getlist(f"followup_{c}") for c in columns]
    data["followups"] = [
        dict(zip(columns, values, strict=True))
        for values in zip(*lists, strict=False)
        if any(v.strip() for v in values)
    ]
    return data


# What each form of the meeting page sends and does, and what the person is told after it.
_STEPS: dict[str, tuple[Callable[[MultiDict[str, str]], dict[str, Any]], Callable[..., Any], Any]] = {
    "agenda": (
        lambda f: {"agenda": _agenda_rows(f)},
        cases.change_agenda,
        lazy_gettext("The agenda has been changed and the invitees told."),
    ),
    "attendance": (
        _attendance_data,
        cases.record_attendance,
        lazy_gettext("The attendance has been recorded."),
    ),
    "decision": (_decision_data, cases.record_decision, lazy_gettext("The decision has been recorded.")),
    "reschedule": (
        lambda f: {k: f.get(k, "") for k in ("starts_at", "place", "online_link")},
        schedule.reschedule,
        lazy_gettext("The meeting has been moved and the invitees told."),
    ),
    "cancel": (
        lambda f: {"reason": f.get("reason", "")},
        schedule.cancel,
        lazy_gettext("The meeting has been cancelled and the invitees told."),
    ),
    "addendum": (
        lambda f: {"text": f.get("text", "")},
        cases.add_addendum,
        lazy_gettext("The addendum has been added to the minutes."),
    ),
}


@bp.route(
    "/meetings/<int:meeting_id>/<any(agenda, attendance, decision, addendum, reschedule, cancel):step>",
    methods=["POST"],
)
@login_required
def change(meeting_id: int, step: str) -> ResponseReturnValue:
    read, act, done = _STEPS[step]
    data = read(request.form)
    try:
        act(runtime(), actor(), meeting_id, data)
    except ValidationFailed as err:
        values = {**request.form.to_dict(), **data}
        return _show(meeting_id, step, values, field_messages(err.fields), 422)
    flash(str(done), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id) + f"#{step}")


@bp.route("/meetings/<int:meeting_id>/decisions/<int:decision_id>/remove", methods=["POST"])
@login_required
def remove_decision(meeting_id: int, decision_id: int) -> ResponseReturnValue:
    cases.remove_decision(runtime(), actor(), meeting_id, decision_id)
    flash(_("The decision has been removed and its tasks withdrawn."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/approve", methods=["POST"])
@login_required
def approve(meeting_id: int) -> ResponseReturnValue:
    number = cases.approve(runtime(), actor(), meeting_id)
    flash(_("The minutes are approved as № %(number)s.", number=number), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/minutes.<any(pdf, docx):fmt>")
@login_required
def minutes(meeting_id: int, fmt: str) -> ResponseReturnValue:
    produced = reads.minutes_file(runtime(), actor(), meeting_id, fmt)
    return attachment(produced.content, produced.mimetype, produced.filename)


@bp.route("/meetings/calendar")
@login_required
def quarter() -> ResponseReturnValue:
    today = cases.today(runtime())
    year = bounded_int(request.args.get("year") or "", 2100) or today.year
    q = bounded_int(request.args.get("quarter") or "", 4) or rules.quarter_of(today)
    months = reads.quarter_calendar(runtime(), actor(), year, q)
    prev = (year, q - 1) if q > 1 else (year - 1, 4)
    nxt = (year, q + 1) if q < 4 else (year + 1, 1)
    return render_template(
        "meetings/calendar.html",
        months=months,
        month_names=[format_date(m.first, "LLLL yyyy") for m in months],
        # Monday first, as the weeks are laid out (Babel's table is keyed 0 = Monday, in the locale's order).
        day_names=[str(get_day_names("abbreviated", locale=str(get_locale()))[d]) for d in range(7)],
        year=year,
        quarter=q,
        prev=prev,
        next=nxt,
        today=today,
        **_labels(),
    )


@bp.route("/meetings/followups")
@login_required
def tracker() -> ResponseReturnValue:
    t = followups.tracker(runtime(), actor(), cases.today(runtime()))
    return render_template("meetings/followups.html", t=t, **_labels())


def _followup_page(followup_id: int, errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    view = followups.get_followup(runtime(), actor(), followup_id, cases.today(runtime()))
    return render_template(
        "meetings/followup.html", f=view, errors=errors, values=request.form, **_labels()
    ), status


@bp.route("/meetings/followups/<int:followup_id>", methods=["GET", "POST"])
@login_required
def followup(followup_id: int) -> ResponseReturnValue:
    if request.method == "GET":
        return _followup_page(followup_id, {})
    try:
        followups.complete(runtime(), actor(), followup_id, {"note": request.form.get("note", "")})
    except ValidationFailed as err:
        return _followup_page(followup_id, field_messages(err.fields), 422)
    flash(_("The task is marked done."), "success")
    return redirect(url_for("meetings.followup", followup_id=followup_id))


@bp.route("/meetings/followups/<int:followup_id>/remind", methods=["POST"])
@login_required
def remind(followup_id: int) -> ResponseReturnValue:
    sent, meeting_id = followups.remind(runtime(), actor(), followup_id)
    flash(_("Reminders sent: %(count)s", count=sent), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id))


# The register's export: kinds and statuses by the names the register page shows.
EXPORT = ExportTable(
    filename="meetings",
    sheet=lazy_gettext("Meetings"),
    columns=(
        ExportColumn("id", lazy_gettext("No.")),
        ExportColumn("kind", lazy_gettext("Kind"), labels=KIND_LABELS),
        ExportColumn("number", lazy_gettext("Number")),
        ExportColumn("year", lazy_gettext("Year")),
        ExportColumn("date", lazy_gettext("Date"), kind="date"),
        ExportColumn("time", lazy_gettext("Time"), kind="time"),
        ExportColumn("title", lazy_gettext("Title")),
        ExportColumn("place", lazy_gettext("Place")),
        ExportColumn("chair", lazy_gettext("Chair")),
        ExportColumn("secretary", lazy_gettext("Secretary")),
        ExportColumn("status", lazy_gettext("Status"), labels=STATUS_LABELS),
        ExportColumn("plan_item", lazy_gettext("Plan item")),
        ExportColumn("approved_at", lazy_gettext("Minutes approved"), kind="moment"),
    ),
)


@bp.route("/meetings/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str) -> ResponseReturnValue:
    rows = meeting_exports.export_rows(runtime(), actor(), register_filter(limit=10_000))
    return exports.export("meetings", rows, fmt)


NAV = (NavLink("meetings.index", lazy_gettext("Meetings")),)


def _conflict(message: Any) -> Callable[[ServiceError], tuple[str, dict[str, Any]]]:
    return lambda err: (str(message), {})


ERROR_MESSAGES: dict[str, Callable[[ServiceError], tuple[str, dict[str, Any]]]] = {
    "minutes_approved": _conflict(
        lazy_gettext("The minutes are approved and no longer change; add a numbered addendum instead.")
    ),
    "meeting_started": _conflict(lazy_gettext("The meeting has started: its agenda no longer changes.")),
    "minutes_not_approved": _conflict(
        lazy_gettext("The minutes are not approved yet: change them directly instead of adding an addendum.")
    ),
    "minutes_incomplete": _conflict(lazy_gettext("Record the attendance before approving the minutes.")),
    "meeting_cancelled": _conflict(lazy_gettext("The meeting was cancelled: it has no minutes to change.")),
}
