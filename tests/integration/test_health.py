"""`GET /healthz`: 200 with no sign-in while the database answers, 503 when it does not, never any data."""

from __future__ import annotations

import socket
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url

from tests.conftest import PostgresDatabases, make_app


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
