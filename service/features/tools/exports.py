"""The conclusion PDF of a tool evaluation: assembled from the register and the signed votes."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.documents import MemberVerdict, ToolConclusion, render_conclusion_pdf
from service.features.tools.models import Tool, ToolVote
from service.features.tools.rules import CRITERIA, VoteRule
from service.features.tools.usecases import get_tool, restrictions_of, sees_evaluations, tool_labels
from service.platform.audit import log as audit
from service.platform.errors import NotFound
from service.platform.runtime import Actor, Runtime

# The document is in Kazakh whatever the reader's language: it is the school's record.
OUTCOMES_KK = {
    "permitted": "Рұқсат етілді",
    "permitted_with_restrictions": "Шектеулермен рұқсат етілді",
    "rejected": "Қабылданбады",
    "no_quorum": "Кворум жоқ",
}
SIGNATURES_KK = {"password": "құпиясөзбен", "statement": "мәлімдемемен"}


def conclusion_document(rt: Runtime, session: Session, tool: Tool) -> ToolConclusion:
    labels = tool_labels(rt, "kk", session)
    votes = list(
        session.execute(
            select(ToolVote)
            .where(ToolVote.tool_id == tool.id, ToolVote.vote_round == tool.vote_round)
            .order_by(ToolVote.signed_at, ToolVote.id)
        ).scalars()
    )
    assessment = json.loads(tool.assessment_json or "{}")
    uses = json.loads(tool.processes_json or "[]")
    created = max((v.signed_at for v in votes), default=tool.created_at)
    restrictions = restrictions_of(tool)
    return ToolConclusion(
        school_name=rt.school_name,
        tool_name=tool.name,
        vendor=tool.vendor,
        url=tool.url,
        purpose=tool.purpose,
        allowed_uses=", ".join(labels["processes"].get(u, u) for u in uses),
        data_processed=tool.data_processed,
        personal_data_allowed=tool.personal_data_allowed,
        assessment={k: assessment[k] for k in CRITERIA if isinstance(assessment.get(k), int)},
        findings=str(assessment.get("findings") or ""),
        members=tuple(
            MemberVerdict(
                name=v.member_name or v.member,
                ratings={k: int(getattr(v, k)) for k in CRITERIA},
                verdict=labels["decision"].get(v.decision, v.decision),
                restrictions=v.restrictions,
                signed_at=v.signed_at.astimezone(rt.tz).strftime("%d.%m.%Y %H:%M"),
                signature=SIGNATURES_KK.get(v.signature_method, v.signature_method),
            )
            for v in votes
        ),
        outcome=OUTCOMES_KK.get(tool.outcome or "", tool.outcome or "—")
        + (f" ({'; '.join(restrictions)})" if restrictions else ""),
        rule=_rule_kk(tool.rule),
        conclusion=tool.conclusion,
        review_date=tool.review_date.strftime("%d.%m.%Y") if tool.review_date else "",
        created=created,
    )


def record_conclusion(rt: Runtime, session: Session, tool: Tool, actor_username: str) -> str:
    """Render the conclusion as confirmed now, keep its SHA-256 on the entry and in the audit log."""
    pdf = render_conclusion_pdf(conclusion_document(rt, session, tool))
    tool.conclusion_sha256 = hashlib.sha256(pdf).hexdigest()
    audit.append(
        session,
        actor_username,
        "tool.conclusion",
        instance_id=tool.instance_id,
        detail={"tool": tool.id, "round": tool.vote_round, "pdf_sha256": tool.conclusion_sha256},
    )
    return tool.conclusion_sha256


def conclusion_pdf(rt: Runtime, actor: Actor, tool_id: int) -> tuple[str, bytes]:
    """(file name, bytes) for the evaluation's readers; a confirmed conclusion renders byte-identically."""
    view = get_tool(rt, actor, tool_id)
    if not sees_evaluations(actor) or view.tool.conclusion_sha256 is None:
        raise NotFound("no conclusion")
    with rt.db.session() as session:
        tool = session.get(Tool, tool_id)
        assert tool is not None
        pdf = render_conclusion_pdf(conclusion_document(rt, session, tool))
    return f"conclusion-{tool_id}.pdf", pdf


def _rule_kk(stored: str | None) -> str:
    """The stored decision rule in Kazakh words (an unrecognised text as it was stored)."""
    rule = VoteRule.described(stored)
    return rule.kazakh() if rule is not None else (stored or "—")
