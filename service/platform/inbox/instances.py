"""Starting processes and reading an instance with its open tasks and history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import BadRequest, Forbidden, NotFound
from service.platform.inbox import queries
from service.platform.inbox.access import can_view_instance, unlisted_processes
from service.platform.inbox.cursor import Cursor
from service.platform.inbox.projection import CreatedTask
from service.platform.inbox.run import AuditNote, EngineStep, run_engine
from service.platform.persistence import direct, tenancy
from service.platform.persistence.adopt import adopt
from service.platform.persistence.models import (
    AuditEvent,
    Comment,
    HumanTask,
    ProcessDefinition,
    ProcessInstance,
    User,
)
from service.platform.processes.definitions import definition_parts
from service.platform.registry import Panel
from service.platform.roles import parse_lane
from service.platform.runtime import Actor, Runtime

# Keys the service itself sets at start; a caller cannot smuggle them in.
RESERVED_START_KEYS = frozenset({"initiator", "initiator_name", "typename"})
_INSERT_INSTANCE = cast(Table, ProcessInstance.__table__).insert().returning(ProcessInstance.__table__.c.id)


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    actor: str
    action: str
    task: str | None
    decision: str | None
    comment: str | None
    actor_name: str = ""  # the person's full name; the username when no account has it ("system")
    # Another actor of the same timeline has the same full name: pages show the username beside it.
    name_is_shared: bool = False
    # A deputy acted: the absent person they stood in for (username and full name).
    on_behalf_of: str | None = None
    on_behalf_of_name: str | None = None
    # The step's and the decision's names by language (kk, ru, en), from the task's form; empty when
    # unknown (then pages fall back to `task`, and to a generic word for the decision).
    task_titles: Mapping[str, str] = field(default_factory=dict)
    decision_titles: Mapping[str, str] = field(default_factory=dict)


@dataclass
class InstanceView:
    instance: ProcessInstance
    definition_version: int
    open_tasks: list[HumanTask]
    history: list[HistoryEntry]
    comments: list[Comment]
    # The features' blocks on this page (an order's number, the incident an amendment came from…).
    panels: list[Panel] = field(default_factory=list)


def startable(rt: Runtime, actor: Actor) -> list[ProcessDefinition]:
    with rt.db.session() as session:
        return [d for d in queries.active_definitions(session) if may_start(actor, d)]


def may_start(actor: Actor, definition: ProcessDefinition) -> bool:
    roles = parse_lane(definition.start_roles)
    return not roles or actor.has(*roles) or actor.is_admin


@dataclass
class StartedInstance:
    """A new instance as its start left it: what the API answers, read in the start's own transaction."""

    instance: ProcessInstance
    definition_version: int
    open_tasks: list[CreatedTask]
    history: list[HistoryEntry]


def start_process(rt: Runtime, actor: Actor, process_id: str, data: dict[str, Any] | None = None) -> int:
    """Start the active version of a process; returns the new instance id."""
    return start(rt, actor, process_id, data, view=False).instance.id


def start(
    rt: Runtime, actor: Actor, process_id: str, data: dict[str, Any] | None = None, *, view: bool = True
) -> StartedInstance:
    """Start the active version of a process. With `view`, the instance's timeline is read in the same
    transaction, so a reply needs no second one (its open tasks are the rows the run created)."""
    data = dict(data or {})
    bad = RESERVED_START_KEYS.intersection(data)
    if bad:
        raise BadRequest(f"reserved keys in start data: {', '.join(sorted(bad))}")
    with rt.db.session() as session:
        definition = queries.active_definition(session, process_id)
        if definition is None:
            raise NotFound("no such process")
        if not may_start(actor, definition):
            raise Forbidden("you may not start this process")
        # Written in Core (the operators need its id before the run), handed out as the loaded object.
        columns = {
            "definition_id": definition.id,
            "process_id": definition.process_id,
            "title": str(data.get("title") or definition.name)[:300],
            "status": "running",
            "state_json": "{}",
            "next_timer_at": None,
            "started_by_id": actor.id,
            "started_at": utcnow(),
            "ended_at": None,
            "version": 1,
            "error": None,
            "school_id": tenancy.school_for_new_rows(),
        }
        new_id = direct.execute(session.connection(), _INSERT_INSTANCE, columns).scalar_one()
        instance = adopt(session, ProcessInstance, {"id": new_id, **columns})
        start_data = {**data, "initiator": actor.username, "initiator_name": actor.full_name}
        note = AuditNote(
            actor.username, "instance.start", {"process": process_id, "version": definition.version}
        )
        created = run_engine(rt, session, instance, EngineStep("start", start_data), note)
        return StartedInstance(
            instance=instance,
            definition_version=definition.version,
            open_tasks=[t for t in created if t.status == "open"],
            history=_started_history(rt, session, instance, actor) if view else [],
        )


def _started_history(
    rt: Runtime, session: Session, instance: ProcessInstance, actor: Actor
) -> list[HistoryEntry]:
    """A new instance's timeline: the events this transaction appended are all it has, so they are not
    read back; the starter's name is the actor's (anyone else the run named is looked up)."""
    forms = definition_parts(rt, session, instance.definition_id).forms
    events = audit.events_written(session, instance.id)
    return history_of(events, session, forms, known_names={actor.username: actor.full_name})


def history_of(
    events: list[AuditEvent],
    session: Session | None = None,
    forms: Mapping[str, Any] | None = None,
    *,
    known_names: Mapping[str, str] | None = None,
) -> list[HistoryEntry]:
    """Timeline entries; with a session, each actor's full name and each step's titles are looked up in
    one query each (no names query when `known_names` has them all); with the definition's `forms`,
    each decision gets its option's titles."""
    names: dict[str, str] = {}
    steps: dict[int, tuple[str, str]] = {}  # task id -> (title_i18n, form_key)
    if session is not None and events:
        usernames = {e.actor for e in events} | {
            str(json.loads(e.detail_json or "{}").get("on_behalf_of") or "") for e in events
        }
        usernames.discard("")
        known = known_names or {}
        if usernames.issubset(known):
            names = {username: known[username] for username in usernames}
        else:
            found = session.execute(select(User.username, User.full_name).where(User.username.in_(usernames)))
            names = {username: full_name for username, full_name in found.all()}
        task_ids = {e.task_id for e in events if e.task_id is not None}
        if task_ids:
            rows = session.execute(
                select(HumanTask.id, HumanTask.title_i18n, HumanTask.form_key).where(
                    HumanTask.id.in_(task_ids)
                )
            )
            steps = {row.id: (row.title_i18n or "{}", row.form_key or "") for row in rows}
    shared = _shared_names(names)
    any_form = _option_titles(forms or {})
    entries = []
    for event in events:
        detail = json.loads(event.detail_json or "{}")
        title_i18n, form_key = steps.get(event.task_id or 0, ("{}", ""))
        decision = detail.get("decision")
        titles = _option_titles(forms or {}, form_key).get(str(decision)) or any_form.get(str(decision), {})
        entries.append(
            HistoryEntry(
                at=event.at,
                actor=event.actor,
                action=event.action,
                task=detail.get("task_name") or detail.get("task"),
                decision=decision,
                comment=detail.get("comment"),
                actor_name=names.get(event.actor, event.actor),
                name_is_shared=names.get(event.actor) in shared,
                on_behalf_of=detail.get("on_behalf_of"),
                on_behalf_of_name=(
                    names.get(detail["on_behalf_of"], detail["on_behalf_of"])
                    if detail.get("on_behalf_of")
                    else None
                ),
                task_titles=_titles(title_i18n),
                decision_titles=titles,
            )
        )
    return entries


def instance_history(rt: Runtime, session: Session, instance: ProcessInstance) -> list[HistoryEntry]:
    """An instance's timeline with names, step titles and decision titles from its version's forms."""
    forms = definition_parts(rt, session, instance.definition_id).forms
    return history_of(audit.instance_events(session, instance.id), session, forms)


def _titles(title_i18n: str) -> dict[str, str]:
    try:
        value = json.loads(title_i18n)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items() if v} if isinstance(value, dict) else {}


def _option_titles(forms: Mapping[str, Any], form_key: str | None = None) -> dict[str, dict[str, str]]:
    """{option value: {lang: title}} of the enum fields of one form (or of all, the first title winning):
    a decision is named as the form offered it ("Бекітемін", "Пысықтауға қайтару")."""
    chosen = [forms.get(form_key, {})] if form_key is not None else list(forms.values())
    options: dict[str, dict[str, str]] = {}
    for form in chosen:
        properties = form.get("properties", {}) if isinstance(form, Mapping) else {}
        for prop in properties.values():
            titles = prop.get("x-enum-titles") if isinstance(prop, Mapping) else None
            if isinstance(titles, Mapping):
                for value, by_lang in titles.items():
                    if isinstance(by_lang, Mapping):
                        options.setdefault(str(value), {str(k): str(v) for k, v in by_lang.items()})
    return options


def _shared_names(names: dict[str, str]) -> set[str]:
    """Full names that more than one of the usernames carries."""
    seen: dict[str, int] = {}
    for full_name in names.values():
        seen[full_name] = seen.get(full_name, 0) + 1
    return {name for name, count in seen.items() if count > 1}


def get_instance(rt: Runtime, actor: Actor, instance_id: int, *, page: bool = True) -> InstanceView:
    """The instance with its open tasks and history; `page=False` (the API's reply) leaves out the
    page's comments and the features' panels, which the API never shows and which cost statements."""
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is None or not can_view_instance(rt, session, actor, instance):
            raise NotFound("no such instance")  # 404 either way: existence is not disclosed
        try:
            # The cached parts carry the version: no reading of the (large) spec row per request.
            version = definition_parts(rt, session, instance.definition_id).version
        except NotFound:
            version = 0
        return InstanceView(
            instance=instance,
            definition_version=version,
            open_tasks=queries.open_tasks_of(session, instance_id),
            history=instance_history(rt, session, instance),
            panels=rt.features.panels("instance", session, actor, instance, None) if page else [],
            comments=list(
                session.execute(
                    select(Comment).where(Comment.instance_id == instance_id).order_by(Comment.id)
                ).scalars()
            )
            if page
            else [],
        )


def process_names(rt: Runtime) -> dict[str, str]:
    """Each process's name as its latest deployed version gives it (an admin's diagram has no other)."""
    with rt.db.session() as session:
        rows = session.execute(
            select(ProcessDefinition.process_id, ProcessDefinition.name).order_by(ProcessDefinition.version)
        )
        return {process_id: name for process_id, name in rows.all()}


def list_instances(
    rt: Runtime, actor: Actor, *, limit: int = 50, offset: int = 0, cursor: Cursor | None = None
) -> queries.InstancePage:
    from service.platform.inbox.access import sees_all_tasks

    with rt.db.session() as session:
        started_by = None if sees_all_tasks(actor) else actor.id
        return queries.list_instances(
            session,
            started_by=started_by,
            limit=limit,
            offset=offset,
            cursor=cursor,
            # A private process's instances name people; they are followed on its own pages instead.
            hidden_processes=unlisted_processes(rt, actor),
        )
