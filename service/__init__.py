"""Application factory: configuration, database, runtime, web and CLI; nothing runs at import."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

from service.config import PROJECT_ROOT, load_settings

if TYPE_CHECKING:
    from service.platform.registry import Feature


def create_app(config: dict[str, Any] | None = None, features: Sequence[Feature] | None = None) -> Flask:
    """The application: the platform with `features` (default: every feature of the product)."""
    from service.features import FEATURES
    from service.platform.persistence.session import Database, SqliteDurability
    from service.platform.registry import Registry
    from service.platform.runtime import Runtime
    from service.platform.web import register_web

    app = Flask(
        __name__,
        instance_path=str(Path((config or {}).get("INSTANCE_PATH", PROJECT_ROOT / "instance")).resolve()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "service" / "platform" / "web" / "static"),
    )
    app.config.update(load_settings(Path(app.instance_path), config))
    # A single school acts by default; in region mode every request and job names its school.
    database = Database(
        app.config["DATABASE_URL"],
        default_school=None if app.config["REGION_MODE"] else 1,
        # A bad value stops the start with the setting's name.
        sqlite=SqliteDurability(app.config["SQLITE_JOURNAL_MODE"], app.config["SQLITE_SYNCHRONOUS"]),
    )
    registry = Registry(FEATURES if features is None else features)
    runtime = Runtime(
        db=database,
        forms_dir=Path(app.config["FORMS_DIR"]),
        bpmn_dir=Path(app.config["BPMN_DIR"]),
        storage_dir=Path(app.config["STORAGE_DIR"]),
        default_timezone=app.config["TIMEZONE"],
        default_school_name=app.config["SCHOOL_NAME"],
        deadlines={**registry.default_deadlines, **app.config["DEADLINES"]},
        smtp_host=app.config["SMTP_HOST"],
        smtp_port=app.config["SMTP_PORT"],
        mail_from=app.config["MAIL_FROM"],
        max_upload_bytes=app.config["MAX_CONTENT_LENGTH"],
        settings=dict(app.config),
        script_time_limit=app.config["SCRIPT_TIME_LIMIT"],
        features=registry,
    )
    from service.platform.inbox.digest import digest_time

    digest_time(app.config["DIGEST_TIME"])  # a bad time stops the start, not the worker at night
    from service.platform.settings import check_environment

    check_environment(runtime)  # a bad DEADLINE_* or voting rule stops the start
    for check in runtime.features.all("startup_checks"):
        check(runtime)  # a bad setting stops the start, not the first request that needs it
    app.extensions["runtime"] = runtime
    register_web(app, runtime.features)

    from service.cli import register_cli

    register_cli(app)
    return app
