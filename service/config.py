"""Settings from environment variables, with safe defaults for the embedded SQLite set-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/ (never hard-coded)."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers may start at once: write aside, then link into place, which only
    # one of them can do; the others read the winner's key.
    tmp = instance_path / f".secret_key.{os.getpid()}"
    tmp.write_text(secrets.token_hex(32))
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def _positive_seconds(value: str, name: str) -> float:
    """A number of seconds greater than zero; anything else stops the start with the setting's name."""
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None
    if not seconds > 0:  # also refuses NaN
        raise ValueError(f"{name} must be greater than zero")
    return seconds


def load_settings(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    env = os.environ
    instance_path.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {
        "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{instance_path / 'service.db'}"),
        # The embedded SQLite's journal and sync (docs/architecture.md, "One use case, one transaction"):
        # WAL + NORMAL survives a crash of the process, not a power loss; FULL syncs every commit.
        "SQLITE_JOURNAL_MODE": env.get("SQLITE_JOURNAL_MODE", "WAL").upper(),
        "SQLITE_SYNCHRONOUS": env.get("SQLITE_SYNCHRONOUS", "NORMAL").upper(),
        "TIMEZONE": env.get("TIMEZONE", "Asia/Almaty"),
        # Empty: pages say "School" in the reader's language and documents «Мектеп».
        "SCHOOL_NAME": env.get("SCHOOL_NAME", ""),
        "STORAGE_DIR": env.get("STORAGE_DIR", str(instance_path / "storage")),
        "FORMS_DIR": env.get("FORMS_DIR", str(PROJECT_ROOT / "forms")),
        "BPMN_DIR": env.get("BPMN_DIR", str(PROJECT_ROOT / "bpmn")),
        # MAIL_SERVER / MAIL_PORT are accepted too (the names the incident issue uses).
        "SMTP_HOST": env.get("SMTP_HOST") or env.get("MAIL_SERVER") or None,
        "SMTP_PORT": int(env.get("SMTP_PORT") or env.get("MAIL_PORT") or "25"),
        "MAIL_FROM": env.get("MAIL_FROM", "noreply@school.local"),
        # Links in e-mails point here (the address people open the service at).
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # When the worker writes the daily digest of waiting and overdue work (HH:MM, school time).
        "DIGEST_TIME": env.get("DIGEST_TIME", "08:00"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", str(12 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "kk",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        # Deadlines a school may change: DEADLINE_<NAME>=<ISO 8601 duration>; the features' defaults
        # (Feature.default_deadlines) apply to the others.
        "DEADLINES": {
            name.removeprefix("DEADLINE_").lower(): value
            for name, value in env.items()
            if name.startswith("DEADLINE_")
        },
        "TOOL_VOTE_QUORUM": env.get("TOOL_VOTE_QUORUM", ""),
        "TOOL_VOTE_MAJORITY": env.get("TOOL_VOTE_MAJORITY", ""),
        # The council's voting rule (the diagram's parameters apply when neither these nor the admin set it).
        "COUNCIL_VOTE_QUORUM": env.get("COUNCIL_VOTE_QUORUM", ""),
        "COUNCIL_TIE_BREAK": env.get("COUNCIL_TIE_BREAK", ""),
        "SCRIPT_TIME_LIMIT": _positive_seconds(env.get("SCRIPT_TIME_LIMIT", "2"), "SCRIPT_TIME_LIMIT"),
        "RUN_WORKER": env.get("RUN_WORKER", "0") == "1",
        # One deployment for a region's schools (docs/scaling.md): every user and job names its school.
        "REGION_MODE": env.get("REGION_MODE", "0") == "1",
        "WORKER_INTERVAL": float(env.get("WORKER_INTERVAL", "5")),
        # Reverse proxies in front of gunicorn (docker-compose.yml: nginx, 1) whose X-Forwarded-For and
        # -Proto are believed: the sign-in throttle then counts the person's address, not the proxy's.
        "PROXY_HOPS": int(env.get("PROXY_HOPS", "0")),
    }
    settings.update(overrides)
    if settings["REGION_MODE"] and not str(settings["DATABASE_URL"]).startswith("postgresql"):
        raise ValueError("REGION_MODE=1 needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://…")
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = _secret_key(instance_path)
    return settings
