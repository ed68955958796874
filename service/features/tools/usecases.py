"""The register of AI tools: who sees what, the council's status changes, and the incident form's list."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.models import Tool, ToolVote
from service.features.tools.regional import region_entries
from service.features.tools.rules import PERMITTED, SignedVerdict, VoteRule, restriction_texts, tally_of
from service.features.tools.signed_votes import PROCESS_ID, tool_of_instance
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import FieldError, NotFound, ValidationFailed
from service.platform.files.storage import read_stored
from service.platform.forms.schema import enum_options
from service.platform.inbox import queries
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.processes.definitions import definition_parts
from service.platform.runtime import Actor, Runtime

TOOL_STATUSES = ("permitted", "permitted_with_restrictions", "rejected", "under_review", "withdrawn")
# Who reads every entry with the full evaluation: each member's signed verdict and ratings.
EVALUATION_READERS = frozenset({"commission", "ict", "responsible", "wg_chair", "director"})


def sees_evaluations(actor: Actor) -> bool:
    return actor.has(*EVALUATION_READERS)


@dataclass
class ToolView:
    tool: Tool
    votes: list[ToolVote] | None  # None when the reader may not see the evaluation
    assessment: dict[str, Any] | None


def list_tools(rt: Runtime, actor: Actor, status: str | None = None) -> list[Tool]:
    if status is not None and status not in TOOL_STATUSES:
        raise ValidationFailed({"status": FieldError("enum")})
    with rt.db.session() as session:
        query = select(Tool).order_by(Tool.name, Tool.id)
        if not sees_evaluations(actor):
            query = query.where(Tool.status.in_(PERMITTED))
        if status is not None:
            query = query.where(Tool.status == status)
        rows = list(session.execute(query).scalars())
        session.expunge_all()
        return rows


def get_tool(rt: Runtime, actor: Actor, tool_id: int) -> ToolView:
    """One entry; a tool staff may not use does not exist for them (404, nothing leaks)."""
    with rt.db.session() as session:
        tool = session.get(Tool, tool_id)
        full = sees_evaluations(actor)
        if tool is None or not (full or tool.status in PERMITTED):
            raise NotFound("no such tool")
        votes = (
            list(
                session.execute(
                    select(ToolVote)
                    .where(ToolVote.tool_id == tool.id)
                    .order_by(ToolVote.vote_round, ToolVote.signed_at, ToolVote.id)
                ).scalars()
            )
            if full
            else None
        )
        session.expunge_all()
        return ToolView(tool, votes, json.loads(tool.assessment_json or "{}") if full else None)


def restrictions_of(tool: Tool) -> list[str]:
    """The restrictions written on the entry (confirmed by the chair or set by a council decision)."""
    return restriction_texts(tool.restrictions_json)


def restrictions_in_force(tool: Tool) -> list[str]:
    """What the register shows as in force: nothing unless the tool is permitted now. Under review
    (before the chair confirms, or reopened), rejected or withdrawn, no restriction applies to anyone."""
    return restrictions_of(tool) if tool.status in PERMITTED else []


def proposed_restrictions(tally_json: str | None) -> list[dict[str, str]]:
    """The members' restrictions of the last closed vote (name, text): proposals until confirmed."""
    verdicts = json.loads(tally_json or "{}").get("verdicts", {})
    return [
        {"name": str(v["name"]), "text": str(v["restrictions"])}
        for signed in verdicts.values()
        for v in signed
        if v.get("restrictions")
    ]


def permitted_tools(session: Session) -> list[dict[str, Any]]:
    """Tools staff may use (id, name, status, source: "school" or "region"), e.g. for the incident form's
    choice of tool: the school's own, then those the region permits (which the school did not evaluate)."""
    rows = session.execute(
        select(Tool.id, Tool.name, Tool.status).where(Tool.status.in_(PERMITTED)).order_by(Tool.name, Tool.id)
    ).all()
    own = [{"id": r.id, "name": r.name, "status": r.status, "source": "school"} for r in rows]
    held = set(session.execute(select(Tool.id)).scalars())
    region = [
        {"id": e.id, "name": e.name, "status": e.status, "source": "region"}
        for e in region_entries(session, skip=held)
    ]
    return own + region


def tool_names(session: Session, tool_ids: Iterable[int | None]) -> dict[int, str]:
    """Names of register entries by id: the tenant's own and the region's (a consultation's linked tool)."""
    wanted = {i for i in tool_ids if i is not None}
    if not wanted:
        return {}
    names = {r.id: r.name for r in session.execute(select(Tool.id, Tool.name).where(Tool.id.in_(wanted)))}
    missing = wanted - set(names)
    if missing:
        names.update({e.id: e.name for e in region_entries(session) if e.id in missing})
    return names


COUNCIL_STATUSES = ("permitted_with_restrictions", "withdrawn")


def tool_named(session: Session, name: str) -> Tool | None:
    """The register entry an incident's free-text tool names (case and spacing ignored), newest first.

    Only entries staff may use count: a council cannot restrict what is already rejected or withdrawn.
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    rows = session.execute(select(Tool).where(Tool.status.in_(PERMITTED)).order_by(Tool.id.desc())).scalars()
    return next((t for t in rows if " ".join(t.name.split()).casefold() == wanted), None)


def change_tool_status(
    session: Session, tool_id: int, status: str, actor_username: str, reason: str, restriction: str = ""
) -> Tool:
    """A council decision on the register, in the caller's transaction and audited.

    restrict_tool → permitted_with_restrictions (`restriction`, written by the chair as a restriction
    for every teacher to read, joins the restrictions); withdraw_tool → withdrawn. `reason` (e.g. the
    incident's journal number) goes to the audit log only, never onto the register.
    """
    if status not in COUNCIL_STATUSES:
        raise ValidationFailed({"status": FieldError("enum")})
    tool = session.get(Tool, tool_id)
    if tool is None:
        raise NotFound("no such tool")
    previous = tool.status
    tool.status = status
    tool.updated_at = utcnow()
    if status == "permitted_with_restrictions" and restriction.strip():
        kept = json.loads(tool.restrictions_json or "[]")
        kept.append({"text": restriction.strip()[:2000], "by": actor_username, "source": "council"})
        tool.restrictions_json = json.dumps(kept, ensure_ascii=False)
    audit.append(
        session,
        actor_username,
        "tool.status",
        instance_id=tool.instance_id,
        detail={
            "tool": tool.id,
            "from": previous,
            "to": status,
            "reason": reason,
            "restriction": restriction,
        },
    )
    return tool


def memo_attachment(rt: Runtime, actor: Actor, tool_id: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of a tool's memo attachment, for anyone who may read the entry."""
    view = get_tool(rt, actor, tool_id)
    ref = view.tool.memo_attachment
    with rt.db.session() as session:
        found = read_stored(rt, session, ref) if ref else None
        if found is None:
            raise NotFound("no attachment")
        meta, content = found
        return meta.filename, meta.content_type, content


LABELLED_FIELDS = {"tool_proposal": ("processes",), "tool_member_vote": ("decision",)}


def tool_labels(rt: Runtime, lang: str, session: Session | None = None) -> dict[str, dict[str, str]]:
    """Labels of coded values (allowed uses, verdicts) from the deployed forms, in `lang`.

    A caller inside a transaction passes its session (SQLite allows one writer at a time).
    """
    if session is None:
        with rt.db.session() as own:
            return tool_labels(rt, lang, own)
    labels: dict[str, dict[str, str]] = {"processes": {}, "decision": {}}
    definition = queries.active_definition(session, "tool_evaluation")
    if definition is None:
        return labels
    forms = definition_parts(rt, session, definition.id).forms
    for form_key, fields in LABELLED_FIELDS.items():
        props = forms.get(form_key, {}).get("properties", {})
        for name in fields:
            labels[name] = dict(enum_options(props.get(name, {}), lang))
    return labels


CHAIR_STEP = "Task_chair_confirmation"  # the BPMN id of the chair's confirmation in tool_evaluation


def chair_tally_panel(
    session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask | None
) -> dict[str, Any] | None:
    """The chair's confirmation task shows the tally it confirms: per verdict the count and who signed,
    the quorum needed and whether it was reached, the outcome, and the restrictions the members proposed."""
    if instance.process_id != PROCESS_ID or task is None or task.bpmn_id != CHAIR_STEP:
        return None
    tool = tool_of_instance(session, instance.id)
    if tool is None:
        return None
    if tool.tally_json:
        tally = json.loads(tool.tally_json)
    else:
        # A vote closed before tallies were kept: counted again from the round's votes (default rule).
        votes = session.execute(
            select(ToolVote)
            .where(ToolVote.tool_id == tool.id, ToolVote.vote_round == tool.vote_round)
            .order_by(ToolVote.signed_at, ToolVote.id)
        ).scalars()
        signed = [
            SignedVerdict(v.member, v.member_name or v.member, v.decision, v.restrictions) for v in votes
        ]
        tally = tally_of(signed, tool.vote_members, VoteRule(), tool.outcome or "")
    return {
        "tally": tally,
        "round": tool.vote_round,
        "proposed": proposed_restrictions(json.dumps(tally)),
        "tool_id": tool.id,
    }
