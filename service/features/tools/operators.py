"""Service-task operators of the AI tool evaluation: the register row, vote rounds, closing and review."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.exports import record_conclusion
from service.features.tools.models import Tool, ToolVote
from service.features.tools.rules import CRITERIA, SignedVerdict, restriction_lines, tally_of
from service.features.tools.rules import outcome as vote_outcome
from service.features.tools.signed_votes import VOTE_STEP, tool_of_instance, vote_rule
from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.durations import parse_duration
from service.platform.errors import BadRequest, Conflict
from service.platform.notify.outbox import notify
from service.platform.persistence.models import HumanTask, ProcessInstance
from service.platform.registry import OperatorFamily, OperatorTable
from service.platform.runtime import Runtime

NAMES: tuple[str, ...] = (
    "record_tool_proposal",
    "record_tool_assessment",
    "open_tool_vote_round",
    "close_tool_vote",
    "register_tool_outcome",
    "record_tool_memo",
    "reopen_tool_review",
)

PROPOSAL_TEXT = ("name", "vendor", "url", "purpose", "data_processed", "age_limit", "cost")
_YEARS = re.compile(r"^P(\d+)Y$")


def review_date_after(start: date, period: str) -> date:
    """`P1Y` adds calendar years (29 February becomes 28 February); other periods are plain durations."""
    years = _YEARS.match(period.strip().upper())
    if years:
        target = start.year + int(years.group(1))
        try:
            return start.replace(year=target)
        except ValueError:
            return start.replace(year=target, day=28)
    return start + parse_duration(period)


def build(rt: Runtime, session: Session, instance_id: int) -> OperatorTable:
    def tool() -> Tool:
        row = tool_of_instance(session, instance_id)
        if row is None:
            raise Conflict("this evaluation has no register entry yet")
        return row

    def record_tool_proposal(call: Any) -> int:
        data: Mapping[str, Any] = call.data
        row = tool_of_instance(session, instance_id)
        if row is None:
            row = Tool(instance_id=instance_id, proposer=str(data.get("initiator") or ""))
            session.add(row)
        for name in PROPOSAL_TEXT:
            setattr(row, name, str(data.get(name) or ""))
        row.processes_json = json.dumps(list(data.get("processes") or []), ensure_ascii=False)
        row.personal_data = bool(data.get("personal_data"))
        row.status = "under_review"
        row.updated_at = utcnow()
        instance = session.get(ProcessInstance, instance_id)
        if instance is not None:
            instance.title = row.name[:300]  # the tool names the evaluation in every list
        session.flush()
        audit.append(
            session,
            str(data.get("initiator") or "system"),
            "tool.propose",
            instance_id=instance_id,
            detail={"tool": row.id, "name": row.name},
        )
        return row.id

    def record_tool_assessment(call: Any) -> dict[str, Any]:
        row = tool()
        assessment = {name: call.data.get(name) for name in CRITERIA}
        assessment["findings"] = str(call.data.get("findings") or "")
        row.assessment_json = json.dumps(assessment, ensure_ascii=False)
        return assessment

    def open_tool_vote_round(call: Any) -> int:
        row = tool()
        members = call.data.get("members") or {}
        row.vote_round += 1
        row.vote_members = len(members)
        row.status = "under_review"
        row.updated_at = utcnow()
        audit.append(
            session,
            "system",
            "tool.vote.open",
            instance_id=instance_id,
            detail={"tool": row.id, "round": row.vote_round, "members": sorted(members)},
        )
        return row.vote_round

    def close_tool_vote(call: Any) -> str:
        row = tool()
        reason = str(call.params.get("reason", "votes"))
        votes = _round_votes(session, row)
        rule = vote_rule(rt, session)
        result = vote_outcome([v.decision for v in votes], row.vote_members, rule)
        row.outcome = result
        row.rule = rule.describe()
        # The members' restrictions stay on their votes: they are proposals until the chair confirms
        # (register_tool_outcome), so nothing reads as in force while the tool is under review.
        signed = [
            SignedVerdict(v.member, v.member_name or v.member, v.decision, v.restrictions) for v in votes
        ]
        row.tally_json = json.dumps(tally_of(signed, row.vote_members, rule, result), ensure_ascii=False)
        row.updated_at = utcnow()
        _withdraw_open_votes(rt, session, instance_id, row, {v.member for v in votes}, result, reason)
        audit.append(
            session,
            "system",
            "tool.vote.close",
            instance_id=instance_id,
            detail={
                "tool": row.id,
                "round": row.vote_round,
                "reason": reason,
                "outcome": result,
                "members": row.vote_members,
                "votes": {v.member: v.decision for v in votes},
                "rule": row.rule,
            },
        )
        return result

    def register_tool_outcome(call: Any) -> dict[str, Any]:
        row = tool()
        result = row.outcome or ""
        if result not in ("permitted", "permitted_with_restrictions", "rejected"):
            raise BadRequest(f"the outcome {result!r} cannot be registered")
        today = utcnow().astimezone(rt.tz).date()
        row.status = result
        # In force from now on: the chair's wording, else the members' restrictions the chair confirms.
        written = restriction_lines(str(call.data.get("register_restrictions") or ""))
        by = _confirming_chair(session, instance_id)
        if result == "rejected":
            in_force: list[dict[str, str]] = []
        elif written:
            in_force = [{"text": text, "by": by} for text in written]
        else:
            in_force = [{"text": v.restrictions.strip(), "by": v.member} for v in _round_votes(session, row)]
            in_force = [r for r in in_force if r["text"]]
        row.restrictions_json = json.dumps(in_force, ensure_ascii=False)
        row.conclusion = str(call.data.get("conclusion") or "")
        row.personal_data_allowed = bool(call.data.get("personal_data_allowed")) and result != "rejected"
        period = school_settings.current(rt, session).get("tool_review_period", "P1Y")
        row.review_date = review_date_after(today, period)
        row.updated_at = utcnow()
        review_at = datetime.combine(row.review_date, time(8, 0), tzinfo=rt.tz)
        session.flush()
        record_conclusion(rt, session, row, "system")
        audit.append(
            session,
            "system",
            "tool.register",
            instance_id=instance_id,
            detail={
                "tool": row.id,
                "status": result,
                "review_date": row.review_date.isoformat(),
                "personal_data_allowed": row.personal_data_allowed,
            },
        )
        return {"status": result, "review_at": review_at.isoformat()}

    def record_tool_memo(call: Any) -> bool:
        row = tool()
        row.memo = str(call.data.get("memo") or "")
        attachment = call.data.get("memo_attachment")
        row.memo_attachment = str(attachment) if attachment else None
        row.updated_at = utcnow()
        audit.append(
            session,
            "system",
            "tool.memo",
            instance_id=instance_id,
            detail={"tool": row.id, "attachment": row.memo_attachment},
        )
        return True

    def reopen_tool_review(call: Any) -> bool:
        row = tool()
        if row.status == "withdrawn":
            return False  # a withdrawn tool stays withdrawn; the review still happens
        row.status = "under_review"
        row.updated_at = utcnow()
        audit.append(
            session,
            "system",
            "tool.review.reopen",
            instance_id=instance_id,
            detail={"tool": row.id, "review_date": row.review_date.isoformat() if row.review_date else None},
        )
        return True

    return {
        "record_tool_proposal": record_tool_proposal,
        "record_tool_assessment": record_tool_assessment,
        "open_tool_vote_round": open_tool_vote_round,
        "close_tool_vote": close_tool_vote,
        "register_tool_outcome": register_tool_outcome,
        "record_tool_memo": record_tool_memo,
        "reopen_tool_review": reopen_tool_review,
    }


CHAIR_STEP = "Task_chair_confirmation"


def _confirming_chair(session: Session, instance_id: int) -> str:
    """Who confirms: the chair's task is still open while its completion runs the engine."""
    task = (
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
    return task.assignee.username if task is not None and task.assignee is not None else "wg_chair"


def _round_votes(session: Session, row: Tool) -> list[ToolVote]:
    """The signed votes of the tool's current round, in the order they were signed."""
    return list(
        session.execute(
            select(ToolVote)
            .where(ToolVote.tool_id == row.id, ToolVote.vote_round == row.vote_round)
            .order_by(ToolVote.signed_at, ToolVote.id)
        ).scalars()
    )


def _withdraw_open_votes(
    rt: Runtime, session: Session, instance_id: int, row: Tool, voted: set[str], result: str, reason: str
) -> None:
    """Note why each unanswered vote task goes away; the inbox projection then marks it cancelled."""
    open_tasks = session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.bpmn_id == VOTE_STEP, HumanTask.status == "open"
        )
    ).scalars()
    for task in open_tasks:
        if task.assignee is None or task.assignee.username in voted:
            continue  # the vote being completed right now is not withdrawn
        note = (
            "the deadline passed before this vote was cast"
            if reason == "deadline"
            else f"the vote closed early: no remaining vote could change the outcome ({result})"
        )
        audit.append(
            session,
            "system",
            "tool.vote.withdrawn",
            instance_id=instance_id,
            task_id=task.id,
            detail={"tool": row.id, "round": row.vote_round, "member": task.assignee.username, "note": note},
        )
        notify(
            session,
            [task.assignee],
            "task_withdrawn",
            {"task": task.name, "subject": task.name, "instance": row.name, "note": note},
            instance_id=instance_id,
            task_id=task.id,
            mail_enabled=rt.smtp_host is not None,
        )


FAMILY = OperatorFamily(NAMES, build)
