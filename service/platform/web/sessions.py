"""The signed-cookie session, left closed for an API call made with a bearer token."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PREFIX = "/api/"  # every API blueprint's prefix (/api/v1); pages keep their cookie even with a token


def _is_token_call(request: Request) -> bool:
    return request.path.startswith(API_PREFIX) and request.headers.get("Authorization", "").startswith(
        "Bearer "
    )


class BearerCallSessions(SecureCookieSessionInterface):
    """Cookie sessions for pages; none for an API call that authenticates with a bearer token.

    Such a call acts as its token's person only (`api_request.authenticate`), so the cookie is never
    read: opening it (a signing serializer built, the cookie parsed and its signature checked) cost more
    per API call than the token check's SQL. Nothing it does writes the cookie either, so a browser's
    sign-in survives an API call made from the same browser.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if _is_token_call(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        from flask import request

        if _is_token_call(request):
            return
        super().save_session(app, session, response)
