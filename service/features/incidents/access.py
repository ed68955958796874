"""Who may see an incident: 404 for everyone else, the reporter's limited view, the anonymous name."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.features.incidents.council_vote import DECIDED
from service.features.incidents.models import Incident
from service.features.incidents.rules import tally_of, vote_summary
from service.platform.inbox.private_view import PrivateView, TaskRedaction
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.runtime import Actor

# The escalation process whose instances and tasks follow the rules below.
PROCESS_ID = "incident_escalation"
# They read every incident in full (Regulation 8: the reporter, responsible, council, chair, director).
FULL_READERS = frozenset({"responsible", "council", "wg_chair", "director"})
# Only the responsible person learns who filed an anonymous report.
NAME_READERS = frozenset({"responsible"})


def sees_all(actor: Actor) -> bool:
    return actor.has(*FULL_READERS)


def may_read(actor: Actor, incident: Incident) -> bool:
    return sees_all(actor) or incident.reporter == actor.username


def sees_reporter(actor: Actor, incident: Incident) -> bool:
    return sees_all(actor) and sees_reporter_name(actor, incident)


def incident_instance_visible(session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    """The process page (its history names the reporter) is for `responsible` only.

    The reporter keeps it until the report is filed (the page they start on), then follows the
    incident through the journal's limited view.
    """
    if actor.has(*NAME_READERS):
        return True
    if instance.started_by_id is None or instance.started_by_id != actor.id:
        return False
    filed = exists().where(Incident.instance_id == instance.id)
    return not bool(session.execute(select(filed)).scalar())


# Process data a council member's or follow-up owner's task page may show; the rest is internal.
_REPORTER_KEYS = frozenset({"initiator", "initiator_name"})
_INTERNAL_KEYS = frozenset({"council_votes", "council_members", "vote_rule", "incident_id", "alerted"})


def redact_task_data(actor: Actor, incident: Incident | None, data: dict[str, object]) -> dict[str, object]:
    """Task data without the reporter (unless the reader may know them) and without others' votes."""
    hidden = set(_INTERNAL_KEYS)
    if incident is None or not sees_reporter_name(actor, incident):
        hidden |= _REPORTER_KEYS
    return {k: v for k, v in data.items() if k not in hidden}


def summary_for(actor: Actor, incident: Incident | None, data: dict[str, Any]) -> dict[str, Any]:
    """The council's vote summary (`vote_summary`, stored in Kazakh) in the reader's language, rebuilt from
    the counts and decision names kept with the incident. Only while the stored text is this tally's: a
    text from an earlier round (the incident was reopened and voted again) or from before the names were
    kept is shown as it was stored."""
    stored = data.get("vote_summary")
    if not isinstance(stored, str) or incident is None or not incident.vote_json or actor.language == "kk":
        return data
    counted = json.loads(incident.vote_json)
    result = tally_of(counted) if isinstance(counted, dict) else None
    labels = counted.get("labels") if isinstance(counted, dict) else None
    if result is None or not isinstance(labels, dict):
        return data
    if vote_summary(result, result.members, labels.get("kk"), "kk") != stored:
        return data
    names = labels.get(actor.language) or labels.get("kk")
    return {**data, "vote_summary": vote_summary(result, result.members, names, actor.language)}


def incident_of_instance(session: Session, instance_id: int) -> Incident | None:
    return session.execute(select(Incident).where(Incident.instance_id == instance_id)).scalar_one_or_none()


def sees_reporter_name(actor: Actor, incident: Incident) -> bool:
    """Whether a person allowed on one of its tasks may see who reported it."""
    return not incident.anonymous or actor.has(*NAME_READERS)


def is_report_form(schema: dict[str, object]) -> bool:
    props = schema.get("properties")
    return isinstance(props, dict) and "anonymous" in props and "occurred_on" in props


def may_open_evidence(session: Session, actor: Actor, ref: str) -> bool:
    """Evidence attached to an incident opens for those who read incidents in full."""
    if not sees_all(actor):
        return False
    attached = exists().where(Incident.evidence == ref)
    return bool(session.execute(select(attached)).scalar())


def lists_all_incident_work(actor: Actor) -> bool:
    """Incident tasks and instances name the reporter and the voters: only `responsible` sees others'."""
    return actor.has(*NAME_READERS)


def redact_incident_task(
    session: Session, actor: Actor, instance: ProcessInstance, data: dict[str, Any]
) -> TaskRedaction:
    """An anonymous reporter is named to `responsible` only; votes stay private until counted."""
    incident = incident_of_instance(session, instance.id)
    shown = summary_for(actor, incident, redact_task_data(actor, incident, data))
    if incident is not None and not sees_reporter_name(actor, incident):
        return TaskRedaction(shown, hides_author=is_report_form)
    return TaskRedaction(shown)


# Registered in access.PRIVATE_PROCESSES under PROCESS_ID.
PRIVATE_VIEW = PrivateView(
    instance_visible=incident_instance_visible,
    lists_all=lists_all_incident_work,
    redact_task=redact_incident_task,
)


CHAIR_DECISION_STEP = "Task_chair_decision"  # the BPMN id of the chair's decision in incident_escalation


def chair_decision_prefill(
    session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask
) -> dict[str, object] | None:
    """The chair's decision form starts with the option the vote decided (the chair may change it, with
    a reason); nothing when the vote had no quorum or majority."""
    if instance.process_id != PROCESS_ID or task.bpmn_id != CHAIR_DECISION_STEP:
        return None
    incident = incident_of_instance(session, instance.id)
    counted = json.loads(incident.vote_json or "{}") if incident is not None else {}
    if counted.get("status") != DECIDED or not counted.get("decision"):
        return None
    return {"decision": str(counted["decision"])}
