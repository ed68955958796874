"""Request helpers: the runtime, the acting user as an Actor, the reader's language, downloads."""

from __future__ import annotations

from flask import Response, current_app, g
from flask_login import current_user

from service.domain.errors import Unauthenticated
from service.workflows.runtime import Actor, Runtime

LANGUAGES = ("kk", "ru", "en")


def runtime() -> Runtime:
    rt: Runtime = current_app.extensions["runtime"]
    return rt


def actor() -> Actor:
    """The signed-in user (page session) or the token's user (API) as a use-case Actor."""
    api_actor = g.get("api_actor")
    if api_actor is not None:
        return api_actor
    if not current_user.is_authenticated:
        raise Unauthenticated("sign in first")
    return Actor.of(current_user._get_current_object().user)


def attachment(content: bytes | str, mimetype: str, filename: str) -> Response:
    """A download response (an ASCII file name; pages with Unicode names quote their own)."""
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
