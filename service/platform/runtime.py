"""What every use case needs: the database, the school's settings and who is acting."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from service.platform.engine import DEFAULT_SCRIPT_TIME_LIMIT
from service.platform.errors import Forbidden
from service.platform.persistence.models import User
from service.platform.persistence.session import Database
from service.platform.registry import Registry


@dataclass(frozen=True)
class Actor:
    """The person (or the system) performing a use case, with the roles checked by authorization."""

    id: int | None
    username: str
    full_name: str = ""
    roles: frozenset[str] = frozenset()
    language: str = "kk"

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.full_name, frozenset(user.role_codes), user.language)

    @classmethod
    def system(cls) -> Actor:
        return cls(None, "system", "System", frozenset({"admin"}))

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def require_admin(self, message: str = "admin only") -> None:
        """Refuse the use case unless the actor holds `admin` (403 without any data)."""
        if not self.is_admin:
            raise Forbidden(message)


@dataclass
class Runtime:
    """Shared, immutable-after-start dependencies of the use cases (one per application)."""

    db: Database
    forms_dir: Path
    bpmn_dir: Path
    storage_dir: Path
    timezone: str = "Asia/Almaty"
    school_name: str = ""
    # Durations the diagrams read through `school_settings` (the features' defaults, then the school's).
    deadlines: dict[str, str] = field(default_factory=dict)
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "noreply@school.local"
    max_upload_bytes: int = 10 * 1024 * 1024
    # The application's settings by name, for features that have their own (read with `.get`).
    settings: Mapping[str, Any] = field(default_factory=dict)
    # Seconds a BPMN script or expression may run before it is stopped (a runaway loop must not hold
    # the request thread and the instance lock).
    script_time_limit: float = DEFAULT_SCRIPT_TIME_LIMIT
    # The features composed into this application; the platform asks them instead of naming one.
    features: Registry = field(default_factory=Registry)
    # Deployed definitions never change, so their parsed parts are kept here by definition id.
    definition_cache: dict[int, Any] = field(default_factory=dict)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def load_forms(self) -> dict[str, dict[str, Any]]:
        """Every form definition in forms/, keyed by file name without .json."""
        forms: dict[str, dict[str, Any]] = {}
        for path in sorted(self.forms_dir.glob("*.json")):
            forms[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        return forms
