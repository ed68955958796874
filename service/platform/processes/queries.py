"""Queries of the process editor: one version's XML, one instance's steps, edited forms.

Its version list with counts is `queries.definitions_with_counts`, shared with the admin's process list.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from service.platform.persistence.models import FormRevision, HumanTask, ProcessDefinition, ProcessInstance


def definition(session: Session, process_id: str, version: int | None) -> ProcessDefinition | None:
    """One version with its XML loaded; the active one when version is None."""
    query = select(ProcessDefinition).options(
        undefer(ProcessDefinition.bpmn_xml), undefer(ProcessDefinition.forms_json)
    )
    query = query.where(ProcessDefinition.process_id == process_id)
    if version is None:
        query = query.where(ProcessDefinition.is_active.is_(True))
    else:
        query = query.where(ProcessDefinition.version == version)
    return session.execute(query).scalar_one_or_none()


def bpmn_of(session: Session, definition_id: int) -> str:
    return str(
        session.execute(
            select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition_id)
        ).scalar_one()
    )


def state_of(session: Session, instance_id: int) -> str:
    return str(
        session.execute(
            select(ProcessInstance.state_json).where(ProcessInstance.id == instance_id)
        ).scalar_one()
    )


def tasks_of(session: Session, instance_id: int) -> list[HumanTask]:
    """Every human task of the instance, open and closed, oldest first (the per-step history)."""
    return list(
        session.execute(
            select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
        ).scalars()
    )


def latest_forms(session: Session) -> dict[str, tuple[int, str]]:
    """{form key: (revision, schema JSON)} of the newest saved revision of every edited form."""
    newest = (
        select(FormRevision.form_key, func.max(FormRevision.revision).label("revision"))
        .group_by(FormRevision.form_key)
        .subquery()
    )
    rows = session.execute(
        select(FormRevision.form_key, FormRevision.revision, FormRevision.schema_json).join(
            newest,
            (newest.c.form_key == FormRevision.form_key) & (newest.c.revision == FormRevision.revision),
        )
    ).all()
    return {key: (revision, schema) for key, revision, schema in rows}


def next_form_revision(session: Session, form_key: str) -> int:
    current = session.execute(
        select(func.max(FormRevision.revision)).where(FormRevision.form_key == form_key)
    ).scalar_one()
    return int(current or 0) + 1


def active_diagrams(session: Session) -> list[ProcessDefinition]:
    """The active version of every process with its XML, by process id."""
    return list(
        session.execute(
            select(ProcessDefinition)
            .options(undefer(ProcessDefinition.bpmn_xml))
            .where(ProcessDefinition.is_active.is_(True))
            .order_by(ProcessDefinition.process_id)
        ).scalars()
    )
