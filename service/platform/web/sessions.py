"""The signed-cookie session, left closed for an API call made with a bearer token."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from service.platform.web.api_request import is_token_call


class _TokenCallSession(SecureCookieSession):
    """The empty session of a token call: never read from the cookie, never written back."""


class BearerCallSessions(SecureCookieSessionInterface):
    """Cookie sessions for pages; none for an API call that authenticates with a bearer token.

    Such a call acts as its token's person only (`api_request.authenticate`), so the cookie is never
    read: opening it (a signing serializer built, the cookie parsed and its signature checked) cost more
    per API call than the token check's SQL. Nothing it does writes the cookie either, so a browser's
    sign-in survives an API call made from the same browser.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_token_call(request):
            return _TokenCallSession()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if isinstance(session, _TokenCallSession):
            return
        super().save_session(app, session, response)
