"""Deploying BPMN files as new process versions; a failed deploy leaves the active version in place."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.platform import engine
from service.platform.audit import log as audit
from service.platform.errors import DeployProblem, InvalidBpmn, ProcessExists
from service.platform.persistence.models import ProcessDefinition, User, UserRole
from service.platform.processes.form_editor import current_forms
from service.platform.processes.operators import operator_names
from service.platform.roles import ROLE_CODES
from service.platform.runtime import Actor, Runtime


@dataclass(frozen=True)
class DeployWarning:
    """What the admin should know but that never stops a deploy: tasks sent to a role that no active
    person of the school holds would wait with nobody to do them (`code` "role_unheld")."""

    code: str
    role: str
    tasks: tuple[tuple[str, str], ...]  # (BPMN id, name) of each task affected, in diagram order

    @property
    def message(self) -> str:
        names = ", ".join(f"'{name}'" for _, name in self.tasks)
        return f"nobody active here holds the role '{self.role}': {names} would wait with nobody to do them"


@dataclass(frozen=True)
class DeployOutcome:
    process_id: str
    version: int
    changed: bool
    definition_id: int
    warnings: tuple[DeployWarning, ...] = ()


@dataclass(frozen=True)
class CheckOutcome:
    """A diagram that passed every deploy-time check, and what its deploy would warn about."""

    compiled: engine.CompiledDefinition
    warnings: tuple[DeployWarning, ...] = ()


def _library(session: Session, xml: bytes) -> dict[str, bytes]:
    """The XML of the active processes this file calls, directly or through them, keyed by process id.

    Only those: a deploy must never depend on unrelated processes (a subprocess id equal to some
    deployed process's id was refused only while that process was deployed).
    """
    active = dict(
        session.execute(
            select(ProcessDefinition.process_id, ProcessDefinition.id).where(
                ProcessDefinition.is_active.is_(True)
            )
        ).all()
    )
    defined, wanted = engine.process_references(xml)
    library: dict[str, bytes] = {}
    pending = [pid for pid in wanted if pid in active]
    while pending:
        pid = pending.pop()
        if pid in library or pid in defined:
            continue
        text = session.execute(
            select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == active[pid])
        ).scalar_one()
        library[pid] = text.encode("utf-8")
        _, further = engine.process_references(library[pid])
        pending.extend(p for p in further if p in active and p not in library)
    return {f"{pid}.bpmn": content for pid, content in library.items()}


def _compile(
    rt: Runtime,
    xml: bytes,
    filename: str,
    forms: Mapping[str, Mapping[str, Any]],
    library: Mapping[str, bytes],
) -> engine.CompiledDefinition:
    """Every deploy-time check against the school's roles, operators and active processes."""
    return engine.compile_definition(
        xml,
        filename,
        forms=forms,
        known_roles=ROLE_CODES,
        operators=operator_names(rt),
        library=library,
        suggestion_sources=tuple(rt.features.suggestion_sources),
    )


def check_bpmn(rt: Runtime, xml: bytes, filename: str) -> CheckOutcome:
    """Run every deploy-time check without storing anything (the editor's "Check" button)."""
    xml = engine.as_utf8(xml)
    with rt.db.session() as session:
        compiled = _compile(rt, xml, filename, current_forms(rt, session), _library(session, xml))
        _require_assignees(session, compiled)
        return CheckOutcome(compiled, unheld_role_warnings(session, compiled))


def unheld_role_warnings(session: Session, compiled: engine.CompiledDefinition) -> tuple[DeployWarning, ...]:
    """One warning per role that tasks are sent to and no active person of the acting school holds
    (the session is scoped to it), naming the tasks that would wait unseen: those given to no named
    person and none of whose roles anyone holds — the tasks the run time would announce to the admins
    as `task_unheld` (`inbox/projection.save_run`); this says it before the first one arrives."""
    routed = [r for r in compiled.task_routes if r.roles and not r.to_person]
    wanted = sorted({role for route in routed for role in route.roles})
    if not wanted:
        return ()
    held = set(
        session.execute(
            select(UserRole.role)
            .join(User, User.id == UserRole.user_id)
            .where(UserRole.role.in_(wanted), User.is_active.is_(True))
            .distinct()
        ).scalars()
    )
    unheld: dict[str, list[tuple[str, str]]] = {}
    for route in routed:
        if held.isdisjoint(route.roles):
            for role in route.roles:
                unheld.setdefault(role, []).append((route.bpmn_id, route.name))
    return tuple(DeployWarning("role_unheld", role, tuple(tasks)) for role, tasks in unheld.items())


def _require_assignees(session: Session, compiled: engine.CompiledDefinition) -> None:
    """A task given to a named person (Camunda's assignee="…") needs that person's active account."""
    names = {name for _, name in compiled.assigned_users}
    if not names:
        return
    known = set(
        session.execute(
            select(User.username).where(User.username.in_(names), User.is_active.is_(True))
        ).scalars()
    )
    problems = [
        DeployProblem(
            f"task assigned to '{name}', who has no active account",
            task,
            None,
            "unknown_user",
            {"user": name},
        )
        for task, name in compiled.assigned_users
        if name not in known
    ]
    if problems:
        raise InvalidBpmn(problems)


def deploy_bpmn(
    rt: Runtime,
    actor: Actor,
    xml: bytes,
    filename: str,
    note: str = "",
    pinned_forms: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    replace: bool = False,
    shipped: bool = False,
) -> DeployOutcome:
    """Store a new version when the content changed; running instances keep their own version.

    Versions are keyed by the process id in the file, never by the upload's file name. A file that
    looks like another process than the one deployed under its id (another name, hardly a step in
    common) raises ProcessExists unless `replace`. A `shipped` file (bpmn/ at start-up) deploys only
    when its content is new to every version of its process, so an admin's newer version stays.
    `pinned_forms` (a rollback) override forms/ so an old version comes back with the forms it had.
    """
    actor.require_admin("only an admin can deploy processes")
    xml = engine.as_utf8(xml)  # stored as text: any encoding lxml reads becomes UTF-8 first
    sha = hashlib.sha256(xml).hexdigest()
    with rt.db.session() as session:
        forms = {**current_forms(rt, session), **(pinned_forms or {})}
        try:
            compiled = _compile(rt, xml, filename, forms, _library(session, xml))
            _require_assignees(session, compiled)
        except InvalidBpmn as err:
            audit.append(
                session,
                actor.username,
                "process.deploy_refused",
                detail={"file": filename, "problems": [p.message for p in err.problems][:20]},
            )
            session.commit()
            raise
        # Never a refusal: the admin may give the role after deploying. Shipped files are nobody's to read.
        warnings: tuple[DeployWarning, ...] = () if shipped else unheld_role_warnings(session, compiled)
        active = session.execute(
            select(ProcessDefinition)
            .where(ProcessDefinition.process_id == compiled.process_id, ProcessDefinition.is_active.is_(True))
            .with_for_update()
        ).scalar_one_or_none()
        if active is not None and active.sha256 == sha:
            return DeployOutcome(compiled.process_id, active.version, False, active.id, warnings)
        if shipped and active is not None and _known_content(session, compiled.process_id, sha):
            return DeployOutcome(compiled.process_id, active.version, False, active.id)
        if active is not None and not replace:
            _refuse_lookalike(active, compiled, xml)
        latest = session.execute(
            select(func.max(ProcessDefinition.version)).where(
                ProcessDefinition.process_id == compiled.process_id
            )
        ).scalar_one()
        session.execute(
            update(ProcessDefinition)
            .where(ProcessDefinition.process_id == compiled.process_id)
            .values(is_active=False)
        )
        definition = ProcessDefinition(
            process_id=compiled.process_id,
            version=(latest or 0) + 1,
            name=compiled.name[:300],
            filename=f"{compiled.process_id}.bpmn"[:200],
            bpmn_xml=xml.decode("utf-8"),
            sha256=sha,
            spec_json=compiled.spec_json,
            forms_json=json.dumps(_snapshot(compiled, forms), ensure_ascii=False),
            start_roles=",".join(compiled.start_roles),
            note=note[:500],
            deployed_by_id=actor.id,
            is_active=True,
        )
        session.add(definition)
        session.flush()
        audit.append(
            session,
            actor.username,
            "process.deploy",
            detail={
                "process": compiled.process_id,
                "version": definition.version,
                "sha256": sha,
                "file": filename,
                "replaced": bool(replace and active is not None),
                **({"unheld_roles": [w.role for w in warnings]} if warnings else {}),
            },
        )
        return DeployOutcome(compiled.process_id, definition.version, True, definition.id, warnings)


def _snapshot(compiled: engine.CompiledDefinition, forms: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The forms the version uses, as they are now: forms/ and edits, or generated from the diagram."""
    return {k: compiled.generated_forms.get(k) or forms[k] for k in compiled.form_keys}


def _known_content(session: Session, process_id: str, sha: str) -> bool:
    """Whether some version of the process, active or not, was deployed from exactly these bytes."""
    found = session.execute(
        select(ProcessDefinition.id)
        .where(ProcessDefinition.process_id == process_id, ProcessDefinition.sha256 == sha)
        .limit(1)
    ).first()
    return found is not None


# Below this share of steps in common, a file is another process that happens to reuse the id.
_SAME_PROCESS_SHARE = 0.5


def _refuse_lookalike(active: ProcessDefinition, compiled: engine.CompiledDefinition, xml: bytes) -> None:
    old_steps = engine.step_ids(active.bpmn_xml.encode("utf-8"))
    new_steps = engine.step_ids(xml)
    smaller = min(len(old_steps), len(new_steps)) or 1
    shared = len(old_steps & new_steps) / smaller
    if active.name != compiled.name or shared < _SAME_PROCESS_SHARE:
        raise ProcessExists(
            f"process '{compiled.process_id}' already exists as '{active.name}' (version {active.version});"
            " deploy with replace=true to make this file its next version",
            process_id=compiled.process_id,
            name=compiled.name,
            existing_name=active.name,
            version=active.version,
        )


def deploy_directory(
    rt: Runtime, actor: Actor, directory: Path | None = None
) -> list[DeployOutcome | InvalidBpmn]:
    """Deploy each shipped .bpmn file; a file that fails is reported (its name on the error's
    `filename`) and the others still deploy. A file's content that some version of its process already
    had is skipped, so restarting never puts a shipped file over an admin's newer version."""
    outcomes: list[DeployOutcome | InvalidBpmn] = []
    files = {path.name: path.read_bytes() for path in sorted((directory or rt.bpmn_dir).glob("*.bpmn"))}
    for name in callees_first(files):
        try:
            outcomes.append(deploy_bpmn(rt, actor, files[name], name, replace=True, shipped=True))
        except InvalidBpmn as err:
            err.filename = name
            outcomes.append(err)
        except Exception as err:  # one unreadable file must not stop the others
            failed = InvalidBpmn([DeployProblem(f"{type(err).__name__}: {err}", code="invalid")])
            failed.filename = name
            outcomes.append(failed)
    return outcomes


def callees_first(files: dict[str, bytes]) -> list[str]:
    """File names ordered so that a file calling another process's file comes after that file.

    A call activity resolves only against processes already deployed, so a caller deployed before
    its callee would be refused. Names keep their alphabetical order where no call relates them; a
    cycle or a call into a process no file defines leaves the rest in that order (deploy reports it).
    """
    refs = {name: engine.process_references(xml) for name, xml in files.items()}
    owner = {pid: name for name, (defined, _) in refs.items() for pid in defined}
    needs = {
        name: {owner[pid] for pid in called if pid in owner and owner[pid] != name}
        for name, (_, called) in refs.items()
    }
    ordered: list[str] = []
    pending = sorted(files)
    while pending:
        ready = [n for n in pending if needs[n] <= set(ordered)]
        if not ready:  # a cycle: deploy what remains in name order and let the checks speak
            ready = pending[:1]
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered
