"""School settings: the deadlines and voting rules the features declare, changeable by the admin.

A setting's value is, in order: the admin's (a `school_setting` row), the environment's (`DEADLINE_<NAME>`
for a duration, the application setting named by `Setting.env` otherwise), the declared default. The
engine reads the current values at every run, so a timer set after a change uses the new value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import ConcurrentChange, FieldError, ValidationFailed
from service.platform.persistence import direct, tenancy
from service.platform.persistence.models import SchoolSetting
from service.platform.registry import Setting
from service.platform.runtime import Actor, Runtime

# Years and months are allowed (a tool's review period is P1Y): the engine's timers accept them.
_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
MAX_LENGTH = 40


@dataclass(frozen=True)
class SettingValue:
    """One setting as the admin's page shows it: its declaration, value and where the value comes from."""

    name: str
    setting: Setting
    value: str
    source: str  # school | environment | default
    updated_by: str | None = None
    updated_at: datetime | None = None


def problem(setting: Setting, value: str) -> FieldError | None:
    """Why `value` cannot be this setting's value, or None."""
    text = value.strip()
    if len(text) > MAX_LENGTH:
        return FieldError("max_length", {"limit": MAX_LENGTH})
    if setting.kind == "duration":
        upper = text.upper()
        if not _DURATION.match(upper) or not any(ch in "123456789" for ch in upper):
            return FieldError("duration")
        return None
    if setting.kind == "fraction":
        try:
            share = Fraction(text)
        except (ValueError, ZeroDivisionError):
            return FieldError("fraction")
        # "More than" rules (below_one) may be 0 (at least one); "at least" rules must be above 0.
        allowed = 0 <= share < 1 if setting.below_one else 0 < share <= 1
        if not allowed:
            return FieldError("fraction")
        return None
    if text not in setting.choices:
        return FieldError("enum")
    return None


def normalized(setting: Setting, value: str) -> str:
    text = value.strip()
    return text.upper() if setting.kind == "duration" else text


def environment_value(rt: Runtime, name: str, setting: Setting) -> str | None:
    """The value the environment gives (None: not set there); a bad one stops the start (startup check)."""
    if setting.kind == "duration":
        value = dict(rt.settings.get("DEADLINES") or {}).get(name)
    else:
        value = rt.settings.get(setting.env) if setting.env else None
    text = str(value).strip() if value is not None else ""
    return text or None


def check_environment(rt: Runtime) -> None:
    """Refuse to start with an environment value a setting cannot take (named in the error)."""
    for name, setting in rt.features.settings.items():
        value = environment_value(rt, name, setting)
        if value is not None and problem(setting, value) is not None:
            raise ValueError(f"setting {name}: the environment's value {value!r} is not valid")


_STORED_KEY = "school_settings.stored"  # session.info: the stored values read in this transaction
_SETTINGS = cast(Table, SchoolSetting.__table__)
_STORED = select(_SETTINGS.c.name, _SETTINGS.c.value).where(_SETTINGS.c.school_id == bindparam("school"))


def _school_of(session: Session) -> int:
    """The school the session is pinned to (or the acting one)."""
    school = session.info.get("school", tenancy.acting_school())
    if school is None or school == tenancy.ALL:
        raise tenancy.NoSchool("school settings read with no school acting")
    return int(school)


def current(rt: Runtime, session: Session) -> dict[str, str]:
    """Every declared setting's value now (the admin's, else the environment's, else the default).

    Read once per transaction: a start reads them for the engine's limits and again for the diagram's
    `school_settings` call; the second read would return what the transaction already has."""
    transaction = session.get_transaction()
    cached = session.info.get(_STORED_KEY)
    if cached is not None and transaction is not None and cached[0] is transaction:
        stored: dict[str, str] = cached[1]
    else:
        # Core on the session's connection (every engine run reads them); it names the school itself.
        session.flush()  # a value written in this transaction is read back, as a query's autoflush did
        rows = direct.execute(session.connection(), _STORED, {"school": _school_of(session)}).all()
        stored = {name: value for name, value in rows}
        # Keyed by the transaction: a session that commits and goes on reads them afresh.
        session.info[_STORED_KEY] = (session.get_transaction(), stored)
    values: dict[str, str] = {}
    for name, setting in rt.features.settings.items():
        values[name] = stored.get(name) or environment_value(rt, name, setting) or setting.default
    return values


def remember_stored(session: Session, stored: Mapping[str, str]) -> None:
    """The school's stored settings, read by another statement of this transaction (a task's lock):
    `current` takes them instead of reading them again. A write to them in the transaction forgets them."""
    session.info[_STORED_KEY] = (session.get_transaction(), dict(stored))


class CurrentSettings(Mapping[str, str]):
    """The values `current` gives, read from the database only when first looked at: most engine runs
    evaluate no expression that names `settings`, and then spare the query."""

    def __init__(self, rt: Runtime, session: Session) -> None:
        self._rt, self._session = rt, session
        self._values: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._values is None:
            self._values = current(self._rt, self._session)
        return self._values

    def __getitem__(self, name: str) -> str:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def explicit(rt: Runtime, session: Session, name: str) -> str | None:
    """The admin's or the environment's value of `name`, None when only the default applies (so a
    diagram's own parameter may stand in between)."""
    setting = rt.features.settings.get(name)
    if setting is None:
        return None
    row = session.execute(select(SchoolSetting).where(SchoolSetting.name == name)).scalar_one_or_none()
    return row.value if row is not None else environment_value(rt, name, setting)


def listing(rt: Runtime, actor: Actor) -> list[SettingValue]:
    actor.require_admin()
    with rt.db.read() as session:
        rows = {r.name: r for r in session.execute(select(SchoolSetting)).scalars()}
        out: list[SettingValue] = []
        for name, setting in rt.features.settings.items():
            row = rows.get(name)
            env = environment_value(rt, name, setting)
            if row is not None:
                out.append(SettingValue(name, setting, row.value, "school", row.updated_by, row.updated_at))
            elif env is not None:
                out.append(SettingValue(name, setting, env, "environment"))
            else:
                out.append(SettingValue(name, setting, setting.default, "default"))
        return out


def change(rt: Runtime, actor: Actor, values: Mapping[str, str]) -> list[str]:
    """Save the admin's values (an empty one goes back to the environment's or the default); each
    change is audited. All or nothing: any invalid value is a 422 naming each field. Returns the names
    changed."""
    actor.require_admin()
    declared = rt.features.settings
    problems: dict[str, FieldError] = {}
    for name, value in values.items():
        setting = declared.get(name)
        if setting is None:
            problems[name] = FieldError("unknown_field")
        elif value.strip():
            found = problem(setting, value)
            if found is not None:
                problems[name] = found
    if problems:
        raise ValidationFailed(problems)
    try:
        return _save(rt, actor, values)
    except IntegrityError:
        # Another admin stored the same setting first (both saw no row): their value stands.
        raise ConcurrentChange("the setting was changed at the same moment") from None


def _save(rt: Runtime, actor: Actor, values: Mapping[str, str]) -> list[str]:
    declared = rt.features.settings
    changed: list[str] = []
    with rt.db.session() as session:
        session.info.pop(_STORED_KEY, None)  # this transaction changes them: no earlier read stands
        for name, value in values.items():
            setting = declared[name]
            row = session.execute(
                select(SchoolSetting).where(SchoolSetting.name == name).with_for_update()
            ).scalar_one_or_none()
            old = row.value if row is not None else None
            new = normalized(setting, value) if value.strip() else None
            if old == new:
                continue
            if new is None and row is not None:
                session.delete(row)
            elif row is None and new is not None:
                session.add(
                    SchoolSetting(name=name, value=new, updated_by=actor.username, updated_at=utcnow())
                )
            elif row is not None and new is not None:
                row.value, row.updated_by, row.updated_at = new, actor.username, utcnow()
            changed.append(name)
            audit.append(
                session, actor.username, "settings.change", detail={"name": name, "old": old, "new": new}
            )
    return changed
