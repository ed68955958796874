"""Who hears of a new inbox row: its assignee, else every holder of its roles, else the school's admins."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, case, literal, select
from sqlalchemy.orm import Session

from service.platform.engine import EngineTask
from service.platform.inbox import queries
from service.platform.persistence import direct
from service.platform.persistence.lists import one_of
from service.platform.persistence.models import Notification, ProcessInstance, User, UserRole
from service.platform.roles import ADMIN_ROLE
from service.platform.runtime import Runtime

if TYPE_CHECKING:
    from service.platform.inbox.projection import CreatedTask

_USERS = cast(Table, User.__table__)
_USER_ROLES = cast(Table, UserRole.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)
_INSERT_NOTIFICATION = _NOTIFICATIONS.insert()


def tell_of_new_rows(
    rt: Runtime,
    session: Session,
    instance: ProcessInstance,
    rows: list[tuple[EngineTask, CreatedTask]],
    people: dict[str, tuple[int, str | None]],
    now: datetime,
) -> None:
    """One notification per person who must hear of each new row (`people`: the assignees' ids and
    mail addresses, read once by the caller); Core statements naming the school."""
    mail = rt.smtp_host is not None
    school = instance.school_id
    conn = session.connection()
    for task, row in rows:
        if row.status == "waiting":
            continue  # a campaign completes it; nobody is told of it or sees it in an inbox
        # The step's and the process's names as the reader's language gives them (notification_line.html).
        params = {
            "task": row.name,
            "titles": json.loads(row.title_i18n or "{}"),
            "subject": row.name,
            "instance": instance.title,
            "process": instance.process_id,
        }
        if row.assignee is not None:
            _, email = people[row.assignee]
            direct.execute(
                conn,
                _INSERT_NOTIFICATION,
                {
                    **_notification(school, "task_assigned", params, row, now),
                    "user_id": row.assignee_id,
                    "email_state": "pending" if (mail and email) else "none",
                },
            )
            continue
        roles = sorted(set(row.candidate_roles))
        if not roles:
            # Sent to a person with no active account here and to no role: only an admin can hand it on.
            wanted = task.assignee or ""
            person = queries.full_names(session, [wanted]).get(wanted, wanted)
            unheld = _notification(school, "task_unheld", {**params, "roles": [], "person": person}, row, now)
            _notify_holders(conn, school, [ADMIN_ROLE], unheld, mail)
            continue
        # A task sent to a role waits unseen unless every holder hears of it: the first to claim takes it.
        told = _notify_holders(
            conn,
            school,
            roles,
            _notification(school, "task_waiting", {**params, "roles": roles}, row, now),
            mail,
        )
        if not told:
            # Nobody active holds the role here: the school's admins must give it to someone, or it waits
            # forever (a diagram drawn for a role this school has not filled, the only holder deactivated).
            unheld = _notification(school, "task_unheld", {**params, "roles": roles}, row, now)
            _notify_holders(conn, school, [ADMIN_ROLE], unheld, mail)


def _notification(
    school: int, kind: str, params: dict[str, Any], row: CreatedTask, now: datetime
) -> dict[str, Any]:
    """The columns every notification of a new inbox row has (as `notify.outbox.notify` writes them)."""
    return {
        "school_id": school,
        "kind": kind,
        "subject": str(params.get("subject", kind)),
        "body": json.dumps(params, ensure_ascii=False, default=str),
        "instance_id": row.instance_id,
        "task_id": row.id,
        "created_at": now,
        "email_attempts": 0,
    }


_NOTICE_COLUMNS = (
    "school_id",
    "kind",
    "subject",
    "body",
    "instance_id",
    "task_id",
    "created_at",
    "email_attempts",
)


@cache
def _holders_insert(mail: bool, dialect: str) -> Any:
    """INSERT … SELECT of one notification per active holder of any of the `roles`, built once (with
    bound parameters) for each mail setting: composing it per call cost more than running it."""
    holders = select(_USER_ROLES.c.user_id).where(
        _USER_ROLES.c.school_id == bindparam("school"),
        one_of(_USER_ROLES.c.role, "roles", dialect),
    )
    email_state = (
        case((and_(_USERS.c.email.is_not(None), _USERS.c.email != ""), "pending"), else_="none")
        if mail
        else literal("none")
    )
    return (
        _NOTIFICATIONS.insert()
        .from_select(
            [*_NOTICE_COLUMNS, "user_id", "email_state"],
            select(
                *(bindparam(f"n_{n}", type_=_NOTIFICATIONS.c[n].type) for n in _NOTICE_COLUMNS),
                _USERS.c.id,
                email_state,
            )
            .where(
                _USERS.c.school_id == bindparam("school"),
                _USERS.c.is_active.is_(True),
                _USERS.c.id.in_(holders),
            )
            .order_by(_USERS.c.id),
            include_defaults=False,
        )
        .execution_options(preserve_rowcount=True)
    )  # SQLAlchemy reports an INSERT's rowcount only if asked


_HOLDERS_EXIST = (
    select(literal(1))
    .where(
        _USERS.c.school_id == bindparam("school"),
        _USERS.c.is_active.is_(True),
        _USERS.c.id.in_(
            select(_USER_ROLES.c.user_id).where(
                _USER_ROLES.c.school_id == bindparam("school"),
                _USER_ROLES.c.role.in_(bindparam("roles", expanding=True)),
            )
        ),
    )
    .limit(1)
)


def _notify_holders(
    conn: Connection, school: int, roles: list[str], columns: dict[str, Any], mail: bool
) -> int:
    """One notification per active person holding any of `roles`, each once, in one INSERT … SELECT;
    how many were told."""
    params = {f"n_{n}": columns[n] for n in _NOTICE_COLUMNS}
    holders = _holders_insert(mail, conn.dialect.name)
    told = direct.execute(conn, holders, {**params, "school": school, "roles": roles}).rowcount
    if told is not None and told >= 0:
        return int(told)
    # A driver that cannot count an INSERT … SELECT's rows (-1): whether anyone holds the roles is asked.
    return int(direct.execute(conn, _HOLDERS_EXIST, {"school": school, "roles": roles}).scalar() or 0)
