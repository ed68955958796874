"""Moving running instances to another version: the admin's page and its /api/v1 route."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform.errors import FieldError, ValidationFailed
from service.platform.processes import migrations as moves
from service.platform.web import schemas
from service.platform.web.admin import admin_only
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
from service.platform.web.context import actor, runtime
from service.platform.web.params import bounded_int

bp = Blueprint("migrations", __name__)
api_bp = Blueprint("migrations_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def reason_text(row: moves.MoveRow, request_: moves.MigrationRequest) -> str:
    """Why an instance cannot move, in the reader's language ("" when it can)."""
    step, old, new = row.reason_step, request_.from_version, request_.to_version
    texts = {
        "waiting_step_removed": _(
            "The step it is waiting on, «%(step)s», is not in version %(version)s. "
            "Map it to a step of the new version to move it.",
            step=step,
            version=new,
        ),
        "passed_step_removed": _(
            "The step «%(step)s» it has passed is not in version %(version)s, so its history "
            "could not be kept.",
            step=step,
            version=new,
        ),
        "form_changed": _(
            "The form of the step it is waiting on, «%(step)s», is different in version %(version)s. "
            "Map the step to move it anyway.",
            step=step,
            version=new,
        ),
        "called_process_missing": _(
            "The process it has called, «%(step)s», is not part of version %(version)s.",
            step=step,
            version=new,
        ),
        "not_on_version": _("It is no longer running on version %(version)s.", version=old),
        "move_failed": _("Version %(version)s could not run it; it stays as it was.", version=new),
        "cannot_read": _("Its saved state could not be read; it stays as it was."),
    }
    return texts.get(row.reason or "", "") if row.reason else ""


def change_text(change: moves.Change) -> str:
    if change.kind == "renamed":
        return _("«%(old)s» is now called «%(new)s»", old=change.name, new=change.new_name)
    if change.kind == "form":
        return _("«%(old)s» takes the form of «%(new)s»", old=change.name, new=change.new_name)
    if change.kind == "added":
        return _("new step «%(name)s»", name=change.name)
    return _("step «%(name)s» removed", name=change.name)


def _ids(value: Any) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValidationFailed({"instance_ids": FieldError("type")})
    return [int(v) for v in value]


def _version(body: dict[str, Any], name: str, problems: dict[str, FieldError]) -> int:
    value = body.get(name)
    if value is None:
        problems[name] = FieldError("required")
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 2**31 - 1:
        problems[name] = FieldError("type")
        return 0
    return value


def _mapping(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationFailed({"mapping": FieldError("type")})
    return dict(value)


@api_bp.post("/processes/<process_id>/migrations")
def migrate_api(process_id: str) -> ResponseReturnValue:
    """Dry run (the default) or move running instances of `from_version` to `to_version` (admin)."""
    me = api_actor()
    me.require_admin()
    body = json_body()
    problems: dict[str, FieldError] = {}
    from_version = _version(body, "from_version", problems)
    to_version = _version(body, "to_version", problems)
    if from_version and from_version == to_version:
        problems["to_version"] = FieldError("same_version")  # said with the other fields' problems
    dry_run = body.get("dry_run", True)
    if not isinstance(dry_run, bool):
        problems["dry_run"] = FieldError("type")
    if problems:
        raise ValidationFailed(problems)
    request_ = moves.MigrationRequest(
        process_id,
        from_version,
        to_version,
        instance_ids=_ids(body.get("instance_ids")),
        mapping=_mapping(body.get("mapping")),
        dry_run=bool(dry_run),
    )
    rows = moves.migrate(runtime(), me, request_)
    return answer(
        schemas.MigrationResult(
            dry_run=request_.dry_run,
            instances=[
                schemas.MigrationRow(
                    id=r.instance_id,
                    can_move=r.can_move,
                    reason=reason_text(r, request_) or None,
                    reason_code=r.reason,
                    moved=r.moved,
                    waiting=list(r.waiting),
                    changes=[change_text(c) for c in r.changes],
                )
                for r in rows
            ],
        )
    )


def _form_mapping(missing: list[tuple[str, str]]) -> dict[str, str]:
    """The page's mapping: one select per missing step, named map-<BPMN id>."""
    chosen = {old: request.values.get(f"map-{old}", "") for old, _ in missing}
    return {old: new for old, new in chosen.items() if new}


@bp.route("/admin/editor/<process_id>/migrate", methods=["GET", "POST"])
@login_required
@admin_only
def page(process_id: str) -> ResponseReturnValue:
    """The dry run of every running instance of an older version, and the move of the ticked ones."""
    rt, me = runtime(), actor()
    versions = moves.running_versions(rt, me, process_id)
    active = moves.active_version(rt, me, process_id)
    older = [(v, n) for v, n in versions if v != active]
    from_version = bounded_int(request.values.get("from")) or (older[0][0] if older else 0)
    to_version = bounded_int(request.values.get("to")) or active
    context: dict[str, Any] = {
        "process_id": process_id,
        "versions": older,
        "active": active,
        "from_version": from_version,
        "to_version": to_version,
        "rows": [],
        "steps": None,
        "mapping": {},
        "reason_text": reason_text,
        "change_text": change_text,
    }
    if not older or from_version == to_version:
        return render_template("editor/migrate.html", **context)
    steps = moves.version_steps(rt, me, process_id, from_version, to_version)
    mapping = _form_mapping(steps.missing)
    status = 200
    if request.method == "POST":
        selected = [int(v) for v in request.form.getlist("instance") if v.isdigit()]
        if not selected:
            flash(_("Tick the instances to move."), "error")
            status = 422
        else:
            moved = moves.migrate(
                rt,
                me,
                moves.MigrationRequest(
                    process_id, from_version, to_version, selected, mapping, dry_run=False
                ),
            )
            done = sum(1 for r in moved if r.moved)
            flash(
                _(
                    "Moved to version %(version)s: %(done)s of %(total)s.",
                    version=to_version,
                    done=done,
                    total=len(moved),
                ),
                "success" if done == len(moved) else "error",
            )
            context["result"] = moved
    request_ = moves.MigrationRequest(process_id, from_version, to_version, None, mapping, dry_run=True)
    context.update(rows=moves.migrate(rt, me, request_), steps=steps, mapping=mapping, request_=request_)
    return render_template("editor/migrate.html", **context), status
