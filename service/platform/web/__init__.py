"""The only package that imports Flask: blueprints, sign-in, CSRF, translations and error pages."""

from __future__ import annotations

from flask import Flask, Response

from service.platform.web.extensions import babel, csrf, login_manager


def register_web(app: Flask) -> None:
    from service.features.acts import web as acts
    from service.features.consultations import api as consultations_api
    from service.features.consultations import web as consultations
    from service.features.incidents import web as incidents
    from service.features.orders import web as orders
    from service.features.plan import api as plan_api
    from service.features.plan import web as plan
    from service.features.reports import web as reports
    from service.features.tools import web as tools
    from service.platform.web import (
        api,
        auth,
        editor,
        errors,
        files,
        form_editor,
        inbox,
        instances,
        tasks,
        templating,
    )
    from service.platform.web.admin import bp as admin_bp
    from service.platform.web.i18n import select_locale, select_timezone

    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    auth.init_login(app)
    templating.init_templates(app)
    errors.init_errors(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(tasks.bp)
    app.register_blueprint(instances.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(orders.bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(incidents.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(tools.bp)
    app.register_blueprint(tools.api_bp)
    csrf.exempt(tools.api_bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(form_editor.bp)
    csrf.exempt(api.bp)  # the API authenticates by Bearer token only, never by cookie
    app.register_blueprint(incidents.api_bp)
    csrf.exempt(incidents.api_bp)
    app.register_blueprint(acts.bp)
    app.register_blueprint(acts.api_bp)
    csrf.exempt(acts.api_bp)
    app.register_blueprint(plan.bp)
    app.register_blueprint(plan_api.api_bp)
    csrf.exempt(plan_api.api_bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(reports.api_bp)
    csrf.exempt(reports.api_bp)
    app.register_blueprint(consultations.bp)
    app.register_blueprint(consultations_api.api_bp)
    csrf.exempt(consultations_api.api_bp)
    login_manager.session_protection = "strong"
    app.after_request(_security_headers)


def _security_headers(response: Response) -> Response:
    """Defence in depth: no framing, no sniffing, scripts only from this site."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    return response
