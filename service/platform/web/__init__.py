"""The only package that imports Flask: blueprints, sign-in, CSRF, translations and error pages."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response

from service.platform.registry import Feature
from service.platform.web.extensions import babel, csrf, login_manager
from service.platform.web.params import BoundedIntConverter


def register_web(app: Flask, features: Iterable[Feature]) -> None:
    """The platform's pages and API, then each feature's blueprints (API ones without CSRF)."""
    from service.platform.web import (
        api,
        auth,
        campaigns,
        deputies,
        editor,
        errors,
        files,
        form_editor,
        inbox,
        instances,
        migrations,
        publish,
        region,
        school_settings,
        tasks,
        templating,
    )
    from service.platform.web.admin import bp as admin_bp
    from service.platform.web.health import bp as health_bp
    from service.platform.web.health import trust_proxies
    from service.platform.web.i18n import select_locale, select_timezone
    from service.platform.web.sessions import BearerCallSessions

    # Before any route is added: every `<int:…>` id is bounded to what a row can hold (else 404).
    app.url_map.converters["int"] = BoundedIntConverter
    app.session_interface = BearerCallSessions()
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    auth.init_login(app)
    templating.init_templates(app)
    errors.init_errors(app)
    core = (auth.bp, inbox.bp, tasks.bp, instances.bp, files.bp, admin_bp, editor.bp, form_editor.bp)
    for blueprint in (*core, campaigns.bp, migrations.bp, school_settings.bp, deputies.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(health_bp)  # GET /healthz for the proxy: no sign-in, no data
    trust_proxies(app, app.config.get("PROXY_HOPS", 0))
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API authenticates by Bearer token only, never by cookie
    for api_blueprint in (campaigns.api_bp, migrations.api_bp, school_settings.api_bp, deputies.api_bp):
        app.register_blueprint(api_blueprint)
        csrf.exempt(api_blueprint)
    app.register_blueprint(publish.bp)  # the region's versions published to its schools
    app.register_blueprint(publish.api_bp)
    csrf.exempt(publish.api_bp)
    app.register_blueprint(region.bp)  # the region's administrator's pages and API
    app.register_blueprint(region.api_bp)
    csrf.exempt(region.api_bp)
    for feature in features:
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)
        for blueprint in feature.api_blueprints:
            app.register_blueprint(blueprint)
            csrf.exempt(blueprint)
        for command in feature.cli_commands:
            app.cli.add_command(command)
    login_manager.session_protection = "strong"
    app.after_request(_security_headers)


_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
)


def _security_headers(response: Response) -> Response:
    """Defence in depth: no framing, no sniffing, scripts only from this site (a route may set its own)."""
    headers = response.headers
    # One pass over the response's few headers: four `setdefault`s scanned them four times each.
    present = {name.lower() for name, _ in headers.items()}
    for name, value in _SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    return response
