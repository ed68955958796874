"""The register of local acts: reading editions, comparing them, loading a text, starting an amendment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.acts import queries as acts_queries
from service.features.acts.models import ActAmendment, ActEdition, LocalAct
from service.features.acts.operators import clause_text, validated_proposal
from service.features.acts.rules import (
    ACK_KIND,
    ACT_CODES,
    ACT_TITLES_KK,
    ActText,
    ClauseComparison,
    compare,
    parse_act,
)
from service.features.orders.usecases import check_acknowledgement
from service.platform.audit import log as audit
from service.platform.campaigns import store
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.inbox.instances import start_process
from service.platform.persistence.models import Campaign, CampaignTask, HumanTask, User
from service.platform.registry import CampaignKind
from service.platform.runtime import Actor, Runtime

PROCESS_ID = "regulation_amendment"
ACK_STEP = "Task_acknowledge_edition"
# Who may propose an amendment (the start lane of regulation_amendment says the same to the engine).
PROPOSERS = frozenset({"responsible", "wg_chair", "council", "admin"})


@dataclass
class ActView:
    act: LocalAct
    editions: list[ActEdition]
    amendments: list[ActAmendment]


@dataclass
class EditionView:
    act: LocalAct
    edition: ActEdition
    text: ActText


@dataclass(frozen=True)
class Acknowledgements:
    total: int
    done: int
    pending: tuple[str, ...] = ()  # full names of those who have not acknowledged yet
    rows: tuple[tuple[str, Any], ...] = ()  # (full name, completed at or None), by name
    campaign_id: int | None = None  # None: an amendment still on the old multi-instance diagram
    mine_pending: bool = False  # the reader is asked and has not acknowledged yet
    open: bool = False


# Who may close the acknowledgement of an edition early, remind the pending and extend its deadline.
ACK_MANAGERS = frozenset({"wg_chair", "responsible", "director"})
ACK_CAMPAIGN = CampaignKind(
    titles={
        "kk": "Жаңа редакциямен танысу: {title}",
        "ru": "Ознакомление с новой редакцией: {title}",
        "en": "Acknowledge the new edition: {title}",
    },
    act_at=lambda c: (
        "acts.edition",
        {"code": c.subject_ref.split("/")[0], "number": int(c.subject_ref.split("/")[1])},
    ),
    may_manage=lambda session, actor, campaign: actor.has(*ACK_MANAGERS),
    check_response=check_acknowledgement,
)


def ensure_acts(session: Session) -> None:
    """The four acts exist as rows (the migration makes them; a truncated test database may not have them)."""
    existing = {a.code for a in acts_queries.acts(session)}
    for code in ACT_CODES:
        if code not in existing:
            session.add(LocalAct(code=code, title=ACT_TITLES_KK[code]))
    session.flush()


def load_act_text(rt: Runtime, code: str, path: Path) -> bool:
    """Load a text as edition 1 of an act that has no edition yet; False when it already has one."""
    text = parse_act(path.read_text(encoding="utf-8"))
    with rt.db.session() as session:
        ensure_acts(session)
        act = acts_queries.act_by_code(session, code, lock=True)
        assert act is not None
        if acts_queries.editions_of(session, act.id):
            return False
        today = utcnow().astimezone(rt.tz).date()
        acts_queries.store_edition(session, act, 1, text, in_force_from=today, published_by="system")
        audit.append(session, "system", "act.load", detail={"act": code, "edition": 1, "file": path.name})
        return True


def list_acts(rt: Runtime, actor: Actor) -> list[tuple[LocalAct, ActEdition | None]]:
    """Every act with its edition in force; every member of staff reads the acts of the school."""
    with rt.db.session() as session:
        rows = []
        for act in acts_queries.acts(session):
            editions = acts_queries.editions_of(session, act.id)
            rows.append((act, next((e for e in editions if e.status == "in_force"), None)))
        return rows


def _act(session: Session, code: str) -> LocalAct:
    act = acts_queries.act_by_code(session, code)
    if act is None:
        raise NotFound("no such act")
    return act


def get_act(rt: Runtime, actor: Actor, code: str) -> ActView:
    with rt.db.session() as session:
        act = _act(session, code)
        return ActView(
            act, acts_queries.editions_of(session, act.id), acts_queries.amendments_of(session, act.id)
        )


def get_edition(rt: Runtime, actor: Actor, code: str, number: int) -> EditionView:
    with rt.db.session() as session:
        act = _act(session, code)
        row = acts_queries.edition(session, act.id, number)
        if row is None:
            raise NotFound("no such edition")
        return EditionView(act, row, acts_queries.text_of(row))


def compare_editions(rt: Runtime, actor: Actor, code: str, old: int, new: int) -> list[ClauseComparison]:
    """Any two editions clause by clause, with the words inserted and deleted."""
    with rt.db.session() as session:
        act = _act(session, code)
        a, b = acts_queries.edition(session, act.id, old), acts_queries.edition(session, act.id, new)
        if a is None or b is None:
            raise NotFound("no such edition")
        return compare(acts_queries.text_of(a), acts_queries.text_of(b))


def _campaign_of(session: Session, act: LocalAct | None, number: int) -> Campaign | None:
    if act is None:
        return None
    found = store.campaigns_of(session, kind=ACK_KIND, subject_ref=f"{act.code}/{number}")
    return found[0] if found else None


def edition_acknowledgements(
    rt: Runtime, edition: ActEdition, actor: Actor | None = None
) -> Acknowledgements | None:
    """Staff acknowledgement of an edition published by an amendment (tracked as for orders)."""
    if edition.amendment_id is None:
        return None
    with rt.db.session() as session:
        amendment = session.get(ActAmendment, edition.amendment_id)
        if amendment is None:
            return None
        campaign = _campaign_of(session, session.get(LocalAct, edition.act_id), edition.number)
        if campaign is not None:
            people = session.execute(
                select(User.full_name, User.id, CampaignTask.status, CampaignTask.responded_at)
                .join(CampaignTask, CampaignTask.user_id == User.id)
                .where(CampaignTask.campaign_id == campaign.id)
                .order_by(User.full_name)
            ).all()
            asked = tuple((str(n), at if status == "done" else None) for n, _, status, at in people)
            waiting = tuple(str(n) for n, _, status, _ in people if status == "pending")
            mine = actor is not None and any(uid == actor.id and st == "pending" for _, uid, st, _ in people)
            return Acknowledgements(
                len(asked),
                sum(1 for _, at in asked if at),
                waiting,
                asked,
                campaign.id,
                mine,
                campaign.status == "open",
            )
        tasks = list(
            session.execute(
                select(HumanTask).where(
                    HumanTask.instance_id == amendment.instance_id, HumanTask.bpmn_id == ACK_STEP
                )
            ).scalars()
        )
        rows = sorted(
            (
                (
                    t.assignee.full_name if t.assignee else "",
                    t.completed_at if t.status == "completed" else None,
                )
                for t in tasks
                if t.status != "cancelled"
            ),
            key=lambda r: r[0],
        )
        pending = tuple(name for name, at in rows if at is None)
        return Acknowledgements(len(rows), len(rows) - len(pending), pending, tuple(rows))


def acknowledge_edition(
    rt: Runtime, actor: Actor, code: str, number: int, data: dict[str, Any]
) -> campaigns.Response:
    """The reader acknowledges an edition (once: again is 409; not asked: 403)."""
    with rt.db.read() as session:
        act = session.execute(select(LocalAct).where(LocalAct.code == code)).scalar_one_or_none()
        campaign = _campaign_of(session, act, number)
    if campaign is None:
        raise NotFound("no acknowledgement of this edition")
    return campaigns.respond(rt, actor, campaign.id, data)


def get_amendment(rt: Runtime, actor: Actor, instance_id: int) -> tuple[ActAmendment, LocalAct]:
    """An amendment as the register holds it: `current_text` is refreshed when another one publishes."""
    with rt.db.session() as session:
        row = acts_queries.amendment_of_instance(session, instance_id)
        if row is None:
            raise NotFound("no such amendment")
        act = session.get(LocalAct, row.act_id)
        assert act is not None
        return row, act


def start_amendment(
    rt: Runtime,
    actor: Actor,
    *,
    act: str,
    clause: str,
    change: str,
    proposed_text: str,
    reason: str,
    source: str,
) -> int:
    """Start regulation_amendment with the proposal prefilled; a council decision may call this too.

    The current text is filled from the edition in force. Returns the new instance id; the proposer
    (the actor) then confirms the proposal in their first task.
    """
    if not may_propose(actor):
        raise Forbidden("you may not propose amendments")
    data: dict[str, Any] = {
        "act": act,
        "clause": clause,
        "change": change,
        "proposed_text": proposed_text,
        "reason": reason,
        "source": source,
    }
    with rt.db.session() as session:
        found, clause_no, _ = validated_proposal(session, data)
        data["current_text"] = clause_text(session, found, clause_no)[1]
    if not reason.strip():
        raise ValidationFailed({"reason": FieldError("required")})
    return start_process(rt, actor, PROCESS_ID, data)


def conflict_message(row: ActAmendment) -> str | None:
    """Why this amendment cannot publish as it stands, or None."""
    if row.status == "proposed" and row.current_edition != row.base_edition:
        return (
            f"edition {row.current_edition} came into force after this proposal was written against "
            f"edition {row.base_edition}; the proposer must review the refreshed current text"
        )
    return None


def may_propose(actor: Actor) -> bool:
    return actor.has(*PROPOSERS)


def propose_for_clause(rt: Runtime, actor: Actor, code: str, clause: str) -> int:
    """Start an amendment of one clause from the edition page: the proposal opens with its text."""
    if not may_propose(actor):
        raise Forbidden("you may not propose amendments")
    with rt.db.session() as session:
        act = _act(session, code)
        number, current = clause_text(session, act, clause)
        if number == 0 or not current:
            raise NotFound("no such clause")
    data = {"act": code, "clause": clause, "change": "change", "current_text": current}
    return start_process(rt, actor, PROCESS_ID, data)


# The Regulation on responsible AI use as the school approved it (a copy of the seed text).
AI_REGULATION_SEED = "ai_regulation.txt"


def load_demo_acts(rt: Runtime) -> str | None:
    """Edition 1 of `ai_regulation` from the seed, parsed into sections and clauses (idempotent)."""
    if load_act_text(rt, "ai_regulation", rt.bpmn_dir.parent / "seeds" / AI_REGULATION_SEED):
        return f"ai_regulation: edition 1 loaded from seeds/{AI_REGULATION_SEED}"
    return None
