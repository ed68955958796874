"""Real-browser fixtures: the real server (as `make run` starts it) on a free port and a temporary SQLite
database, driven by Debian's Chromium through Playwright.

Chromium is never downloaded: only /usr/bin/chromium is used (`make browser-deps` installs it). When it
is missing the browser tests are skipped with the reason, except under CI=true where they fail (the same
rule as PostgreSQL in tests/conftest.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent  # .venv/bin when run as `.venv/bin/pytest` (or `make test`)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "e2e"
PASSWORD = "demo-pass-2026"
SERVER_START_TIMEOUT = 30.0
DESKTOP = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    """Fail under CI=true, skip with the reason elsewhere."""
    if IN_CI:
        pytest.fail(reason + " (CI=true: the browser tests must run; see `make browser-deps`)")
    pytest.skip(reason)


def require_chromium() -> None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(
            f"{CHROMIUM} is missing: install Debian's chromium with `make browser-deps` "
            "(apt-get install chromium); browsers are never downloaded"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed in .venv (make venv)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _compile_translations() -> None:
    """Compiled catalogs, as `make translations` makes them; none yet is fine (English texts then)."""
    po = PROJECT_ROOT / "translations" / "kk" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if po.exists() and not mo.exists():
        subprocess.run(
            [str(VENV_BIN / "pybabel"), "compile", "-d", str(PROJECT_ROOT / "translations")],
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/e2e/ (git-ignored), emptied of the previous run's screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """`make run` on a free port and a temporary SQLite database; yields the base URL."""
    require_chromium()  # no point in starting a server nobody can look at
    _compile_translations()
    tmp = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "SECRET_KEY": "e2e",
        "STORAGE_DIR": str(tmp / "storage"),
        "DEADLINE_LEGAL_REVIEW_REMINDER": "P2D",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TEST_DATABASE_URL", None)
    flask = [str(VENV_BIN / "flask"), "--app", "service"]
    for step in (["db", "upgrade"], ["demo"], ["deploy"]):
        done = subprocess.run(
            flask + step, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"flask {' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = artifacts / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*flask, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops only what we started
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _answers_200(f"{base_url}/login"):
                if server.poll() is not None:
                    pytest.fail(f"the server exited ({server.returncode}):\n{log_path.read_text()[-3000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"/login did not answer 200 within {SERVER_START_TIMEOUT:.0f} s:\n"
                        + log_path.read_text()[-3000:]
                    )
                time.sleep(0.1)
            yield base_url
        finally:
            _stop(server)


def _stop(server: subprocess.Popen[Any]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _watch(page: Any, problems: list[str]) -> None:
    """Uncaught script errors and console errors (a CSP violation, say); failed loads are for the tests."""

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: console error: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"{page.url}: uncaught: {error}"))
    page.on("console", on_console)


@pytest.fixture
def new_context(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Makes isolated browser contexts (one per person) on the live server; all closed after the test,
    which then errors if any page had a script error or a console error.

    They send an empty Accept-Language (no preference) unless a test asks otherwise, so the server's
    default language applies whatever the host's locale; Chromium itself would send en-US."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        settings: dict[str, Any] = {
            "base_url": live_server,
            "viewport": DESKTOP,
            "extra_http_headers": {"Accept-Language": ""},
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        context.on("page", lambda page: _watch(page, problems))
        contexts.append(context)
        return context

    problems: list[str] = []
    yield make
    for context in contexts:
        context.close()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def shot(artifacts: Path) -> Callable[[Any, str], Path]:
    """shot(page, "01-login") saves test-artifacts/e2e/01-login.png (the full page)."""

    def take(page: Any, name: str) -> Path:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(context: Any, username: str, password: str = PASSWORD) -> Any:
    """A new page of the context, signed in as username, on the inbox."""
    page = context.new_page()
    page.goto("/login")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit].primary").click()
    assert "/login" not in page.url, f"{username} could not sign in: {page.url}"
    return page
