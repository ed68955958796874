"""Out of office: a person (or the admin for them) names a deputy for a date range.

While it runs (school days in the school's zone, both ends included) the deputy also sees, claims and
completes the tasks assigned to the absent person and the tasks of the absent person's roles, and the
history names both ("Айгүл (for Болат)"). A personal step — a member's vote, a signed evaluation — is
never delegated (`Registry.is_personal_step`): the deputy gets 403 `not_delegable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.persistence.models import (
    HumanTask,
    ProcessInstance,
    Substitution,
    User,
    UserRole,
)
from service.platform.runtime import Actor, Runtime

MAX_DAYS = 366


@dataclass(frozen=True)
class Absence:
    """Someone the actor stands in for today: their id, username, name and roles."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[str]


def today(rt: Runtime) -> date:
    return utcnow().astimezone(rt.tz).date()


def absences_covered_by(rt: Runtime, session: Session, actor: Actor) -> list[Absence]:
    """Everyone whose work `actor` does today as their deputy."""
    if actor.id is None:
        return []
    day = today(rt)
    rows = session.execute(
        select(Substitution).where(
            Substitution.deputy_id == actor.id,
            Substitution.cancelled_at.is_(None),
            Substitution.starts_on <= day,
            Substitution.ends_on >= day,
        )
    ).scalars()
    found: dict[int, Absence] = {}
    for row in rows:
        if not row.absent.is_active or row.absent_id in found:
            continue
        roles = frozenset(
            session.execute(select(UserRole.role).where(UserRole.user_id == row.absent_id)).scalars()
        )
        found[row.absent_id] = Absence(row.absent_id, row.absent.username, row.absent.full_name, roles)
    return list(found.values())


def covering_absence(
    rt: Runtime, session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask
) -> Absence | None:
    """The absent person on whose behalf `actor` may work on `task` today, or None.

    Raises `NotDelegable` (403 with its reason) when the task would be theirs but is a personal step.
    """
    from service.platform.errors import NotDelegable

    candidate_roles = {r.role for r in task.candidate_roles}
    for absence in absences_covered_by(rt, session, actor):
        if task.assignee_id is not None:
            covered = task.assignee_id == absence.user_id
        else:
            covered = bool(absence.roles & candidate_roles)
        if covered:
            if rt.features.is_personal_step(instance, task):
                raise NotDelegable("a personal step is never delegated")
            return absence
    return None


def claimed_for(
    rt: Runtime, session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask
) -> Absence | None:
    """A role task the actor claimed as a deputy (they hold none of its roles, it was not assigned to
    them by the process): the absent person whose role brought it to them."""
    roles = {r.role for r in task.candidate_roles}
    if task.assigned_directly or not roles or actor.roles & roles:
        return None
    for absence in absences_covered_by(rt, session, actor):
        if absence.roles & roles:
            return absence
    return None


@dataclass(frozen=True)
class SubstitutionView:
    id: int
    absent: str
    absent_name: str
    deputy: str
    deputy_name: str
    starts_on: date
    ends_on: date
    created_by: str
    active: bool


def _view(rt: Runtime, row: Substitution) -> SubstitutionView:
    day = today(rt)
    return SubstitutionView(
        id=row.id,
        absent=row.absent.username,
        absent_name=row.absent.full_name,
        deputy=row.deputy.username,
        deputy_name=row.deputy.full_name,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        created_by=row.created_by,
        active=row.starts_on <= day <= row.ends_on,
    )


def _user(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username.strip())).scalar_one_or_none()


def _date(value: str, name: str, problems: dict[str, FieldError]) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems[name] = FieldError("date")
        return None


def name_deputy(
    rt: Runtime, actor: Actor, absent: str, deputy: str, starts_on: str, ends_on: str
) -> SubstitutionView:
    """`absent` (the actor, or anyone when the actor is admin) is away; `deputy` stands in. Audited."""
    if actor.username != absent.strip() and not actor.is_admin:
        raise Forbidden("only the person themselves or an admin names a deputy")
    problems: dict[str, FieldError] = {}
    first = _date(starts_on, "starts_on", problems)
    last = _date(ends_on, "ends_on", problems)
    with rt.db.session() as session:
        away = _user(session, absent)
        if away is None:
            raise NotFound("no such user")
        stand_in = _user(session, deputy) if deputy.strip() else None
        if stand_in is None or not stand_in.is_active:
            problems["deputy"] = FieldError("unknown_user" if deputy.strip() else "required")
        elif stand_in.id == away.id:
            problems["deputy"] = FieldError("same_person")
        if first is not None and last is not None:
            if last < first:
                problems["ends_on"] = FieldError("before_start")
            elif last < today(rt):
                problems["ends_on"] = FieldError("in_the_past")
            elif (last - first).days > MAX_DAYS:
                problems["ends_on"] = FieldError("too_long", {"limit": MAX_DAYS})
        if problems:
            raise ValidationFailed(problems)
        assert first is not None and last is not None and stand_in is not None
        # One deputy at a time: a second range that overlaps would make "who acts" ambiguous.
        session.execute(select(User.id).where(User.id == away.id).with_for_update()).scalar_one()
        overlapping = session.execute(
            select(Substitution.id).where(
                Substitution.absent_id == away.id,
                Substitution.cancelled_at.is_(None),
                Substitution.starts_on <= last,
                Substitution.ends_on >= first,
            )
        ).first()
        if overlapping is not None:
            raise Conflict("a deputy is already named for part of these days")
        row = Substitution(
            absent_id=away.id,
            deputy_id=stand_in.id,
            starts_on=first,
            ends_on=last,
            created_by=actor.username,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor.username,
            "substitution.create",
            detail={
                "absent": away.username,
                "deputy": stand_in.username,
                "starts_on": first.isoformat(),
                "ends_on": last.isoformat(),
            },
        )
        session.refresh(row)
        return _view(rt, row)


def cancel(rt: Runtime, actor: Actor, substitution_id: int) -> None:
    """The absent person or an admin ends a substitution early; audited."""
    with rt.db.session() as session:
        row = session.execute(
            select(Substitution).where(Substitution.id == substitution_id).with_for_update(of=Substitution)
        ).scalar_one_or_none()
        if row is None or row.cancelled_at is not None:
            raise NotFound("no such substitution")
        if row.absent_id != actor.id and not actor.is_admin:
            raise Forbidden("only the absent person or an admin ends it")
        row.cancelled_at = utcnow()
        audit.append(
            session,
            actor.username,
            "substitution.cancel",
            detail={"absent": row.absent.username, "deputy": row.deputy.username},
        )


def listing(rt: Runtime, actor: Actor) -> list[SubstitutionView]:
    """Substitutions not yet over: the actor's own (away or deputy), or everyone's for the admin."""
    with rt.db.read() as session:
        query = select(Substitution).where(
            Substitution.cancelled_at.is_(None), Substitution.ends_on >= today(rt)
        )
        if not actor.is_admin:
            query = query.where((Substitution.absent_id == actor.id) | (Substitution.deputy_id == actor.id))
        return [_view(rt, row) for row in session.execute(query.order_by(Substitution.starts_on)).scalars()]


def colleagues(rt: Runtime) -> list[tuple[str, str]]:
    """(username, full name) of every active person, for choosing a deputy."""
    with rt.db.read() as session:
        rows = session.execute(
            select(User.username, User.full_name).where(User.is_active.is_(True)).order_by(User.full_name)
        ).all()
    return [(str(u), str(n)) for u, n in rows]
