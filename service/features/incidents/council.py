"""From an incident's council decision to an amendment of a local act: start it, link both ways."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.acts import usecases as act_cases
from service.features.acts.models import ActAmendment, LocalAct
from service.features.incidents import access as incident_access
from service.features.incidents.council_models import IncidentAmendment
from service.features.incidents.models import Incident
from service.features.incidents.usecases import journal_number
from service.platform.audit import log as audit
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.runtime import Actor, Runtime

# Issue 6 lets responsible, wg_chair and council members propose; from an incident, the two who
# carry the council's decision forward (the chair who recorded it, the responsible who follows it up).
AMENDERS = frozenset({"responsible", "wg_chair"})
# After the council's decision is recorded (a reopened incident clears it and goes back to triage).
DECIDED_STATUSES = frozenset({"follow_up", "decided", "closed"})
SOURCE = "council_recommendation"
# The reason names the journal number only: amendments are read by all staff, the incident is not.
REASON = "Кеңестің № {number} оқиға бойынша шешімі"
MAX_EXTRA_REASON = 4000


@dataclass(frozen=True)
class AmendmentLink:
    instance_id: int
    act: str | None  # None until the proposer submits the proposal
    clause: str | None
    status: str  # the amendment's status, or "draft" before the proposal is submitted
    started_by: str
    started_at: datetime


@dataclass(frozen=True)
class IncidentRef:
    id: int
    number: str | None


def _number(incident: Incident) -> str:
    return journal_number(incident) or str(incident.id)


def reason_for(incident: Incident) -> str:
    return REASON.format(number=_number(incident))


def may_amend_from(actor: Actor, incident: Incident) -> bool:
    """Whether the incident page offers the action (the use case checks the same again)."""
    return (
        actor.has(*AMENDERS)
        and incident_access.sees_all(actor)
        and incident.decision is not None
        and incident.status in DECIDED_STATUSES
    )


def _amendable(session: Session, actor: Actor, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or not incident_access.may_read(actor, incident):
        raise NotFound("no such incident")  # existence is private, as on the incident page
    if not actor.has(*AMENDERS):
        raise Forbidden("only the responsible person or the working group's chair can propose this")
    if incident.decision is None or incident.status not in DECIDED_STATUSES:
        raise Conflict("the council has not decided on this incident")
    return incident


def propose_amendment(
    rt: Runtime, actor: Actor, incident_id: int, proposal: dict[str, Any] | None = None
) -> int:
    """Start regulation_amendment from the council's decision; returns the new instance id.

    Without `proposal` (the page) the proposer's first task opens with the source and the reason
    prefilled, and they choose the act and clause there. With it (the API) act, clause, change and
    proposed_text are checked at once as for any amendment; its `reason`, if any, follows ours.
    """
    with rt.db.session() as session:
        incident = _amendable(session, actor, incident_id)
        reason = reason_for(incident)
        number = _number(incident)
    if proposal is None:
        instance_id = start_process(rt, actor, act_cases.PROCESS_ID, {"source": SOURCE, "reason": reason})
    else:
        extra = str(proposal.get("reason") or "").strip()
        if len(extra) > MAX_EXTRA_REASON:
            raise ValidationFailed({"reason": FieldError("max_length", {"limit": MAX_EXTRA_REASON})})
        instance_id = act_cases.start_amendment(
            rt,
            actor,
            act=str(proposal.get("act") or ""),
            clause=str(proposal.get("clause") or ""),
            change=str(proposal.get("change") or ""),
            proposed_text=str(proposal.get("proposed_text") or ""),
            reason=f"{reason}. {extra}" if extra else reason,
            source=SOURCE,
        )
    with rt.db.session() as session:
        link = IncidentAmendment(incident_id=incident_id, instance_id=instance_id, started_by=actor.username)
        session.add(link)
        session.flush()
        audit.append(
            session,
            actor.username,
            "incident.amendment.start",
            instance_id=instance_id,
            detail={"incident_id": incident_id, "number": number},
        )
    return instance_id


def amendments_of_incident(rt: Runtime, actor: Actor, incident_id: int) -> list[AmendmentLink]:
    """The amendments started from an incident, for those who read it in full (else an empty list)."""
    with rt.db.session() as session:
        incident = session.get(Incident, incident_id)
        if incident is None or not incident_access.may_read(actor, incident):
            raise NotFound("no such incident")
        if not incident_access.sees_all(actor):
            return []
        rows = session.execute(
            select(IncidentAmendment, ActAmendment, LocalAct.code, ProcessInstance.status)
            .join(ProcessInstance, ProcessInstance.id == IncidentAmendment.instance_id)
            .outerjoin(ActAmendment, ActAmendment.instance_id == IncidentAmendment.instance_id)
            .outerjoin(LocalAct, LocalAct.id == ActAmendment.act_id)
            .where(IncidentAmendment.incident_id == incident_id)
            .order_by(IncidentAmendment.id)
        ).all()
        return [
            AmendmentLink(
                instance_id=link.instance_id,
                act=code,
                clause=row.clause if row is not None else None,
                status=row.status if row is not None else _draft_status(instance_status),
                started_by=link.started_by,
                started_at=link.created_at,
            )
            for link, row, code, instance_status in rows
        ]


def _draft_status(instance_status: str) -> str:
    # Never submitted: still a draft while the process runs, otherwise it ended without a proposal.
    return "draft" if instance_status == "running" else "dropped"


def incident_of_amendment(rt: Runtime, actor: Actor, instance_id: int) -> IncidentRef | None:
    """The incident an amendment came from, only for someone allowed to read that incident."""
    with rt.db.session() as session:
        return _source_incident(session, actor, instance_id)


def _source_incident(session: Session, actor: Actor, instance_id: int) -> IncidentRef | None:
    row = session.execute(
        select(Incident)
        .join(IncidentAmendment, IncidentAmendment.incident_id == Incident.id)
        .where(IncidentAmendment.instance_id == instance_id)
    ).scalar_one_or_none()
    if row is None or not incident_access.may_read(actor, row):
        return None
    return IncidentRef(row.id, journal_number(row))


def amendment_source_panel(
    session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask | None
) -> dict[str, Any] | None:
    """An amendment's instance page links the incident it came from, for that incident's readers only."""
    source = _source_incident(session, actor, instance.id)
    return {"id": source.id, "number": source.number} if source else None
