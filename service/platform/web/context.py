"""Request helpers: the runtime, the acting user as an Actor, and the reader's language."""

from __future__ import annotations

from flask import current_app, g
from flask_login import current_user

from service.platform.errors import Unauthenticated
from service.platform.runtime import Actor, Runtime

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
