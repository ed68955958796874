"""Behind the proxy: `GET /healthz` (200 or 503, no sign-in, no data) and whose address a request has."""

from __future__ import annotations

import socket
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url

from service.platform.persistence.models import LoginThrottle
from service.platform.runtime import Runtime
from tests.conftest import PostgresDatabases, csrf_from, make_app


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check(app: Flask, status: int, body: dict[str, str]) -> None:
    reply = app.test_client().get("/healthz")
    assert reply.status_code == status
    assert reply.get_json() == body
    assert reply.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in reply.headers  # the proxy's probes open no sessions


def test_ok_without_signing_in(app: Flask) -> None:
    _check(app, 200, {"status": "ok"})


def test_unavailable_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nothing"
    _check(make_app(url, tmp_path), 503, {"status": "unavailable"})


def test_region_mode_answers_with_no_school_acting(pg_url: str, tmp_path: Path) -> None:
    """In region mode an anonymous request has no school, and the check needs none."""
    app = make_app(pg_url, tmp_path, REGION_MODE=True)
    try:
        _check(app, 200, {"status": "ok"})
    finally:
        app.extensions["runtime"].db.dispose()


def test_unavailable_once_the_database_goes_away(
    pg_url: str, tmp_path: Path, _postgres: PostgresDatabases
) -> None:
    """A process that was healthy reports 503 when its database disappears under its pooled
    connections, and the proxy stops sending it requests."""
    app = make_app(pg_url, tmp_path)
    try:
        _check(app, 200, {"status": "ok"})
        _postgres._run(f'DROP DATABASE "{make_url(pg_url).database}" WITH (FORCE)')
        _check(app, 503, {"status": "unavailable"})
    finally:
        app.extensions["runtime"].db.dispose()


def _failed_sign_in_addresses(app: Flask) -> set[str]:
    """Fail one sign-in as it arrives through nginx (at 10.0.0.2, for the person at 203.0.113.7); the
    addresses the sign-in throttle counted."""
    client = app.test_client()
    proxy = {"environ_base": {"REMOTE_ADDR": "10.0.0.2"}, "headers": {"X-Forwarded-For": "203.0.113.7"}}
    token = csrf_from(client.get("/login", **proxy).get_data(as_text=True))
    form = {"username": "nobody", "password": "wrong", "csrf_token": token}
    assert client.post("/login", data=form, **proxy).status_code == 401
    rt: Runtime = app.extensions["runtime"]
    with rt.db.read() as session:
        keys = session.execute(select(LoginThrottle.key)).scalars()
        return {key.removeprefix("addr:") for key in keys if key.startswith("addr:")}


def test_behind_the_proxy_the_throttle_counts_the_persons_address(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, PROXY_HOPS=1)
    assert _failed_sign_in_addresses(app) == {"203.0.113.7"}


def test_without_a_proxy_a_forwarded_header_is_not_believed(app: Flask) -> None:
    assert _failed_sign_in_addresses(app) == {"10.0.0.2"}
