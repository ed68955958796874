"""Service-task operators of the incident process: journal rows, alerts, the council's vote and decision."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.incidents.council_vote import DECIDED, DECISIONS, VoteRule, tally
from service.features.incidents.models import Incident, IncidentFollowUp
from service.features.incidents.rules import (
    INCIDENT_TYPES,
    MAX_RECOMMENDATIONS,
    SUMMARY_PHRASES,
    TOOL_ACTIONS,
    parse_follow_up_rows,
    parse_recommendations,
    recommendation_lines,
    vote_summary,
)
from service.features.incidents.settings import COUNCIL_QUORUM, COUNCIL_TIE_BREAK
from service.features.tools import usecases as tools
from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.engine import OperatorCall
from service.platform.errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from service.platform.forms.schema import enum_options
from service.platform.inbox import queries
from service.platform.notify.outbox import notify
from service.platform.persistence.locks import next_value
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.processes.definitions import definition_parts
from service.platform.registry import OperatorFamily
from service.platform.runtime import Actor, Runtime

log = logging.getLogger(__name__)

NAMES: tuple[str, ...] = (
    "reopen_incident",
    "record_incident_report",
    "alert_incident",
    "record_triage",
    "open_council_vote",
    "tally_council_vote",
    "record_council_decision",
    "close_incident",
)

VOTE_STEP = "Task_vote"
CHAIR_STEP = "Task_chair_decision"
PROCESS_ACTOR = "process"  # audit actor of the steps the process takes by itself


def build(rt: Runtime, session: Session, instance_id: int) -> dict[str, Callable[[OperatorCall], Any]]:
    def incident() -> Incident:
        row = session.execute(
            select(Incident).where(Incident.instance_id == instance_id)
        ).scalar_one_or_none()
        if row is None:
            raise BadRequest("this instance has no incident")
        return row

    def tell_reporter(row: Incident, status: str) -> None:
        """The reporter learns the outcome and no more: the number, the decision, never who decided or
        how the council voted (their own view of the journal shows status and outcome only)."""
        reporter = queries.user_by_username(session, row.reporter)
        if reporter is None:
            return
        instance = session.get(ProcessInstance, instance_id)
        forms = definition_parts(rt, session, instance.definition_id).forms if instance else {}
        choices = forms.get("incident_vote", {}).get("properties", {}).get("decision", {})
        notify(
            session,
            [reporter],
            "incident_outcome",
            {
                "subject": "incident_outcome",
                "incident": row.id,
                "number": f"{row.year}/{row.number}" if row.number is not None else "",
                "status": status,
                "outcome": row.outcome or "",
                # The decision's name in each language, as the deployed form words it.
                "outcome_names": {
                    lang: dict(enum_options(choices, lang)).get(row.outcome or "", "")
                    for lang in ("kk", "ru", "en")
                },
                "path": f"/incidents/{row.id}",
            },
            mail_enabled=rt.smtp_host is not None,
        )

    def reopen_incident(call: OperatorCall) -> int | None:
        target = call.data.get("reopen_of")
        if target is None:
            return None  # a new report
        initiator = queries.user_by_username(session, str(call.data.get("initiator") or ""))
        if initiator is None or "responsible" not in initiator.role_codes:
            raise Forbidden("only the responsible person can reopen an incident")
        row = session.get(Incident, int(target)) if str(target).isdigit() else None
        if row is None:
            raise NotFound("no such incident")
        if row.status != "closed":
            raise Conflict("only a closed incident can be reopened")
        reason = str(call.data.get("reopen_reason") or "").strip()
        # The journal keeps one row (and its number); it now follows this run of the process.
        row.instance_id = instance_id
        row.status = "reported"
        row.reopen_count += 1
        row.reopen_reason = reason
        row.closed_at = None
        row.vote_opened_at = None
        row.vote_json = None
        row.decision = None
        row.outcome = None
        row.tool_action = None
        session.flush()
        audit.append(
            session,
            str(initiator.username),
            "incident.reopen",
            instance_id=instance_id,
            detail={"incident": row.id, "reason": reason, "reopen_count": row.reopen_count},
        )
        return row.id

    def record_incident_report(call: OperatorCall) -> int:
        data = call.data
        today = utcnow().astimezone(rt.tz).date()
        occurred = _date(data.get("occurred_on"))
        if occurred is not None and occurred > today:
            # A report about the future is a typing mistake; the form keeps what was typed.
            raise ValidationFailed({"occurred_on": FieldError("maximum", {"limit": today.isoformat()})})
        kind = str(data.get("type") or "")
        if kind not in INCIDENT_TYPES:
            raise ValidationFailed({"type": FieldError("enum")})
        row = session.execute(
            select(Incident).where(Incident.instance_id == instance_id)
        ).scalar_one_or_none()
        if row is None:
            row = Incident(instance_id=instance_id, reporter=str(data.get("initiator") or ""), reopen_count=0)
            session.add(row)
        row.incident_type = kind
        row.tool = str(data.get("tool") or "")[:300]
        row.occurred_on = occurred
        row.description = str(data.get("description") or "")
        row.affected = str(data.get("affected") or "")
        row.evidence = str(data["evidence"]) if data.get("evidence") else None
        row.anonymous = bool(data.get("anonymous"))
        row.status = "reported"
        row.reported_at = utcnow()
        session.flush()
        return row.id

    def alert_incident(call: OperatorCall) -> int:
        row = incident()
        roles = [r.strip() for r in str(call.params.get("roles", "")).split(",") if r.strip()]
        kind = str(call.params.get("kind") or "incident_alert")
        people = {u.id: u for role in roles for u in queries.users_with_role(session, role)}
        # The alert names the incident, never the reporter: it may be an anonymous report.
        sent = notify(
            session,
            people.values(),
            kind,
            {"subject": kind, "incident": row.id, "type": row.incident_type, "tool": row.tool},
            instance_id=instance_id,
            mail_enabled=rt.smtp_host is not None,
        )
        audit.append(
            session,
            PROCESS_ACTOR,
            f"incident.{kind.removeprefix('incident_')}",
            instance_id=instance_id,
            detail={"incident": row.id, "roles": roles, "notified": sent},
        )
        return sent

    def record_triage(call: OperatorCall) -> str:
        row = incident()
        severity = str(call.data.get("severity") or "")
        decision = str(call.data.get("decision") or "")
        if decision == "resolve" and severity != "minor":
            raise ValidationFailed({"decision": FieldError("invalid")})
        row.severity = severity
        row.corrective_action = str(call.data.get("corrective_action") or "") or None
        if row.number is None:
            year = utcnow().astimezone(rt.tz).year
            row.year = year
            row.number = next_value(session, f"incident:{year}")
        row.status = "council" if decision == "escalate" else "resolved"
        session.flush()
        audit.append(
            session,
            PROCESS_ACTOR,
            "incident.triage",
            instance_id=instance_id,
            detail={
                "incident": row.id,
                "number": f"{row.year}/{row.number}",
                "severity": severity,
                "decision": decision,
            },
        )
        return f"{row.year}/{row.number}"

    def open_council_vote(call: OperatorCall) -> dict[str, Any]:
        row = incident()
        members = list(dict(call.data.get("council_members") or {}))
        # The school's setting (the admin's or the environment's) wins; else the diagram's parameter.
        quorum = school_settings.explicit(rt, session, COUNCIL_QUORUM) or call.params.get("quorum")
        tie_break = school_settings.explicit(rt, session, COUNCIL_TIE_BREAK) or call.params.get("tie_break")
        rule = VoteRule.parse(str(quorum or ""), str(tie_break or ""))
        chairs = [u.username for u in queries.users_with_role(session, "wg_chair") if u.username in members]
        row.status = "voting"
        row.vote_opened_at = utcnow()
        row.vote_json = None
        return {
            "quorum": str(rule.quorum),
            "tie_break": "chair" if rule.chair_breaks_tie else "none",
            "chair": chairs[0] if chairs else None,
        }

    def tally_council_vote(call: OperatorCall) -> str:
        row = incident()
        members = list(dict(call.data.get("council_members") or {}))
        rule_data = dict(call.data.get("vote_rule") or {})
        rule = VoteRule.parse(rule_data.get("quorum"), rule_data.get("tie_break"))
        votes = _cast_votes(session, instance_id, row)
        # The engine's collection holds the vote completed in this very run (not yet in the inbox table).
        for who, choice in dict(call.data.get("council_votes") or {}).items():
            if isinstance(choice, str):
                votes[str(who)] = choice
        result = tally(votes, members, rule_data.get("chair"), rule)
        instance = session.get(ProcessInstance, instance_id)
        forms = definition_parts(rt, session, instance.definition_id).forms if instance else {}
        choices = forms.get("incident_vote", {}).get("properties", {}).get("decision", {})
        # The decisions' names in every language, kept with the counts: the summary below is stored in
        # Kazakh, and each reader sees it in theirs (`access.summary_for`).
        labels = {lang: dict(enum_options(choices, lang)) for lang in SUMMARY_PHRASES}
        row.vote_json = json.dumps({**result.as_dict(), "votes": votes, "labels": labels}, ensure_ascii=False)
        row.status = "decision"
        audit.append(
            session,
            PROCESS_ACTOR,
            "incident.vote_closed",
            instance_id=instance_id,
            detail={"incident": row.id, **result.as_dict()},
        )
        return vote_summary(result, members_named=len(members), labels=labels["kk"])

    def record_council_decision(call: OperatorCall) -> dict[str, list[dict[str, str]]]:
        row = incident()
        decision = str(call.data.get("decision") or "")
        if decision not in DECISIONS:
            raise ValidationFailed({"decision": FieldError("enum")})
        counted = json.loads(row.vote_json or "{}")
        voted = counted.get("decision") if counted.get("status") == DECIDED else None
        change_reason = str(call.data.get("decision_change_reason") or "").strip()
        if voted is not None and voted != decision and not change_reason:
            # The chair may record another decision than the vote's, but only saying why.
            raise ValidationFailed(
                {"decision_change_reason": FieldError("decision_change_reason", {"decision": voted})}
            )
        today = utcnow().astimezone(rt.tz).date()
        text = str(call.data.get("recommendations") or "")
        holders = lambda role: queries.users_with_role(session, role)  # noqa: E731
        named = lambda name: queries.user_by_username(session, name)  # noqa: E731
        # Both shapes are accepted: the documented text lines (API) and the rows the page sends.
        plan = parse_recommendations(text, today, holders, named)
        rows = call.data.get("follow_ups") or []
        plan += parse_follow_up_rows(rows if isinstance(rows, list) else [], today, holders, named)
        if len(plan) > MAX_RECOMMENDATIONS:
            raise ValidationFailed({"follow_ups": FieldError("max_length", {"limit": MAX_RECOMMENDATIONS})})
        chair_task = (
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == instance_id,
                    HumanTask.bpmn_id == CHAIR_STEP,
                    HumanTask.status == "open",
                )
            )
            .scalars()
            .first()
        )
        chair = chair_task.assignee if chair_task is not None else None
        row.decision = decision
        row.recommendations = recommendation_lines(plan) if rows else (text or None)
        row.decision_change_reason = change_reason[:2000] if voted is not None and voted != decision else None
        row.decided_at = utcnow()
        row.decided_by = chair.username if chair is not None else None
        row.outcome = decision
        row.tool_action = decision if decision in TOOL_ACTIONS else None
        restriction = str(call.data.get("tool_restriction") or "").strip()
        row.tool_restriction = (restriction or None) if decision == "restrict_tool" else None
        row.status = "follow_up" if plan else "decided"
        for item in plan:
            session.add(
                IncidentFollowUp(
                    incident_id=row.id, assignee=item.assignee, action=item.action, due_on=item.due
                )
            )
        session.flush()
        actor = Actor.of(chair.with_roles()) if chair is not None else Actor(None, PROCESS_ACTOR)
        apply_tool_decision(session, row, actor)
        audit.append(
            session,
            PROCESS_ACTOR,
            "incident.decision",
            instance_id=instance_id,
            anchored=True,  # the council's minutes print the log as it stands at this event
            detail={
                "incident": row.id,
                "decision": decision,
                "tool_action": row.tool_action,
                "follow_ups": len(plan),
                "vote_decision": voted,
                "change_reason": row.decision_change_reason,
            },
        )
        tell_reporter(row, "decided")
        grouped: dict[str, list[dict[str, str]]] = {}
        for item in plan:
            grouped.setdefault(item.assignee, []).append({"action": item.action, "due": item.due.isoformat()})
        return grouped

    def close_incident(call: OperatorCall) -> str:
        row = incident()
        outcome = str(call.params.get("outcome") or "")
        row.outcome = row.decision if outcome == "decision" else outcome
        row.status = "closed"
        row.closed_at = utcnow()
        for item in session.execute(
            select(IncidentFollowUp).where(
                IncidentFollowUp.incident_id == row.id, IncidentFollowUp.status == "open"
            )
        ).scalars():
            item.status = "done"
            item.done_at = row.closed_at
        audit.append(
            session,
            PROCESS_ACTOR,
            "incident.close",
            instance_id=instance_id,
            detail={"incident": row.id, "outcome": row.outcome},
        )
        tell_reporter(row, "closed")
        return str(row.outcome or "")

    return {
        "reopen_incident": reopen_incident,
        "record_incident_report": record_incident_report,
        "alert_incident": alert_incident,
        "record_triage": record_triage,
        "open_council_vote": open_council_vote,
        "tally_council_vote": tally_council_vote,
        "record_council_decision": record_council_decision,
        "close_incident": close_incident,
    }


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed({"occurred_on": FieldError("date")}) from None


def _cast_votes(session: Session, instance_id: int, row: Incident) -> dict[str, str]:
    """Votes already completed in this round, from the inbox table (a deadline closes a vote without one)."""
    query = select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.bpmn_id == VOTE_STEP, HumanTask.status == "completed"
    )
    if row.vote_opened_at is not None:
        query = query.where(HumanTask.created_at >= row.vote_opened_at)
    votes: dict[str, str] = {}
    for task in session.execute(query).scalars():
        data: Mapping[str, Any] = json.loads(task.data_json or "{}")
        if task.completed_by is not None and isinstance(data.get("decision"), str):
            votes[task.completed_by.username] = str(data["decision"])
    return votes


FAMILY = OperatorFamily(NAMES, build)


def apply_tool_decision(session: Session, incident: Incident, actor: Actor) -> bool:
    """Apply a restrict_tool / withdraw_tool decision to the register of permitted tools.

    The report names the tool in free text; a register entry with that name (case and spacing
    ignored) changes status in the decision's transaction, audited as `tool.status`. A tool not in
    the register changes nothing: the decision stays on the incident (`tool_action`). Returns whether
    a register entry was changed.
    """
    if incident.tool_action not in TOOL_ACTIONS:
        return False
    entry = tools.tool_named(session, incident.tool)
    if entry is None:
        log.info(
            "incident %s: %s of %r, which is not in the register",
            incident.id,
            incident.tool_action,
            incident.tool,
        )
        return False
    status = "withdrawn" if incident.tool_action == "withdraw_tool" else "permitted_with_restrictions"
    number = f"{incident.year}/{incident.number}" if incident.number else f"#{incident.id}"
    # The register shows only what the chair wrote as a restriction; the recommendations (who does what
    # by when) are internal follow-ups and stay in the incident, seen by those the incident names.
    tools.change_tool_status(
        session,
        entry.id,
        status,
        actor.username,
        f"incident {number}",
        restriction=(incident.tool_restriction or "") if status == "permitted_with_restrictions" else "",
    )
    return True
