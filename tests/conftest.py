"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
the app with demo users and the shipped processes deployed, and API helpers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from service import create_app
from service.platform.auth import accounts
from service.platform.auth.demo import DEMO_PASSWORD
from service.platform.persistence.migrate import upgrade
from service.platform.runtime import Actor, Runtime

# PG_TEST_URL lets parallel checkouts on one machine use separate databases.
PG_DEFAULT = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pg_reachable(url: str) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def require_postgres(url: str) -> None:
    """Fail in CI, skip with a visible reason elsewhere, when PostgreSQL cannot be reached."""
    if pg_reachable(url):
        return
    message = f"PostgreSQL not reachable at {url}"
    if IN_CI:
        pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
    pytest.skip(message)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname='public' AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_ready() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    require_postgres(url)
    _reset_postgres(url)
    return url


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> str:
    """A migrated, empty database for one test."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        request.getfixturevalue("_postgres_ready")
        _truncate_postgres(url)
        return url
    target = tmp_path / "test.db"
    shutil.copy(_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def pg_url() -> str:
    """PostgreSQL itself, for tests that prove behaviour only PostgreSQL has (SKIP LOCKED across workers)."""
    url = os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    require_postgres(url)
    _reset_postgres(url)
    return url


def make_app(db_url: str, tmp_path: Path, **extra: Any) -> Flask:
    config: dict[str, Any] = {
        "DATABASE_URL": db_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "STORAGE_DIR": str(tmp_path / "storage"),
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(db_url, tmp_path)
    yield application
    application.extensions["runtime"].db.dispose()


@pytest.fixture
def rt(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["runtime"]
    return runtime


@pytest.fixture
def seeded(app: Flask, rt: Runtime) -> Runtime:
    """Demo users and the shipped processes deployed, as `make run` does."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["deploy"])
    assert result.exit_code == 0, result.output
    return rt


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Api:
    """Calls /api/v1 as a given demo user with a real token."""

    def __init__(self, app: Flask, rt: Runtime) -> None:
        self.client = app.test_client()
        self.rt = rt
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            self._tokens[username] = accounts.create_token(self.rt, Actor.system(), username, "test")
        return self._tokens[username]

    def call(self, method: str, path: str, user: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token(user)}", **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, json=json, **kwargs)

    def get(self, path: str, user: str, **kwargs: Any) -> Any:
        return self.call("GET", path, user, **kwargs)

    def post(self, path: str, user: str, json: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, user, json=json, **kwargs)

    def open_task(self, user: str, instance_id: int, bpmn_id: str, scope: str = "mine") -> dict[str, Any]:
        rows = self.get(f"/tasks?scope={scope}&instance_id={instance_id}", user).get_json()["tasks"]
        matching = [r for r in rows if r["bpmn_id"] == bpmn_id]
        assert matching, f"{user} has no open {bpmn_id} in {instance_id}: {rows}"
        return matching[0]


@pytest.fixture
def api(app: Flask, seeded: Runtime) -> Api:
    return Api(app, seeded)


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> Any:
    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def actor_named(rt: Runtime, username: str) -> Actor:
    """The demo user as a use-case Actor (with their roles as stored)."""
    from service.platform.inbox import queries

    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        assert user is not None, username
        return Actor.of(user)
