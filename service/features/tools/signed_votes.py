"""A commission member's signed vote on an AI tool, recorded inside the completion of the vote task."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.models import Tool, ToolVote
from service.features.tools.rules import CRITERIA, VoteRule, decided_early
from service.features.tools.settings import TOOL_VOTE_MAJORITY, TOOL_VOTE_QUORUM
from service.platform import settings as school_settings
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, ValidationFailed
from service.platform.persistence.models import HumanTask, ProcessInstance, User
from service.platform.registry import Completion
from service.platform.runtime import Actor, Runtime

PROCESS_ID = "tool_evaluation"
VOTE_STEP = "Task_member_vote"  # the BPMN id of the members' multi-instance vote
MEMBER_ROLE = "commission"
# The engine data key the vote's completion condition reads (set per completed child).
CLOSED_KEY = "vote_closed"


def vote_rule(rt: Runtime, session: Session | None = None) -> VoteRule:
    """The commission's decision rule ("1/2": more than half): the school's settings when a session is
    given (the admin's value, else TOOL_VOTE_QUORUM / TOOL_VOTE_MAJORITY), else the environment's
    (the check at start)."""
    if session is None:
        return VoteRule.parse(
            str(rt.settings.get("TOOL_VOTE_QUORUM", "")), str(rt.settings.get("TOOL_VOTE_MAJORITY", ""))
        )
    values = school_settings.current(rt, session)
    return VoteRule.parse(values.get(TOOL_VOTE_QUORUM), values.get(TOOL_VOTE_MAJORITY))


def tool_of_instance(session: Session, instance_id: int) -> Tool | None:
    return session.execute(select(Tool).where(Tool.instance_id == instance_id)).scalar_one_or_none()


def is_vote(instance: ProcessInstance, task: HumanTask) -> bool:
    return instance.process_id == PROCESS_ID and task.bpmn_id == VOTE_STEP


def record_signed_vote(
    rt: Runtime,
    session: Session,
    actor: Actor,
    instance: ProcessInstance,
    task: HumanTask,
    clean: dict[str, Any],
    signed_by_password: bool,
) -> dict[str, Any]:
    """Check the signature, keep the vote, and tell the engine whether the vote may close now.

    Runs under the instance lock, before the engine: concurrent votes are counted one after the
    other, so none is lost and the last one sees all the others. A re-entered password was checked
    by the caller (accounts.verify_signature_password) and is not passed on: only the method and time
    of signing are kept (task data is stored, a password must not be).
    """
    if not actor.has(MEMBER_ROLE):
        # A vote task reassigned to someone outside the commission still cannot carry their vote.
        raise Forbidden("only members of the commission vote")
    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None:
        raise Forbidden("no user")
    if signed_by_password:
        method = "password"
    elif clean.get("signed") is True:
        method = "statement"
    else:
        raise ValidationFailed({"signed": FieldError("required")})
    if (
        clean.get("decision") == "approve_with_restrictions"
        and not str(clean.get("restrictions") or "").strip()
    ):
        raise ValidationFailed({"restrictions": FieldError("required")})
    tool = tool_of_instance(session, instance.id)
    if tool is None:
        raise Conflict("this evaluation has no register entry")
    votes = list(
        session.execute(
            select(ToolVote).where(ToolVote.tool_id == tool.id, ToolVote.vote_round == tool.vote_round)
        ).scalars()
    )
    if any(v.member == actor.username for v in votes):
        raise Conflict("you have already voted in this round")
    signed_at = utcnow()
    vote = ToolVote(
        tool_id=tool.id,
        vote_round=tool.vote_round,
        task_id=task.id,
        member=actor.username,
        member_name=user.full_name,
        decision=str(clean["decision"]),
        **{name: int(clean[name]) for name in CRITERIA},
        restrictions=str(clean.get("restrictions") or ""),
        comment=str(clean.get("comment") or ""),
        signature_method=method,
        signed_at=signed_at,
    )
    session.add(vote)
    session.flush()
    audit.append(
        session,
        actor.username,
        "tool.vote.sign",
        instance_id=instance.id,
        task_id=task.id,
        detail={
            "tool": tool.id,
            "round": tool.vote_round,
            "decision": vote.decision,
            "method": method,
            "signed_at": signed_at.isoformat(),
        },
    )
    cast = [v.decision for v in votes] + [vote.decision]
    decided = decided_early(cast, tool.vote_members, vote_rule(rt, session))
    return {CLOSED_KEY: decided is not None}


def before_vote_completes(completion: Completion) -> dict[str, Any]:
    """The completion hook: a vote task records the signed vote; any other task adds nothing."""
    if not is_vote(completion.instance, completion.task):
        return {}
    return record_signed_vote(
        completion.rt,
        completion.session,
        completion.actor,
        completion.instance,
        completion.task,
        completion.data,
        completion.signed,
    )
