"""The region's use cases on its schools: create a school with its first admin, list the schools,
and the demo region (`flask region demo`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.platform.audit import log as audit
from service.platform.auth import accounts
from service.platform.auth.demo import DEMO_PASSWORD, load_demo_users
from service.platform.auth.secrets import hash_password
from service.platform.errors import Conflict, FieldError, Forbidden, ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import School, User, UserRole
from service.platform.processes import deploy
from service.platform.runtime import Actor, Runtime, SchoolInfo

_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")
REGION_CODE = "region"


@dataclass(frozen=True)
class NewSchool:
    code: str
    name_kk: str
    name_ru: str = ""
    timezone: str = ""


def _require_region_admin(actor: Actor) -> None:
    if actor.id is not None and not actor.has("region_admin"):
        raise Forbidden("only the region's administrator manages schools")


def list_schools(rt: Runtime, actor: Actor) -> list[SchoolInfo]:
    """Every school of the deployment (the region row first), for the region's administrator."""
    _require_region_admin(actor)
    with tenancy.all_schools(), rt.db.read() as session:
        rows = session.execute(select(School).order_by(School.kind.desc(), School.code)).scalars()
        return [SchoolInfo.of(row) for row in rows]


def _is_zone(name: str) -> bool:
    """A time zone this machine knows (IANA name such as Asia/Almaty)."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True


def _check(new: NewSchool) -> None:
    problems: dict[str, FieldError] = {}
    if not _CODE.match(new.code):
        problems["code"] = FieldError("pattern")
    if not new.name_kk.strip():
        problems["name_kk"] = FieldError("required")
    if new.timezone and not _is_zone(new.timezone):
        problems["timezone"] = FieldError("enum")
    if problems:
        raise ValidationFailed(problems)


def create_school(
    rt: Runtime,
    actor: Actor,
    new: NewSchool,
    *,
    admin_username: str,
    admin_full_name: str,
    admin_password: str,
    kind: str = "school",
) -> SchoolInfo:
    """A new school with its first admin and the shipped processes deployed; one transaction for the
    school and its admin (the deployment follows, version by version, as `flask deploy` does)."""
    _require_region_admin(actor)
    _check(new)
    with tenancy.all_schools(), rt.db.session() as session:
        if session.execute(select(School.id).where(School.code == new.code)).first() is not None:
            raise Conflict("a school with this code exists")
        if accounts.username_taken(session, admin_username):
            raise Conflict("a user with this name exists")
        school = School(
            code=new.code,
            kind=kind,
            name_kk=new.name_kk.strip(),
            name_ru=new.name_ru.strip(),
            timezone=new.timezone,
        )
        session.add(school)
        session.flush()
        info = SchoolInfo.of(school)
        with tenancy.acting_as(school.id):
            session.add(
                User(
                    username=admin_username,
                    full_name=admin_full_name.strip(),
                    password_hash=hash_password(admin_password),
                    language="kk",
                    roles=[UserRole(role="admin"), UserRole(role="staff")],
                )
            )
            audit.append(
                session,
                actor.username,
                "school.create",
                detail={"school": new.code, "admin": admin_username, "by": actor.username},
            )
    with tenancy.acting_as(info.id):
        deploy.deploy_directory(rt, Actor.system())
    return info


def ensure_school(rt: Runtime, new: NewSchool, kind: str = "school") -> tuple[SchoolInfo, bool]:
    """The school with this code, created (with nothing in it) when missing: for commands and demos."""
    with tenancy.all_schools(), rt.db.session() as session:
        row = session.execute(select(School).where(School.code == new.code)).scalar_one_or_none()
        if row is not None:
            return SchoolInfo.of(row), False
        row = School(
            code=new.code, kind=kind, name_kk=new.name_kk, name_ru=new.name_ru, timezone=new.timezone
        )
        session.add(row)
        session.flush()
        return SchoolInfo.of(row), True


def school_by_code(rt: Runtime, code: str) -> SchoolInfo | None:
    with tenancy.all_schools(), rt.db.read() as session:
        row = session.execute(select(School).where(School.code == code)).scalar_one_or_none()
        return SchoolInfo.of(row) if row is not None else None


DEMO_SCHOOLS = (
    NewSchool("school1", "№1 жалпы білім беретін мектеп", "Общеобразовательная школа №1"),
    NewSchool("school2", "№2 жалпы білім беретін мектеп", "Общеобразовательная школа №2"),
    NewSchool("school3", "№3 жалпы білім беретін мектеп", "Общеобразовательная школа №3"),
)
# The other lanes of the AI tool evaluation, so the region's commission evaluates tools for the region
# register as a school's does: the technical assessment, the chair's confirmation, the staff memo.
REGION_TOOL_PEOPLE = [
    ("region_ict", "Ерболат Жандосұлы", ["ict", "staff"]),
    ("region_chair", "Гүлжан Тимурқызы", ["wg_chair", "staff"]),
    ("region_responsible", "Нұргүл Асанқызы", ["responsible", "staff"]),
]
REGION = NewSchool(REGION_CODE, "Облыстық білім басқармасы", "Областное управление образования")


def _adopt_unused_default(rt: Runtime, new: NewSchool) -> None:
    """The migration's school 1 is the single school's; a region database that never used it makes it
    the first demo school instead of leaving an empty, unnamed school on every list."""
    with tenancy.all_schools(), rt.db.session() as session:
        row = session.get(School, tenancy.DEFAULT_SCHOOL)
        if row is None or row.code != "school" or row.name_kk:
            return
        if session.execute(select(User.id).where(User.school_id == row.id)).first() is not None:
            return
        if session.execute(select(School.id).where(School.code == new.code)).first() is not None:
            return
        row.code, row.name_kk, row.name_ru = new.code, new.name_kk, new.name_ru
    rt.forget_school(tenancy.DEFAULT_SCHOOL)


def region_demo(rt: Runtime, school_data: Callable[[Runtime], list[str]]) -> list[str]:
    """The demo region: schools school1–3 with today's demo users prefixed by the school's code
    (`school1.director`), the region with `region_admin` and `region_commission1`–`3`, the shipped
    processes deployed everywhere and each school's demo data. Idempotent."""
    lines: list[str] = []
    _adopt_unused_default(rt, DEMO_SCHOOLS[0])
    region, _ = ensure_school(rt, REGION, kind="region")
    with tenancy.acting_as(region.id), rt.db.session() as session:
        people = (
            [("region_admin", "Әсел Нұрланқызы", ["region_admin", "admin", "staff"])]
            + [
                (f"region_commission{i}", name, ["commission", "staff"])
                for i, name in enumerate(("Ғалия Бекқызы", "Марат Сәкенұлы", "Сымбат Еркінқызы"), 1)
            ]
            + REGION_TOOL_PEOPLE
        )
        created = 0
        for username, full_name, roles in people:
            if accounts.username_taken(session, username):
                continue
            session.add(
                User(
                    username=username,
                    full_name=full_name,
                    password_hash=hash_password(DEMO_PASSWORD),
                    language="kk",
                    roles=[UserRole(role=r) for r in roles],
                )
            )
            created += 1
        if created:
            audit.append(session, "system", "demo.load", detail={"users": created})
    with tenancy.acting_as(region.id):
        deploy.deploy_directory(rt, Actor.system())
    lines.append(
        f"{region.code}: region_admin, region_commission1-3, region_ict, region_chair, region_responsible"
    )
    for new in DEMO_SCHOOLS:
        school, _ = ensure_school(rt, new)
        with tenancy.acting_as(school.id):
            created = load_demo_users(rt, prefix=f"{school.code}.")
            deploy.deploy_directory(rt, Actor.system())
            lines.append(f"{school.code}: {created} demo users ({school.code}.director, …)")
            lines.extend(f"{school.code}: {line}" for line in school_data(rt))
    return lines


def current_identity(rt: Runtime, actor: Actor) -> SchoolInfo | None:
    """The acting school's names and time zone as its row holds them (empty: the deployment's)."""
    actor.require_admin("only an admin changes the school's settings")
    with rt.db.read() as session:
        school = tenancy.acting_school()
        row = session.get(School, school) if school is not None and school != tenancy.ALL else None
        return SchoolInfo.of(row) if row is not None else None


def change_identity(rt: Runtime, actor: Actor, name_kk: str, name_ru: str, timezone: str) -> SchoolInfo:
    """The school's admin names the school (kk, ru: documents print the Kazakh one) and its time zone;
    empty values fall back to the deployment's SCHOOL_NAME and TIMEZONE. Audited."""
    actor.require_admin("only an admin changes the school's settings")
    problems: dict[str, FieldError] = {}
    if len(name_kk.strip()) > 300:
        problems["name_kk"] = FieldError("max_length", {"limit": 300})
    if len(name_ru.strip()) > 300:
        problems["name_ru"] = FieldError("max_length", {"limit": 300})
    if timezone.strip() and not _is_zone(timezone.strip()):
        problems["timezone"] = FieldError("enum")
    if problems:
        raise ValidationFailed(problems)
    school = tenancy.acting_school()
    if school is None or school == tenancy.ALL:
        school = rt.db.default_school
    with rt.db.session() as session:
        row = session.get(School, school, with_for_update=True)
        if row is None:
            raise Conflict("no school acts")
        before = {"name_kk": row.name_kk, "name_ru": row.name_ru, "timezone": row.timezone}
        row.name_kk, row.name_ru, row.timezone = name_kk.strip(), name_ru.strip(), timezone.strip()
        after = {"name_kk": row.name_kk, "name_ru": row.name_ru, "timezone": row.timezone}
        audit.append(session, actor.username, "school.change", detail={"before": before, "after": after})
        info = SchoolInfo.of(row)
    rt.forget_school(info.id)
    return info
