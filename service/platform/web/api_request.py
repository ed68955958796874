"""What every /api/v1 blueprint reads from a request: the Bearer token's user, the JSON body, query integers.

Each API blueprint registers `authenticate` as its `before_request` and reads the caller with
`api_actor()`, so every part of /api/v1 checks tokens and parses bodies the same way.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Request, g, request

from service.platform.auth import accounts
from service.platform.errors import BadRequest, FieldError, Unauthenticated, ValidationFailed
from service.platform.persistence import tenancy
from service.platform.runtime import Actor
from service.platform.web.context import runtime
from service.platform.web.params import MAX_ID

API_PREFIX = "/api/"  # every API blueprint's (/api/v1)


def bearer_token(req: Request | None = None) -> str | None:
    """The request's (the current one's by default) `Authorization: Bearer <token>`, None without one."""
    header = (req if req is not None else request).headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


def is_token_call(req: Request) -> bool:
    """An API call that names its person with a bearer token: the cookie's sign-in plays no part in it
    (a page keeps its cookie even when it carries a token)."""
    return req.path.startswith(API_PREFIX) and bearer_token(req) is not None


def authenticate() -> None:
    """`before_request` of every API blueprint: a valid `Authorization: Bearer <token>` or 401."""
    token = bearer_token()
    if token is None:
        raise Unauthenticated("missing bearer token")
    actor = accounts.actor_for_token(runtime(), token)
    if actor is None or actor.school_id is None:
        raise Unauthenticated("invalid token")
    g.api_actor = actor
    tenancy.enter(actor.school_id)  # left with the request (the app's teardown resets the scope)


def api_actor() -> Actor:
    """The token's user, set by `authenticate` for this request."""
    actor: Actor = g.api_actor
    return actor


def json_body() -> dict[str, Any]:
    """The request body as a JSON object (an empty body is `{}`); anything else is a 400."""
    # The raw body only: `request.data` would first try to parse it as a form.
    data = request.get_data(cache=True)
    if not data:
        return {}
    try:
        body = json.loads(data)
    except ValueError:
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    """The body's `data` object (form answers), `{}` when absent."""
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise BadRequest("data must be an object")
    return data


def int_arg(name: str, default: int | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """An integer query parameter within [low, high], `default` when absent; anything else is a 422
    naming the parameter (like a form field), so no query ever carries a number the database cannot hold.

    `high` defaults to the largest id a row can have.
    """
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if len(raw) <= 12 else high + 1  # a longer number is out of range anyway
    except ValueError:
        raise ValidationFailed({name: FieldError("type")}, f"{name} must be an integer") from None
    if value < low:
        raise ValidationFailed(
            {name: FieldError("minimum", {"limit": low})}, f"{name} must be at least {low}"
        )
    if value > high:
        raise ValidationFailed(
            {name: FieldError("maximum", {"limit": high})}, f"{name} must be at most {high}"
        )
    return value


def iso(value: date | None) -> str | None:
    """A date or moment as ISO 8601 in an answer, `None` stays null."""
    return value.isoformat() if value else None
