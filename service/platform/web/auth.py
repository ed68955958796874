"""Sign-in and sign-out, the language switch, and the profile page with API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from service.platform.auth import accounts
from service.platform.errors import ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import User
from service.platform.web.api_request import is_token_call
from service.platform.web.context import LANGUAGES, actor, runtime
from service.platform.web.extensions import login_manager
from service.platform.web.i18n import field_messages

bp = Blueprint("auth", __name__)


class LoginUser(UserMixin):
    """Flask-Login's view of a user; the model stays in `.user`."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = user.id

    def get_id(self) -> str:
        return str(self.user.id)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""

    @login_manager.user_loader
    def _load(user_id: str) -> LoginUser | None:
        if not user_id.isdigit():
            return None
        user = accounts.load_user(runtime(), int(user_id))
        return LoginUser(user) if user else None

    @app.before_request
    def _enter_school() -> None:
        # Everything this request reads or writes is the signed-in person's school's (or, for an API
        # call, the token's: `api_request.authenticate` enters it). Nobody signed in: no school acts.
        g.school_scope = tenancy.enter(None)
        if is_token_call(request):
            return  # the token names the person and the school (`api_request.authenticate`): no cookie user
        if current_user.is_authenticated:
            tenancy.enter(current_user.user.school_id)

    @app.teardown_request
    def _leave_school(_error: BaseException | None) -> None:
        token = g.pop("school_scope", None)
        if token is not None:
            tenancy.leave(token)


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths, so a crafted link cannot send people elsewhere after sign-in.
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return url_for("inbox.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    error = None
    username = ""
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        result = accounts.authenticate(runtime(), username, password, request.remote_addr or "?")
        if result.user is not None:
            login_user(LoginUser(result.user))
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        if result.throttled:
            when = format_time(result.retry_at, "short") if result.retry_at else ""
            error = _("Too many failed attempts for this account. Try again after %(time)s.", time=when)
            status = 429
        else:
            error, status = _("Wrong username or password."), 401
    return render_template("auth/login.html", error=error, username=username), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    lang = request.form.get("lang", "kk")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_language(runtime(), actor(), lang)
            current_user.user.language = lang
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/profile/password", methods=["POST"])
@login_required
def change_password() -> ResponseReturnValue:
    try:
        accounts.change_password(
            runtime(), actor(), request.form.get("current_password", ""), request.form.get("new_password", "")
        )
    except ValidationFailed as err:
        return render_template("auth/profile.html", new_token=None, errors=field_messages(err.fields)), 422
    flash(_("Your password has been changed."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    new_token: str | None = None
    if request.method == "POST":
        label = request.form.get("label", "").strip()[:100] or "web"
        me = actor()
        new_token = accounts.create_token(runtime(), me, me.username, label)
    context: dict[str, Any] = {"new_token": new_token, "errors": {}}
    if new_token:
        flash(_("Copy the token now: it is shown only once."), "info")
    return render_template("auth/profile.html", **context)
