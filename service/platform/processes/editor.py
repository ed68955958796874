"""The admin's process editor: diagrams with layout, check, deploy, versions, rollback, diff, steps."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from service.platform.audit import log as audit
from service.platform.engine.layout import BPMN, add_layout
from service.platform.engine.steps import step_states
from service.platform.engine.xmlsafe import UnsafeXml, parse_untrusted
from service.platform.errors import DeployProblem, InvalidBpmn, NotFound
from service.platform.inbox import queries
from service.platform.inbox.access import can_view_instance
from service.platform.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from service.platform.processes import deploy
from service.platform.processes import queries as editor_queries
from service.platform.processes.definitions import definition_parts
from service.platform.processes.publish import versions_from_region
from service.platform.runtime import Actor, Runtime

BLANK_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="Definitions_{pid}" targetNamespace="http://school.kz/bpmn/{pid}">
  <bpmn:collaboration id="Collaboration_{pid}">
    <bpmn:participant id="Participant_{pid}" name="{pid}" processRef="{pid}" />
  </bpmn:collaboration>
  <bpmn:process id="{pid}" name="{pid}" isExecutable="true">
    <bpmn:laneSet id="LaneSet_{pid}">
      <bpmn:lane id="Lane_staff" name="staff">
        <bpmn:flowNodeRef>StartEvent_{pid}</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_{pid}</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_{pid}"><bpmn:outgoing>Flow_{pid}</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_{pid}" sourceRef="StartEvent_{pid}" targetRef="End_{pid}" />
    <bpmn:endEvent id="End_{pid}"><bpmn:incoming>Flow_{pid}</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


@dataclass(frozen=True)
class VersionRow:
    definition: ProcessDefinition
    deployed_by: str
    running: int
    total: int
    from_region: bool = False  # published by the region (`publish.py`), not deployed by the school


@dataclass(frozen=True)
class StepView:
    """What the read-only instance diagram marks: done and current steps, holders, history per step."""

    xml: str
    completed: list[str]
    current: list[str]
    tasks: list[HumanTask]
    forms: Mapping[str, Any] = field(default_factory=dict)  # the version's forms, to name steps and flows


@functools.lru_cache(maxsize=64)
def _deployed_layout(xml: str) -> str:
    """A deployed version's diagram with layout: its XML never changes, so the layout is computed once.

    Keyed by the XML itself (a pure function of it), so no application or database can see another's.
    """
    return add_layout(xml.encode("utf-8")).decode("utf-8")


def _definition(session: Session, process_id: str, version: int | None) -> ProcessDefinition:
    found = editor_queries.definition(session, process_id, version)
    if found is None:
        raise NotFound("no such process version")
    return found


def diagram(rt: Runtime, actor: Actor, process_id: str, version: int | None = None) -> tuple[int, bytes]:
    """(version, XML with diagram interchange) of a deployed version; the active one by default."""
    actor.require_admin()
    with rt.db.session() as session:
        found = _definition(session, process_id, version)
        return found.version, _deployed_layout(found.bpmn_xml).encode("utf-8")


def blank(actor: Actor, process_id: str) -> bytes:
    """A new process: one lane, start and end; the admin renames and extends it."""
    actor.require_admin()
    pid = process_id if process_id.isidentifier() else "new_process"
    return add_layout(BLANK_TEMPLATE.format(pid=pid).encode("utf-8"))


def with_layout(actor: Actor, xml: bytes) -> bytes:
    """An uploaded file made viewable: diagram interchange added where it is missing."""
    actor.require_admin()
    try:
        return add_layout(xml)
    except UnsafeXml as err:
        raise InvalidBpmn([err.problem]) from None


def _filename(xml: bytes) -> str:
    """The deployed file is named after its process, as the shipped files in bpmn/ are."""
    try:
        root = parse_untrusted(xml).getroot()
    except UnsafeXml:
        return "upload.bpmn"
    for process in root.iter(f"{{{BPMN}}}process"):
        pid = process.get("id") or ""
        if pid.isidentifier():
            return f"{pid}.bpmn"
    return "upload.bpmn"


@dataclass(frozen=True)
class CheckReport:
    """What Check found: problems (Deploy would refuse) and warnings (Deploy would go ahead)."""

    problems: list[DeployProblem]
    warnings: tuple[deploy.DeployWarning, ...] = ()


def check(rt: Runtime, actor: Actor, xml: bytes) -> CheckReport:
    """Every deploy-time check, nothing stored; no problems means Deploy will succeed."""
    actor.require_admin()
    try:
        checked = deploy.check_bpmn(rt, xml, _filename(xml))
    except InvalidBpmn as err:
        return CheckReport(err.problems)
    return CheckReport([], checked.warnings)


def deploy_xml(
    rt: Runtime,
    actor: Actor,
    xml: bytes,
    note: str = "",
    filename: str | None = None,
    *,
    replace: bool = False,
) -> deploy.DeployOutcome:
    """The Deploy button and the API: the same checks and the same new version as the upload.

    Without a file name the version is stored as <process id>.bpmn, so that two processes deployed from
    the browser or the API never share a name in the library that resolves call activities.
    """
    actor.require_admin()
    return deploy.deploy_bpmn(rt, actor, xml, filename or _filename(xml), note, replace=replace)


def versions(rt: Runtime, actor: Actor, process_id: str) -> list[VersionRow]:
    actor.require_admin()
    with rt.db.session() as session:
        rows = queries.definitions_with_counts(session, process_id)
        if not rows:
            raise NotFound("no such process")
        published = versions_from_region(session, process_id)
        return [
            VersionRow(
                r.definition, r.deployed_by or "", r.running, r.total, r.definition.version in published
            )
            for r in rows
        ]


def rollback(
    rt: Runtime, actor: Actor, process_id: str, version: int, note: str = ""
) -> deploy.DeployOutcome:
    """Deploys an old version again as the newest one, with the forms it was deployed with."""
    actor.require_admin()
    with rt.db.session() as session:
        old = _definition(session, process_id, version)
        xml, filename = old.bpmn_xml.encode("utf-8"), old.filename
        forms = json.loads(old.forms_json)
    outcome = deploy.deploy_bpmn(
        rt, actor, xml, filename, note or f"rollback to v{version}", pinned_forms=forms, replace=True
    )
    if outcome.changed:
        with rt.db.session() as session:
            audit.append(
                session,
                actor.username,
                "process.rollback",
                detail={"process": process_id, "from_version": version, "version": outcome.version},
            )
    return outcome


# Attribute values BPMN assumes when they are absent; modelers differ in writing them out.
_DEFAULTS = {
    "isSequential": "false",
    "cancelActivity": "true",
    "isInterrupting": "true",
    "isForCompensation": "false",
    "startQuantity": "1",
    "completionQuantity": "1",
    "isImmediate": "true",
}


def _signature(el: etree._Element) -> Any:
    """An element's meaning without layout or whitespace: tag, attributes, text and children."""
    children = [
        _signature(c)
        for c in el
        if isinstance(c.tag, str) and etree.QName(c).localname not in ("incoming", "outgoing")
    ]
    if etree.QName(el).localname == "lane":
        children.sort(key=repr)  # the order of flowNodeRefs means nothing
    attrs = sorted((k, v) for k, v in el.attrib.items() if _DEFAULTS.get(str(k)) != v)
    return (el.tag, attrs, (el.text or "").strip(), children)


def _elements(xml: str) -> dict[str, Any]:
    root = parse_untrusted(xml.encode("utf-8")).getroot()
    found: dict[str, Any] = {}
    for process in root.iter(f"{{{BPMN}}}process"):
        for el in process.iter():
            if not isinstance(el.tag, str) or etree.QName(el).namespace != BPMN:
                continue
            if el is process or not el.get("id") or etree.QName(el).localname.endswith("EventDefinition"):
                continue
            if etree.QName(el).localname in ("laneSet", "inputDataItem", "outputDataItem"):
                continue
            found[el.get("id") or ""] = _signature(el)
    return found


def diff(rt: Runtime, actor: Actor, process_id: str, old: int, new: int) -> dict[str, Any]:
    """Two versions with what was added, removed and changed (by element id)."""
    actor.require_admin()
    with rt.db.session() as session:
        a = _definition(session, process_id, old).bpmn_xml
        b = _definition(session, process_id, new).bpmn_xml
    before, after = _elements(a), _elements(b)
    return {
        "old_version": old,
        "new_version": new,
        "old_xml": _deployed_layout(a),
        "new_xml": _deployed_layout(b),
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
    }


def instance_steps(rt: Runtime, actor: Actor, instance_id: int) -> StepView:
    """The instance's diagram for everyone who may see the instance (404 otherwise)."""
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is None or not can_view_instance(rt, session, actor, instance):
            raise NotFound("no such instance")
        xml = editor_queries.bpmn_of(session, instance.definition_id)
        parts = definition_parts(rt, session, instance.definition_id)
        state = editor_queries.state_of(session, instance_id)
        completed, current = step_states(parts.spec_json, state)
        tasks = editor_queries.tasks_of(session, instance_id)
        done = {t.bpmn_id for t in tasks if t.status == "completed"}
        current_set = set(current) | {t.bpmn_id for t in tasks if t.status == "open"}
        return StepView(
            xml=_deployed_layout(xml),
            completed=sorted((set(completed) | done) - current_set),
            current=sorted(current_set),
            tasks=tasks,
            forms=parts.forms,
        )
