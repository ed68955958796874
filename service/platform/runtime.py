"""What every use case needs: the database, the school's settings and who is acting."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from service.platform.engine import DEFAULT_SCRIPT_TIME_LIMIT
from service.platform.errors import Forbidden
from service.platform.persistence import tenancy
from service.platform.persistence.models import School, User
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
    school_id: int | None = None  # the school (or the region) the person belongs to

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            user.id, user.username, user.full_name, frozenset(user.role_codes), user.language, user.school_id
        )

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


SCHOOL_INFO_SECONDS = 30.0


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class SchoolInfo:
    """A school's row as the use cases need it, detached from any session."""

    id: int
    code: str
    kind: str
    name_kk: str
    name_ru: str
    timezone: str

    @classmethod
    def of(cls, row: School) -> SchoolInfo:
        return cls(row.id, row.code, row.kind, row.name_kk, row.name_ru, row.timezone)

    def name(self, language: str) -> str:
        return (self.name_ru if language == "ru" else "") or self.name_kk or self.code


@dataclass
class Runtime:
    """Shared, immutable-after-start dependencies of the use cases (one per application)."""

    db: Database
    forms_dir: Path
    bpmn_dir: Path
    storage_dir: Path
    # The deployment's time zone and school name: a school's own (its `school` row) take precedence.
    default_timezone: str = "Asia/Almaty"
    default_school_name: str = ""
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
    definition_cache: dict[tuple[int | None, int], Any] = field(default_factory=dict)

    # School rows by id, read at most every SCHOOL_INFO_SECONDS: every page and document asks.
    _schools: dict[int, tuple[float, SchoolInfo]] = field(default_factory=dict)

    def school(self, school_id: int | None = None) -> SchoolInfo | None:
        """The acting school (or `school_id`) as its row says; None when no school acts."""
        if school_id is None:
            acting = tenancy.acting_school()
            school_id = self.db.default_school if acting is None else acting
        if school_id is None or school_id == tenancy.ALL:
            return None
        now = time.monotonic()
        cached = self._schools.get(school_id)
        if cached is not None and now - cached[0] < SCHOOL_INFO_SECONDS:
            return cached[1]
        with tenancy.all_schools(), self.db.read() as session:
            row = session.get(School, school_id)
            info = SchoolInfo.of(row) if row is not None else None
        if info is not None:
            self._schools[school_id] = (now, info)
        return info

    def forget_school(self, school_id: int) -> None:
        """A school's row changed in this process: read it afresh next time."""
        self._schools.pop(school_id, None)

    @property
    def timezone(self) -> str:
        """The acting school's time zone (the deployment's when the school has none of its own)."""
        info = self.school()
        return (info.timezone if info else "") or self.default_timezone

    @property
    def school_name(self) -> str:
        """The acting school's name in Kazakh, as documents print it."""
        info = self.school()
        return (info.name_kk if info else "") or self.default_school_name or "Мектеп"

    def school_name_in(self, language: str) -> str:
        """The acting school's name for a reader (Russian where the school has one, else Kazakh)."""
        info = self.school()
        if info is not None and (info.name_kk or info.name_ru):
            return info.name(language)
        return self.default_school_name

    @property
    def tz(self) -> ZoneInfo:
        return _zone(self.timezone)

    def load_forms(self) -> dict[str, dict[str, Any]]:
        """Every form definition in forms/, keyed by file name without .json."""
        forms: dict[str, dict[str, Any]] = {}
        for path in sorted(self.forms_dir.glob("*.json")):
            forms[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        return forms
