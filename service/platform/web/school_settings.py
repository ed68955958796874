"""The admin's page of school settings (deadlines, voting rules), and `GET|PUT /api/v1/settings`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from service.platform import schools, settings
from service.platform.errors import FieldError, ValidationFailed
from service.platform.web import schemas
from service.platform.web.admin import admin_only
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, json_body
from service.platform.web.context import actor, runtime
from service.platform.web.i18n import current_language, field_messages

bp = Blueprint("school_settings", __name__)
api_bp = Blueprint("school_settings_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def _page(
    typed: dict[str, str], errors: dict[str, str], status: int = 200, school: dict[str, str] | None = None
) -> ResponseReturnValue:
    rows = settings.listing(runtime(), actor())
    lang = current_language()
    info = schools.current_identity(runtime(), actor())
    shown = school or {
        "name_kk": info.name_kk if info else "",
        "name_ru": info.name_ru if info else "",
        "timezone": info.timezone if info else "",
    }
    defaults = {"name": runtime().default_school_name or "Мектеп", "timezone": runtime().default_timezone}
    return render_template(
        "admin/settings.html",
        rows=rows,
        typed=typed,
        errors=errors,
        lang=lang,
        school=shown,
        defaults=defaults,
    ), status


@bp.route("/admin/settings/school", methods=["POST"])
@login_required
@admin_only
def save_school() -> ResponseReturnValue:
    typed = {name: request.form.get(name, "") for name in ("name_kk", "name_ru", "timezone")}
    try:
        schools.change_identity(runtime(), actor(), typed["name_kk"], typed["name_ru"], typed["timezone"])
    except ValidationFailed as err:
        flash(_("Nothing was saved: correct the marked settings."), "error")
        return _page({}, field_messages(err.fields), 422, school=typed)
    flash(_("Saved."), "success")
    return redirect(url_for("school_settings.page"))


@bp.route("/admin/settings")
@login_required
@admin_only
def page() -> ResponseReturnValue:
    return _page({}, {})


@bp.route("/admin/settings", methods=["POST"])
@login_required
@admin_only
def save() -> ResponseReturnValue:
    names = runtime().features.settings
    typed = {name: request.form.get(name, "") for name in names if name in request.form}
    try:
        changed = settings.change(runtime(), actor(), typed)
    except ValidationFailed as err:
        flash(_("Nothing was saved: correct the marked settings."), "error")
        return _page(typed, field_messages(err.fields), 422)
    if changed:
        flash(_("Saved: %(count)s settings changed.", count=len(changed)), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("school_settings.page"))


def _rows(lang: str) -> schemas.SettingList:
    return schemas.SettingList(
        settings=[
            schemas.SchoolSetting(
                name=r.name,
                kind=r.setting.kind,
                label=r.setting.labels.get(lang) or r.setting.labels.get("kk") or r.name,
                value=r.value,
                source=r.source,
                default=r.setting.default,
                choices=list(r.setting.choices),
                updated_by=r.updated_by,
                updated_at=r.updated_at,
            )
            for r in settings.listing(runtime(), api_actor())
        ]
    )


@api_bp.get("/settings")
def list_api() -> ResponseReturnValue:
    return answer(_rows(api_actor().language))


@api_bp.put("/settings")
def change_api() -> ResponseReturnValue:
    """`{"values": {name: value}}`; an empty value goes back to the environment's or the default."""
    me = api_actor()
    me.require_admin()
    values: Any = json_body().get("values")
    if not isinstance(values, dict):
        raise ValidationFailed({"values": FieldError("required")})
    bad = {str(k): FieldError("type") for k, v in values.items() if not isinstance(v, str)}
    if bad:
        raise ValidationFailed(bad)
    settings.change(runtime(), me, {str(k): str(v) for k, v in values.items()})
    return answer(_rows(me.language))
