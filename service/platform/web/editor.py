"""The process editor pages: bpmn-js modeler, check and deploy, versions, rollback, diff, instance diagram."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import InvalidBpmn
from service.platform.processes import editor, form_editor
from service.platform.processes import publish as publishing
from service.platform.processes.operators import operator_names
from service.platform.roles import ROLES, parse_lane, role_name
from service.platform.web.admin import admin_only
from service.platform.web.context import actor, runtime
from service.platform.web.deploy_messages import problem_rows, warning_rows, warning_text
from service.platform.web.downloads import attachment
from service.platform.web.i18n import current_language, localized_title
from service.platform.web.params import bounded_int
from service.platform.web.timeline import localized_diagram

bp = Blueprint("editor", __name__)

# bpmn-js sets inline styles on the canvas it draws; scripts stay 'self' only.
DIAGRAM_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
DIAGRAM_PAGES = frozenset(
    {"editor.modeler", "editor.new_process", "editor.diff_page", "editor.versions_page", "instances.show"}
)
DECISIONS = ("approve", "return", "reject")


@bp.after_app_request
def _diagram_csp(response: Response) -> Response:
    if request.endpoint in DIAGRAM_PAGES:
        response.headers["Content-Security-Policy"] = DIAGRAM_CSP
    return response


def _xml_response(xml: bytes, filename: str | None = None) -> Response:
    if filename:
        return attachment(xml, "application/xml", filename)
    return Response(xml, mimetype="application/xml")


def _texts() -> dict[str, str]:
    return {
        "load_failed": _("The diagram could not be loaded."),
        "checking": _("Checking…"),
        "clean": _("No problems: the diagram can be deployed."),
        "has_problems": _("The diagram has problems; they are marked on it."),
        "has_warnings": _("The diagram can be deployed, but read the warnings below."),
        "deployed_with_warnings": _(
            "Deployed as version %(version)s; read the warnings below.", version="%(version)s"
        ),
        "deploying": _("Deploying…"),
        "not_deployed": _("Not deployed; the active version stays."),
        "deployed": _("Deployed as version %(version)s.", version="%(version)s"),
        "unchanged": _("Nothing changed: this is the active version."),
        "not_loaded": _("The file could not be opened."),
        "loaded": _("Opened %(name)s; check and deploy it.", name="%(name)s"),
        "line": _("line"),
        "select_element": _("Select an element to edit its properties."),
        "executable": _("Executable: the service may run this process"),
        "name": _("Name"),
        "lane_role": _("Role of the lane"),
        "form": _("Form"),
        "due_in": _("Deadline"),
        "assign_to": _("Assign to (data variable)"),
        "operator": _("Operator"),
        "result_variable": _("Result variable"),
        "timer": _("Timer duration"),
        "timer_expression": _("Timer expression"),
        "decision": _("Decision taken"),
        "condition": _("Condition"),
        "parameters": _("Parameters"),
        "parameter_name": _("Parameter name"),
        "parameter_value": _('Expression, e.g. "draft"'),
        "add_parameter": _("Add a parameter"),
        "days": _("days"),
        "hours": _("hours"),
        "minutes": _("minutes"),
    }


def _modeler_page(process_id: str, version: int | None, xml_url: str) -> str:
    rt = runtime()
    lang = current_language()
    forms = form_editor.list_forms(rt, actor())
    config: dict[str, Any] = {
        "processId": process_id,
        "version": version,
        "csrf": "",
        "urls": {
            "xml": xml_url,
            "check": url_for("editor.check"),
            "deploy": url_for("editor.deploy"),
            "layout": url_for("editor.layout"),
        },
        "roles": [[r.code, r.name(lang)] for r in ROLES],
        "forms": [row.key for row in forms],
        "formTitles": {row.key: row.title for row in forms},  # the properties panel names forms by title
        "operators": sorted(operator_names(rt)),
        "decisions": list(DECISIONS),
        "texts": _texts(),
    }
    return render_template("editor/modeler.html", process_id=process_id, version=version, config=config)


@bp.route("/admin/editor/new")
@login_required
@admin_only
def new_process() -> ResponseReturnValue:
    pid = (request.args.get("process_id") or "new_process").strip()
    return _modeler_page(pid, None, url_for("editor.blank_xml", process_id=pid))


@bp.route("/admin/editor/new.bpmn")
@login_required
@admin_only
def blank_xml() -> ResponseReturnValue:
    return _xml_response(editor.blank(actor(), request.args.get("process_id") or "new_process"))


@bp.route("/admin/editor/<process_id>")
@login_required
@admin_only
def modeler(process_id: str) -> ResponseReturnValue:
    version = bounded_int(request.args.get("version"))
    shown, _xml = editor.diagram(runtime(), actor(), process_id, version)  # 404 before the page
    return _modeler_page(
        process_id, shown, url_for("editor.version_xml", process_id=process_id, version=shown)
    )


@bp.route("/admin/editor/<process_id>/v<int:version>.bpmn")
@login_required
@admin_only
def version_xml(process_id: str, version: int) -> ResponseReturnValue:
    shown, xml = editor.diagram(runtime(), actor(), process_id, version)
    download = f"{process_id}_v{shown}.bpmn" if request.args.get("download") else None
    return _xml_response(xml, download)


@bp.route("/admin/editor/layout", methods=["POST"])
@login_required
@admin_only
def layout() -> ResponseReturnValue:
    return _xml_response(editor.with_layout(actor(), request.get_data()))


@bp.route("/admin/editor/check", methods=["POST"])
@login_required
@admin_only
def check() -> ResponseReturnValue:
    report = editor.check(runtime(), actor(), request.get_data())
    # Warnings never make it not ok: Deploy would go ahead.
    return jsonify(
        {
            "ok": not report.problems,
            "problems": problem_rows(report.problems),
            "warnings": warning_rows(report.warnings),
        }
    )


@bp.route("/admin/editor/deploy", methods=["POST"])
@login_required
@admin_only
def deploy() -> ResponseReturnValue:
    try:
        outcome = editor.deploy_xml(
            runtime(),
            actor(),
            request.get_data(),
            request.args.get("note", ""),
            replace=request.args.get("replace", "").lower() in ("1", "true", "yes"),
        )
    except InvalidBpmn as err:
        return jsonify({"error": "invalid_bpmn", "problems": problem_rows(err.problems)}), 422
    body = {
        "id": outcome.process_id,
        "version": outcome.version,
        "changed": outcome.changed,
        "warnings": warning_rows(outcome.warnings),
    }
    return jsonify(body), 201 if outcome.changed else 200


@bp.route("/admin/editor/<process_id>/versions")
@login_required
@admin_only
def versions_page(process_id: str) -> ResponseReturnValue:
    rows = editor.versions(runtime(), actor(), process_id)
    may_publish = publishing.may_publish(runtime(), actor())
    return render_template("editor/versions.html", process_id=process_id, rows=rows, may_publish=may_publish)


@bp.route("/admin/editor/<process_id>/v<int:version>/rollback", methods=["POST"])
@login_required
@admin_only
def rollback(process_id: str, version: int) -> ResponseReturnValue:
    try:
        outcome = editor.rollback(runtime(), actor(), process_id, version, request.form.get("note", ""))
    except InvalidBpmn as err:
        flash(
            _(
                "Version %(version)s cannot be deployed again: %(reason)s",
                version=version,
                reason=err.message,
            ),
            "error",
        )
        return redirect(url_for("editor.versions_page", process_id=process_id))
    if outcome.changed:
        flash(
            _("Version %(old)s is deployed again as version %(new)s.", old=version, new=outcome.version),
            "success",
        )
    else:
        flash(_("Nothing changed: this is the active version."), "info")
    for warning in outcome.warnings:  # deployed all the same, as an upload is
        flash(warning_text(warning), "warning")
    return redirect(url_for("editor.versions_page", process_id=process_id))


@bp.route("/admin/editor/<process_id>/diff")
@login_required
@admin_only
def diff_page(process_id: str) -> ResponseReturnValue:
    old = bounded_int(request.args.get("old")) or 1
    new = bounded_int(request.args.get("new")) or old
    data = editor.diff(runtime(), actor(), process_id, old, new)
    return render_template(
        "editor/diff.html",
        process_id=process_id,
        data=data,
        url=url_for("editor.diff_json", process_id=process_id, old=old, new=new),
    )


@bp.route("/admin/editor/<process_id>/diff.json")
@login_required
@admin_only
def diff_json(process_id: str) -> ResponseReturnValue:
    old = bounded_int(request.args.get("old")) or 1
    new = bounded_int(request.args.get("new")) or old
    return jsonify(editor.diff(runtime(), actor(), process_id, old, new))


@bp.route("/instances/<int:instance_id>/diagram.json")
@login_required
def instance_diagram(instance_id: int) -> ResponseReturnValue:
    view = editor.instance_steps(runtime(), actor(), instance_id)
    lang = current_language()
    holders: dict[str, list[str]] = {}
    history: dict[str, list[str]] = {}
    for task in view.tasks:
        title = localized_title(task.title_i18n, lang, task.name)
        if task.status == "open":
            role = ", ".join(role_name(code, lang) for code in parse_lane(task.role)) or "—"
            who = task.assignee.full_name if task.assignee else _("role: %(role)s", role=role)
            holders.setdefault(task.bpmn_id, []).append(who)
            history.setdefault(task.bpmn_id, []).append(
                _(
                    "%(task)s: open since %(at)s, held by %(who)s",
                    task=title,
                    at=_stamp(task.created_at),
                    who=who,
                )
            )
        elif task.status == "completed":
            who = task.completed_by.full_name if task.completed_by else "—"
            history.setdefault(task.bpmn_id, []).append(
                _(
                    "%(task)s: completed by %(who)s at %(at)s",
                    task=title,
                    who=who,
                    at=_stamp(task.completed_at),
                )
            )
        else:
            history.setdefault(task.bpmn_id, []).append(
                _(
                    "%(task)s: withdrawn at %(at)s",
                    task=title,
                    at=_stamp(task.completed_at or task.created_at),
                )
            )
    return jsonify(
        {
            "xml": localized_diagram(view.xml, view.forms, lang),
            "completed": view.completed,
            "current": [{"id": step, "holders": holders.get(step, [])} for step in view.current],
            "history": history,
        }
    )


def _stamp(value: Any) -> str:
    from service.platform.web.templating import _dt

    return _dt(value, "short") if value else "—"
