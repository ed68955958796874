"""Moving running instances of an older version to a newer one: a dry run, then one move per instance.

Each instance moves in its own transaction under its row lock, so a move never waits on another
instance and a failure leaves that one instance as it was. The engine (`engine.migration`) keeps every
completed task and its data; the waiting tasks keep their ids, so their inbox rows stay, refreshed with
the new version's labels, forms and roles. Who may move: admin only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, undefer

from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.engine import migration
from service.platform.errors import FieldError, NotFound, ServiceError, ValidationFailed
from service.platform.inbox.projection import refresh_moved_rows, save_run
from service.platform.persistence.locks import lock_instance
from service.platform.persistence.models import Campaign, ProcessDefinition, ProcessInstance
from service.platform.processes.definitions import DefinitionParts, definition_parts
from service.platform.processes.operators import build_operators
from service.platform.runtime import Actor, Runtime

MAX_INSTANCES = 500  # one request moves at most this many (the page lists them all the same way)


@dataclass(frozen=True)
class Change:
    """One thing that changes for an instance: `kind` renamed | form | added | removed, with labels."""

    kind: str
    name: str
    new_name: str = ""


@dataclass(frozen=True)
class MoveRow:
    """One running instance: whether it can move, why not (a code and its step), what changes, moved."""

    instance_id: int
    title: str
    waiting: tuple[str, ...]
    can_move: bool
    reason: str | None = None  # waiting_step_removed, passed_step_removed, form_changed, …
    reason_step: str = ""  # the step's label the reason is about
    changes: tuple[Change, ...] = ()
    moved: bool = False
    error: str = ""  # the engine refused during the move itself (nothing was saved)


@dataclass(frozen=True)
class MigrationRequest:
    process_id: str
    from_version: int
    to_version: int
    instance_ids: Sequence[int] | None = None  # None: every running instance of `from_version`
    mapping: Mapping[str, str] = field(default_factory=dict)  # old BPMN id -> new BPMN id
    dry_run: bool = True


def _version(session: Session, process_id: str, version: int) -> int:
    found = session.execute(
        select(ProcessDefinition.id).where(
            ProcessDefinition.process_id == process_id, ProcessDefinition.version == version
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such process version")
    return int(found)


def _validate(request: MigrationRequest) -> None:
    problems: dict[str, FieldError] = {}
    if request.from_version == request.to_version:
        problems["to_version"] = FieldError("same_version")
    if request.instance_ids is not None and len(request.instance_ids) > MAX_INSTANCES:
        problems["instance_ids"] = FieldError("too_many", {"limit": MAX_INSTANCES})
    if problems:
        raise ValidationFailed(problems)


def _check_mapping(new: DefinitionParts, old: DefinitionParts, mapping: Mapping[str, str]) -> None:
    """Every mapped step must name a step of each version (checked against the specs' BPMN ids)."""
    if not mapping:
        return
    old_ids, new_ids = migration.step_ids(old.spec_json), migration.step_ids(new.spec_json)
    bad = {k: v for k, v in mapping.items() if k not in old_ids or v not in new_ids}
    if bad:
        raise ValidationFailed({"mapping": FieldError("unknown_step")})


def _candidates(session: Session, definition_id: int, ids: Sequence[int] | None) -> list[tuple[int, str]]:
    query = select(ProcessInstance.id, ProcessInstance.title).where(
        ProcessInstance.definition_id == definition_id, ProcessInstance.status == "running"
    )
    if ids is not None:
        query = query.where(ProcessInstance.id.in_(list(ids)))
    return [(int(i), str(t)) for i, t in session.execute(query.order_by(ProcessInstance.id)).all()]


def _form_changed(old: DefinitionParts, new: DefinitionParts, step: migration.WaitingStep) -> bool:
    if step.form_key != step.new_form_key:
        return True
    if step.form_key is None:
        return False
    return old.forms.get(step.form_key) != new.forms.get(step.form_key)


def _judge(
    old: DefinitionParts,
    new: DefinitionParts,
    check: migration.MigrationCheck,
    mapping: Mapping[str, str],
) -> tuple[str | None, str, list[Change]]:
    """(reason code or None, the step it names, the changes) for one instance's check."""
    changes: list[Change] = []
    for step in check.waiting:
        if step.new_bpmn_id != step.bpmn_id and mapping.get(step.bpmn_id) != step.new_bpmn_id:
            # The library matched it by its place in the flow; only the admin may say it is the same step.
            return "waiting_step_removed", step.name, changes
        if step.name != step.new_name:
            changes.append(Change("renamed", step.name, step.new_name))
        if _form_changed(old, new, step):
            if step.bpmn_id not in mapping:
                return "form_changed", step.name, changes
            changes.append(Change("form", step.name, step.new_name))
    changes.extend(Change("added", name) for _, name in check.added)
    changes.extend(Change("removed", name) for _, name in check.removed)
    if check.problems:
        first = check.problems[0]
        return first.code, first.name, changes
    return None, "", changes


def _assess(
    old: DefinitionParts, new: DefinitionParts, instance: ProcessInstance, mapping: Mapping[str, str]
) -> tuple[MoveRow, migration.MigrationCheck | None]:
    try:
        check = migration.check_migration(old.spec_json, new.spec_json, instance.state_json, mapping)
    except ServiceError as err:
        return MoveRow(instance.id, instance.title, (), False, "cannot_read", "", error=err.code), None
    reason, step, changes = _judge(old, new, check, mapping)
    row = MoveRow(
        instance_id=instance.id,
        title=instance.title,
        waiting=tuple(s.name for s in check.waiting),
        can_move=reason is None,
        reason=reason,
        reason_step=step,
        changes=tuple(changes),
    )
    return row, check


def _move_one(
    rt: Runtime,
    actor: Actor,
    request: MigrationRequest,
    old_id: int,
    new_id: int,
    instance_id: int,
) -> MoveRow:
    """One instance, in its own transaction under its lock; a refused or failed one is left untouched.

    A dry run only reads (a snapshot, no lock), so checking a page of instances never waits on them.
    """
    if request.dry_run:
        with rt.db.read() as session:
            found = session.execute(
                select(ProcessInstance)
                .where(ProcessInstance.id == instance_id)
                .options(undefer(ProcessInstance.state_json))
            ).scalar_one_or_none()
            if found is None or found.status != "running" or found.definition_id != old_id:
                return MoveRow(instance_id, found.title if found else "", (), False, "not_on_version")
            parts = definition_parts(rt, session, old_id), definition_parts(rt, session, new_id)
            return _assess(*parts, found, request.mapping)[0]
    with rt.db.session() as session:
        instance = lock_instance(session, instance_id)
        if instance is None or instance.status != "running" or instance.definition_id != old_id:
            title = instance.title if instance is not None else ""
            return MoveRow(instance_id, title, (), False, "not_on_version")
        old = definition_parts(rt, session, old_id)
        new = definition_parts(rt, session, new_id)
        row, check = _assess(old, new, instance, request.mapping)
        if not row.can_move or check is None:
            return row
        result = migration.migrate_instance(
            old.spec_json,
            new.spec_json,
            instance.state_json,
            build_operators(rt, session, instance.id),
            request.mapping,
            script_time_limit=rt.script_time_limit,
            script_builtins=rt.features.script_builtins,
            school_settings=school_settings.current(rt, session),
        )
        instance.definition_id = new_id
        save_run(rt, session, instance, result, new.forms)
        renamed = refresh_moved_rows(rt, session, instance, result, new.forms)
        _follow_waiting_steps(session, instance.id, request.mapping)
        audit.append(
            session,
            actor.username,
            "instance.migrate",
            instance_id=instance.id,
            detail={
                "process": request.process_id,
                "from_version": request.from_version,
                "to_version": request.to_version,
                "mapping": dict(request.mapping),
                "tasks_refreshed": renamed,
            },
        )
        return MoveRow(row.instance_id, row.title, row.waiting, True, None, "", row.changes, moved=True)


def _follow_waiting_steps(session: Session, instance_id: int, mapping: Mapping[str, str]) -> None:
    """An open campaign completes its step by BPMN id: a mapped step keeps it reachable."""
    for old_id, new_id in mapping.items():
        session.execute(
            update(Campaign)
            .where(
                Campaign.instance_id == instance_id, Campaign.wait_step == old_id, Campaign.status == "open"
            )
            .values(wait_step=new_id)
            .execution_options(synchronize_session=False)
        )


def migrate(rt: Runtime, actor: Actor, request: MigrationRequest) -> list[MoveRow]:
    """The dry run (`request.dry_run`) or the move of the selected running instances of a version."""
    actor.require_admin()
    _validate(request)
    with rt.db.session() as session:
        old_id = _version(session, request.process_id, request.from_version)
        new_id = _version(session, request.process_id, request.to_version)
        _check_mapping(
            definition_parts(rt, session, new_id), definition_parts(rt, session, old_id), request.mapping
        )
        candidates = _candidates(session, old_id, request.instance_ids)
    rows: list[MoveRow] = []
    for instance_id, title in candidates:
        try:
            rows.append(_move_one(rt, actor, request, old_id, new_id, instance_id))
        except ServiceError as err:
            # The engine refused this one (a script of the new version failed): it stays as it was.
            rows.append(MoveRow(instance_id, title, (), False, "move_failed", "", error=err.code))
    return rows


@dataclass(frozen=True)
class VersionSteps:
    """People's steps of the old version missing from the new one, and the new one's steps they may be
    mapped to (BPMN id, label)."""

    missing: list[tuple[str, str]]
    targets: list[tuple[str, str]]


def version_steps(
    rt: Runtime, actor: Actor, process_id: str, from_version: int, to_version: int
) -> VersionSteps:
    actor.require_admin()
    with rt.db.session() as session:
        old = definition_parts(rt, session, _version(session, process_id, from_version))
        new = definition_parts(rt, session, _version(session, process_id, to_version))
    before = migration.step_labels(old.spec_json, manual_only=True)
    after = migration.step_labels(new.spec_json, manual_only=True)
    missing = sorted(((k, v) for k, v in before.items() if k not in after), key=lambda kv: kv[1])
    return VersionSteps(missing, sorted(after.items(), key=lambda kv: kv[1]))


def active_version(rt: Runtime, actor: Actor, process_id: str) -> int:
    """The version new instances start on (404 for an unknown process)."""
    actor.require_admin()
    with rt.db.session() as session:
        found = session.execute(
            select(ProcessDefinition.version).where(
                ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
            )
        ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such process")
    return int(found)


def running_versions(rt: Runtime, actor: Actor, process_id: str) -> list[tuple[int, int]]:
    """(version, running instances) of every version that has running instances, oldest first."""
    actor.require_admin()
    with rt.db.session() as session:
        rows = session.execute(
            select(ProcessDefinition.version, func.count(ProcessInstance.id))
            .join(ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id)
            .where(ProcessDefinition.process_id == process_id, ProcessInstance.status == "running")
            .group_by(ProcessDefinition.version)
            .order_by(ProcessDefinition.version)
        ).all()
    return [(int(version), int(count)) for version, count in rows]
