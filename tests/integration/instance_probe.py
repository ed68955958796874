"""Reading an instance's stored state in tests that prove a failed run changed nothing."""

from __future__ import annotations

from sqlalchemy import select

from service.platform.persistence.models import AuditEvent, HumanTask, ProcessInstance
from service.platform.runtime import Runtime

Snapshot = tuple[str, str, int, list[tuple[str, str]], list[str]]


def snapshot(rt: Runtime, instance_id: int) -> Snapshot:
    """State, status, version, inbox rows (bpmn id, status) and audit actions of one instance."""
    with rt.db.session() as session:
        instance = session.get(ProcessInstance, instance_id)
        assert instance is not None
        rows = session.execute(
            select(HumanTask.bpmn_id, HumanTask.status)
            .where(HumanTask.instance_id == instance_id)
            .order_by(HumanTask.id)
        ).all()
        actions = session.execute(
            select(AuditEvent.action).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
        ).scalars()
        return (
            instance.state_json,
            instance.status,
            instance.version,
            [(r.bpmn_id, r.status) for r in rows],
            list(actions),
        )


def open_task_id(rt: Runtime, instance_id: int, bpmn_id: str) -> int:
    """The id of the one open inbox row of `bpmn_id` in the instance."""
    with rt.db.session() as session:
        return session.execute(
            select(HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"
            )
        ).scalar_one()
