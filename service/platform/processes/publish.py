"""The region publishes a process version to its schools: each school gets it as its next version.

Publishing deploys the region's version (its XML and the forms it was deployed with) in every school, one
school after another, each in its own transactions, exactly as a deploy there would: same checks against
that school's roles, users and processes, a new version made active, running instances left on theirs.
A school whose active version was its own adaptation gets the region's all the same; its own stays as an
older version (the versions page offers "Deploy again"), and its admins are told in a notification. A
school where the version cannot deploy (a called process it lacks, an assignee it has not) is reported
and keeps what it had. A school where steps of the version go to a role nobody there holds is reported
with the deploy's own warning, and its admins are told in the same notification. Every publication is
audited in each school it reached and in the region.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.errors import DeployProblem, Forbidden, InvalidBpmn, NotFound
from service.platform.inbox import queries as people
from service.platform.notify.outbox import notify
from service.platform.persistence import tenancy
from service.platform.persistence.models import AuditEvent, ProcessDefinition, School
from service.platform.processes import deploy
from service.platform.processes import queries as editor_queries
from service.platform.runtime import Actor, Runtime

ACTION = "process.publish"
NOTICE = "process_published"


@dataclass(frozen=True)
class SchoolOutcome:
    """What one school got: its new version, or the problems that kept it from deploying there."""

    school: str
    version: int | None
    changed: bool
    replaced_own: int | None = None  # the school's own version that was active until now (kept)
    problems: list[DeployProblem] = field(default_factory=list)
    # Steps the version sends to a role nobody active in that school holds (the deploy's warnings there).
    warnings: tuple[deploy.DeployWarning, ...] = ()


@dataclass(frozen=True)
class Publication:
    process_id: str
    version: int  # the region's version that was published
    schools: list[SchoolOutcome]


@dataclass(frozen=True)
class _Source:
    xml: bytes
    filename: str
    name: str
    note: str
    forms: dict[str, dict[str, Any]]
    version: int


def may_publish(rt: Runtime, actor: Actor) -> bool:
    """The region's administrator, acting in the region's tenant (a school's admin never publishes)."""
    if not actor.has("region_admin") or actor.school_id is None:
        return False
    info = rt.school(actor.school_id)
    return info is not None and info.kind == "region"


def publish(rt: Runtime, actor: Actor, process_id: str, version: int | None = None) -> Publication:
    """Deploy the region's `version` of `process_id` (its active one by default) in every school."""
    if not may_publish(rt, actor):
        raise Forbidden("only the region's administrator publishes processes")
    assert actor.school_id is not None
    with tenancy.acting_as(actor.school_id), rt.db.read() as session:
        source = _source(session, process_id, version)
    # In each school the version is deployed by the region's administrator (named in its audit log),
    # who is not one of its people: no user row of that school stands behind it.
    publisher = Actor(None, actor.username, actor.full_name, frozenset({"admin"}), actor.language)
    outcomes = [
        _publish_in(rt, publisher, school_id, code, process_id, source) for school_id, code in _schools(rt)
    ]
    with tenancy.acting_as(actor.school_id), rt.db.session() as session:
        audit.append(
            session,
            actor.username,
            ACTION,
            detail={
                "process": process_id,
                "version": source.version,
                "schools": {o.school: o.version if o.changed else None for o in outcomes},
                "refused": sorted(o.school for o in outcomes if o.problems),
            },
        )
    return Publication(process_id, source.version, outcomes)


def _source(session: Session, process_id: str, version: int | None) -> _Source:
    found = editor_queries.definition(session, process_id, version)
    if found is None:
        raise NotFound("no such process version")
    return _Source(
        found.bpmn_xml.encode("utf-8"),
        found.filename,
        found.name,
        found.note,
        json.loads(found.forms_json),
        found.version,
    )


def _schools(rt: Runtime) -> list[tuple[int, str]]:
    with tenancy.all_schools(), rt.db.read() as session:
        rows = session.execute(
            select(School.id, School.code).where(School.kind == "school").order_by(School.code)
        )
        return [(int(i), str(c)) for i, c in rows.all()]


def _publish_in(
    rt: Runtime, publisher: Actor, school_id: int, code: str, process_id: str, source: _Source
) -> SchoolOutcome:
    with tenancy.acting_as(school_id):
        with rt.db.read() as session:
            own = _own_active_version(session, process_id)
        try:
            outcome = deploy.deploy_bpmn(
                rt,
                publisher,
                source.xml,
                source.filename,
                source.note,
                pinned_forms=source.forms,
                replace=True,
            )
        except InvalidBpmn as err:  # audited there as `process.deploy_refused`; the school keeps its own
            return SchoolOutcome(code, None, False, problems=list(err.problems))
        if not outcome.changed:
            return SchoolOutcome(code, outcome.version, False, warnings=outcome.warnings)
        with rt.db.session() as session:
            audit.append(
                session,
                publisher.username,
                ACTION,
                detail={
                    "process": process_id,
                    "version": outcome.version,
                    "region_version": source.version,
                    "replaced_own": own,
                },
            )
            params = {
                "process": process_id,
                "name": source.name,
                "version": outcome.version,
                "own": own,
                "path": f"/admin/editor/{process_id}/versions",
                # The school's admins are the ones who can give these roles to someone.
                "unheld_roles": [w.role for w in outcome.warnings],
            }
            notify(session, people.users_with_role(session, "admin"), NOTICE, params)
        return SchoolOutcome(code, outcome.version, True, replaced_own=own, warnings=outcome.warnings)


def versions_from_region(session: Session, process_id: str) -> set[int]:
    """The acting school's versions of `process_id` that the region published (read from its audit log)."""
    details = session.execute(select(AuditEvent.detail_json).where(AuditEvent.action == ACTION)).scalars()
    found = set()
    for text in details:
        detail = json.loads(text or "{}")
        if detail.get("process") == process_id and isinstance(detail.get("region_version"), int):
            found.add(int(detail["version"]))
    return found


def _own_active_version(session: Session, process_id: str) -> int | None:
    """The active version when the school's own admin deployed it (not shipped, not from the region)."""
    active = session.execute(
        select(ProcessDefinition.version, ProcessDefinition.deployed_by_id).where(
            ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
        )
    ).one_or_none()
    if active is None or active.deployed_by_id is None:
        return None
    return None if active.version in versions_from_region(session, process_id) else int(active.version)
