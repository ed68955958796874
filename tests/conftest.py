"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
the app with demo users and the shipped processes deployed, and API helpers.

Nothing is migrated or seeded per test. Each pytest process (each xdist worker) builds two template
databases once, on first use: migrated ("empty") and migrated then `demo` + `deploy` ("seeded"). A test
gets a copy of one: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL (about 0.05 s,
against 0.5 s for truncating every table and 2.5 s for demo + deploy). It gets the seeded copy when it
uses `seeded` (itself or through `api` or another fixture), an empty one otherwise, so tests that run
`demo` themselves or configure the app differently still start from an empty database.

PostgreSQL databases are per worker, named after the URL's database and the xdist worker id
(`test_gw0`, `test_gw0_empty`, `test_gw0_seeded`, `test_gw0_pg`; `..._main...` without xdist),
created on demand through a connection to the URL's own database, so workers never share one.

Tests are marked from the fixtures they use: `db` (db_url), `postgres` (pg_url), `browser` (the live
server); the Makefile runs the PostgreSQL pass only over `db` and `postgres` tests, and the browser tests
in a process of their own."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from service import create_app
from service.platform.auth import accounts
from service.platform.auth.demo import DEMO_PASSWORD
from service.platform.inbox import unclaimed
from service.platform.persistence.migrate import upgrade
from service.platform.persistence.session import Database
from service.platform.runtime import Actor, Runtime

# PG_TEST_URL lets parallel checkouts on one machine use separate databases.
PG_DEFAULT = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# "gw0", "gw1", ... under pytest-xdist; one name for a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# The URL a test's seeded copy was made at, so `seeded` knows there is nothing left to do.
_SEEDED_AT = pytest.StashKey[str]()
# The URL of a test's database, for the checks made after the test (`_role_copies_agree`).
_DB_URL = pytest.StashKey[str]()


def pytest_itemcollected(item: pytest.Item) -> None:
    """Marks from fixture use, set as each test is collected (before -m reads them): `db` for the tests
    whose result depends on the backend, `postgres` for PostgreSQL-only ones, `browser` for those on the
    live server (the Makefile runs them in one process: one server, one Chromium, one artifacts folder)."""
    names = getattr(item, "fixturenames", ())
    if "db_url" in names:
        item.add_marker(pytest.mark.db)
    if "pg_url" in names:
        item.add_marker(pytest.mark.postgres)
    if "live_server" in names:
        item.add_marker(pytest.mark.browser)


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


def _seed(url: str, tmp_path: Path) -> None:
    """`flask demo` and `flask deploy`, as `make run` does them."""
    app = make_app(url, tmp_path)
    try:
        runner = app.test_cli_runner()
        for command in ("demo", "deploy"):
            result = runner.invoke(args=[command])
            assert result.exit_code == 0, result.output
    finally:
        app.extensions["runtime"].db.dispose()


class SqliteTemplates:
    """This process's two template files; a test's database is a copy of one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._empty: Path | None = None
        self._seeded: Path | None = None

    def empty(self) -> Path:
        if self._empty is None:
            path = self.folder / "empty.db"
            upgrade(f"sqlite:///{path}")
            self._empty = _checkpointed(path)
        return self._empty

    def seeded(self) -> Path:
        if self._seeded is None:
            path = self.folder / "seeded.db"
            shutil.copy(self.empty(), path)
            _seed(f"sqlite:///{path}", self.folder / "seeding")
            self._seeded = _checkpointed(path)
        return self._seeded


def _checkpointed(path: Path) -> Path:
    """The file alone holds everything (no WAL beside it), so copying the file copies the database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


class PostgresDatabases:
    """This process's PostgreSQL databases: two templates and the per-test copies made from them."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = make_url(url)
        self.folder = folder
        self.prefix = f"{self.url.database}_{WORKER}"
        # CREATE/DROP DATABASE cannot run in a transaction; the URL's own database is the one we know exists.
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._templates: dict[str, str] = {}

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _run(self, *statements: str) -> None:
        with self.admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    def copy(self, template: str, name: str) -> str:
        """A fresh `name` cloned from `template`; connections a previous test left open are ended."""
        self._run(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        )
        return self.url_of(name)

    def template(self, seeded: bool) -> str:
        kind = "seeded" if seeded else "empty"
        if kind not in self._templates:
            name = f"{self.prefix}_{kind}"
            if seeded:
                # A template must have no connections while it is copied: every engine is disposed.
                _seed(self.copy(self.template(False), name), self.folder / "seeding")
            else:
                # Rebuilt every session: a template left by an older checkout may have older migrations.
                self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
                upgrade(self.url_of(name))
            self._templates[kind] = name
        return self._templates[kind]

    def fresh(self, seeded: bool, suffix: str = "") -> str:
        return self.copy(self.template(seeded), self.prefix + suffix)

    def drop_all(self) -> None:
        names = [self.prefix, self.prefix + "_pg", *self._templates.values()]
        self._run(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names))
        self.admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def _postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresDatabases]:
    """TEST_DATABASE_URL's server (PG_TEST_URL's when unset): reachable, or fail in CI / skip elsewhere."""
    url = os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    require_postgres(url)
    databases = PostgresDatabases(url, tmp_path_factory.mktemp("postgres"))
    yield databases
    databases.drop_all()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database for one test: empty, or already seeded when the test uses `seeded`."""
    seeded = "seeded" in request.fixturenames
    if os.environ.get("TEST_DATABASE_URL"):
        url = request.getfixturevalue("_postgres").fresh(seeded)
    else:
        templates: SqliteTemplates = request.getfixturevalue("_sqlite_templates")
        target = tmp_path / "test.db"
        shutil.copy(templates.seeded() if seeded else templates.empty(), target)
        url = f"sqlite:///{target}"
    if seeded:
        request.node.stash[_SEEDED_AT] = url
    request.node.stash[_DB_URL] = url
    return url


@pytest.fixture(autouse=True)
def _role_copies_agree(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test on a database: each candidate-role row's copy of its task's "open and unclaimed"
    state equals the task (`inbox/unclaimed.py`). The role inbox reads only the copy, so whatever a test
    drove (claims, councils, campaigns, moves, cancellations) must have kept it."""
    yield
    url = request.node.stash.get(_DB_URL, None)
    if url is None:
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            try:
                stale = unclaimed.drifted(conn, None)
            except DBAPIError:
                return  # a schema short of the copy: a migration test left it at an older revision
    finally:
        engine.dispose()
    assert stale == [], f"role rows whose unclaimed copy disagrees with their task: {stale}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """The persistence layer alone on the test database (no app): for tests of that layer itself."""
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def pg_url(_postgres: PostgresDatabases) -> str:
    """PostgreSQL itself, migrated and empty, for tests that prove behaviour only PostgreSQL has
    (SKIP LOCKED across workers, overlapping transactions)."""
    return _postgres.fresh(seeded=False, suffix="_pg")


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
def seeded(request: pytest.FixtureRequest, app: Flask, rt: Runtime) -> Runtime:
    """Demo users and the shipped processes deployed, as `make run` does: `db_url` already copied the
    seeded template; demo + deploy run here only when the app's database was not that copy."""
    if request.node.stash.get(_SEEDED_AT, None) != app.config["DATABASE_URL"]:
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
