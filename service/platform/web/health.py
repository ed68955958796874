"""Behind a reverse proxy: `GET /healthz` (200 once the database answers, else 503), forwarded headers."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from service.platform.web.context import runtime

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """No sign-in and no data: only whether this process reaches the database (`SELECT 1`).

    It runs on a connection of its own, outside any school's unit of work, so it answers in region
    mode too, where no school acts for an anonymous request.
    """
    try:
        with runtime().db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as err:
        log.warning("health check: the database did not answer: %s", type(err).__name__)
        reply = jsonify(status="unavailable")
        reply.status_code = 503
    else:
        reply = jsonify(status="ok")
    reply.headers["Cache-Control"] = "no-store"
    return reply


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` reverse proxies, read the client's address, scheme and host from the headers they
    add; without it every request of a region seems to come from the proxy (one address for the
    sign-in throttle, which then locks out everyone after a hundred failures anywhere)."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
