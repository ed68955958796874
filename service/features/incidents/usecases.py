"""The incident journal seen from the pages and the API: lists, one incident, minutes, export, reopen."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from service.features.incidents import access as incident_access
from service.features.incidents import queries as incident_queries
from service.features.incidents.access import PROCESS_ID
from service.features.incidents.documents import Minutes, MinutesVote, minutes_pdf
from service.features.incidents.models import Incident, IncidentFollowUp
from service.features.incidents.queries import CastVote, IncidentFilter
from service.features.incidents.rules import INCIDENT_TYPES, SEVERITIES, STATUSES
from service.platform.audit import anchor
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.formats import long_date, short_date
from service.platform.forms.schema import enum_options
from service.platform.inbox import queries
from service.platform.inbox.instances import start_process
from service.platform.processes.definitions import definition_parts
from service.platform.runtime import Actor, Runtime

REOPENERS = frozenset({"responsible"})


@dataclass
class IncidentView:
    incident: Incident
    full: bool  # False: the reporter's own limited view (status and outcome)
    reporter_name: str | None  # None when the reader may not know who reported it
    votes: list[CastVote] = field(default_factory=list)
    tally: dict[str, Any] | None = None
    follow_ups: list[tuple[IncidentFollowUp, bool]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # username → full name of follow-up owners


def journal_number(incident: Incident) -> str | None:
    return f"{incident.year}/{incident.number}" if incident.number is not None else None


@dataclass(frozen=True)
class IncidentPage:
    rows: list[Incident]
    full: bool  # the reader sees every incident in full; else only their own reports, limited
    total: int  # rows matching the filter among those the reader may see (for the pager)


def list_incidents(rt: Runtime, actor: Actor, flt: IncidentFilter) -> IncidentPage:
    """The rows the actor may see (the filter and search apply only among them)."""
    _check_filter(flt)
    full = incident_access.sees_all(actor)
    with rt.db.session() as session:
        rows, total = incident_queries.list_incidents(session, flt, reporter=None if full else actor.username)
        return IncidentPage(rows, full, total)


def _check_filter(flt: IncidentFilter) -> None:
    errors: dict[str, FieldError] = {}
    if flt.incident_type and flt.incident_type not in INCIDENT_TYPES:
        errors["type"] = FieldError("enum")
    if flt.status and flt.status not in STATUSES:
        errors["status"] = FieldError("enum")
    if flt.severity and flt.severity not in SEVERITIES:
        errors["severity"] = FieldError("enum")
    if errors:
        raise ValidationFailed(errors)


def _readable(session: Session, actor: Actor, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or not incident_access.may_read(actor, incident):
        raise NotFound("no such incident")  # 404 either way: an incident's existence is private
    return incident


def get_incident(rt: Runtime, actor: Actor, incident_id: int) -> IncidentView:
    with rt.db.session() as session:
        incident = _readable(session, actor, incident_id)
        if not incident_access.sees_all(actor):
            return IncidentView(incident, full=False, reporter_name=None)
        reporter_name = None
        if incident_access.sees_reporter(actor, incident):
            user = queries.user_by_username(session, incident.reporter)
            reporter_name = user.full_name if user else incident.reporter
        counted = incident.vote_json is not None
        return IncidentView(
            incident,
            full=True,
            reporter_name=reporter_name,
            # Votes stay private while the vote runs, so no member is swayed by the others.
            votes=incident_queries.votes_of(session, incident) if counted else [],
            tally=json.loads(incident.vote_json or "null"),
            follow_ups=(follow_ups := incident_queries.follow_ups_of(session, incident)),
            names=queries.full_names(session, [f.assignee for f, _done in follow_ups]),
        )


def incident_for_instance(rt: Runtime, actor: Actor, instance_id: int) -> int | None:
    with rt.db.session() as session:
        incident = incident_access.incident_of_instance(session, instance_id)
        if incident is None or not incident_access.may_read(actor, incident):
            return None
        return incident.id


def labels(rt: Runtime, lang: str, session: Session | None = None) -> dict[str, dict[str, str]]:
    """Labels of the coded fields (type, severity, decisions) from the deployed forms, in `lang`."""
    if session is None:
        with rt.db.session() as own:
            return labels(rt, lang, own)
    definition = queries.active_definition(session, PROCESS_ID)
    forms = definition_parts(rt, session, definition.id).forms if definition else {}

    def options(form: str, name: str) -> dict[str, str]:
        prop = forms.get(form, {}).get("properties", {}).get(name, {})
        return dict(enum_options(prop, lang))

    return {
        "type": options("incident_report", "type"),
        "severity": options("incident_triage", "severity"),
        "decision": options("incident_vote", "decision"),
    }


def minutes(rt: Runtime, actor: Actor, incident_id: int) -> tuple[bytes, str]:
    """The council's minutes as PDF, once the decision is recorded; always in Kazakh."""
    view = get_incident(rt, actor, incident_id)
    if not view.full:
        raise NotFound("no such incident")
    incident = view.incident
    if incident.decision is None or view.tally is None:
        raise Conflict("the council has not decided yet")
    with rt.db.session() as session:
        kk = labels(rt, "kk", session)
        chair = incident_queries.decided_by(session, incident)
        decided = anchor.latest(session, "incident.decision", instance_id=incident.instance_id)
        anchored = anchor.at(session, decided).kazakh_line() if decided else ""
    tally = view.tally
    decision_label = kk["decision"].get(incident.decision, incident.decision)
    doc = Minutes(
        school_name=rt.school_name,
        number=journal_number(incident) or str(incident.id),
        date=(long_date(incident.decided_at.astimezone(rt.tz).date(), "kk") if incident.decided_at else ""),
        incident_type=kk["type"].get(incident.incident_type, incident.incident_type),
        tool=incident.tool,
        summary=incident.description,
        quorum_line=(
            f"Кворум: {tally.get('present')} / {tally.get('members')} (қажет: {tally.get('quorum')})"
        ),
        votes=[
            MinutesVote(v.name, kk["decision"].get(v.decision, v.decision), v.comment) for v in view.votes
        ],
        decision=decision_label + (" (төрағаның шешуші дауысы)" if tally.get("by_chair") else ""),
        recommendations=[
            f"{f.action} — {view.names.get(f.assignee, f.assignee)}, {short_date(f.due_on, 'kk')}"
            for f, _done in view.follow_ups
        ],
        chair=chair.full_name if chair else "",
        # Fixed by the decision, so every download of the same minutes is byte-identical.
        created=incident.decided_at or incident.reported_at,
        anchor=anchored,
    )
    return minutes_pdf(doc), f"minutes-{(journal_number(incident) or str(incident.id)).replace('/', '-')}.pdf"


def reopen(rt: Runtime, actor: Actor, incident_id: int, reason: str) -> int:
    """`responsible` reopens a closed incident with a reason: a new run of the process from triage."""
    text = reason.strip()
    with rt.db.session() as session:
        incident = _readable(session, actor, incident_id)
        if not actor.has(*REOPENERS):
            raise Forbidden("only the responsible person can reopen an incident")
        if not text:
            raise ValidationFailed({"reason": FieldError("required")})
        if len(text) > 5000:
            raise ValidationFailed({"reason": FieldError("max_length", {"limit": 5000})})
        if incident.status != "closed":
            raise Conflict("only a closed incident can be reopened")
    return start_process(rt, actor, PROCESS_ID, {"reopen_of": incident_id, "reopen_reason": text})


def export_rows(rt: Runtime, actor: Actor, flt: IncidentFilter, lang: str) -> list[dict[str, object]]:
    """The filtered journal's rows by export column (web.EXPORT): coded fields named in `lang` from the
    deployed forms, the status as its code, the severity only for those who see the full journal."""
    found = list_incidents(rt, actor, flt)
    rows, full = found.rows, found.full
    names = labels(rt, lang)
    return [
        {
            "number": journal_number(i) or "",
            "reported_on": i.reported_at,
            "type": names["type"].get(i.incident_type, i.incident_type),
            "severity": names["severity"].get(i.severity or "", i.severity or "") if full else "",
            "status": i.status,
            "tool": i.tool,
            "outcome": names["decision"].get(i.outcome or "", i.outcome or ""),
        }
        for i in rows
    ]
