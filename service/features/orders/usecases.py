"""The order register seen from the pages and the API: editions and the changes between them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.orders import queries as order_queries
from service.features.orders.documents.content import declaration_sentence
from service.features.orders.models import Order, OrderEdition
from service.features.orders.queries import OrderFilter
from service.features.orders.rules import ACK_KIND, ORDER_STATUSES
from service.platform.audit import log as audit
from service.platform.campaigns import store
from service.platform.campaigns import usecases as campaigns
from service.platform.clock import utcnow
from service.platform.documents.textdiff import Piece, word_diff
from service.platform.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.forms.schema import enum_options
from service.platform.inbox import queries
from service.platform.inbox.access import can_view_instance
from service.platform.inbox.instances import HistoryEntry, instance_history
from service.platform.notify.outbox import notify
from service.platform.persistence.models import Campaign, CampaignTask, HumanTask, ProcessInstance
from service.platform.processes.definitions import definition_parts
from service.platform.registry import CampaignKind
from service.platform.runtime import Actor, Runtime


@dataclass(frozen=True)
class EditionChange:
    """What changed from one edition to the next, field by field (only fields that changed)."""

    from_number: int
    to_number: int
    fields: tuple[tuple[str, tuple[Piece, ...]], ...]


def latest_change(session: Session, instance_id: int) -> EditionChange | None:
    """The difference between the two newest editions of this instance's order, if there are two."""
    order_id = session.execute(select(Order.id).where(Order.instance_id == instance_id)).scalar_one_or_none()
    if order_id is None:
        return None
    newest = list(
        session.execute(
            select(OrderEdition)
            .where(OrderEdition.order_id == order_id)
            .order_by(OrderEdition.number.desc())
            .limit(2)
        ).scalars()
    )
    if len(newest) < 2:
        return None
    new, old = newest
    fields = tuple(
        (name, tuple(word_diff(getattr(old, name) or "", getattr(new, name) or "")))
        for name in ("title", "body", "basis")
        if (getattr(old, name) or "") != (getattr(new, name) or "")
    )
    return EditionChange(old.number, new.number, fields)


ACKNOWLEDGEMENT_STEP = "Task_acknowledge"  # the BPMN id of the staff acknowledgement in order_drafting
ORDER_TYPES = ("working_group", "council_composition", "ai_ethics", "act_amendment", "other")
# Who reads drafts and rejected orders in the register; everyone else sees registered orders and their own.
DRAFT_READERS = frozenset({"admin", "director", "wg_chair", "lawyer", "deputy_director"})


@dataclass(frozen=True)
class Acknowledgements:
    total: int
    done: int
    pending: tuple[str, ...]  # full names of those who have not acknowledged yet
    due_at: object
    campaign_id: int | None = None  # None: an instance still on the old multi-instance diagram
    mine_pending: bool = False  # the reader is asked and has not acknowledged yet
    open: bool = True


@dataclass
class OrderView:
    order: Order
    editions: list[OrderEdition]
    decisions: list[HistoryEntry]
    acknowledgements: Acknowledgements | None
    names: dict[str, str] = field(default_factory=dict)  # username → full name (drafter, edition authors)
    # Whether the reader sees the deliberation (every edition, the decisions and comments, the process);
    # if not, `editions` holds only the registered text and `decisions` is empty.
    deliberation: bool = True


def list_orders(rt: Runtime, actor: Actor, flt: OrderFilter) -> tuple[list[Order], int]:
    if flt.status and flt.status not in ORDER_STATUSES:
        raise ValidationFailed({"status": FieldError("enum")})
    if flt.order_type and flt.order_type not in ORDER_TYPES:
        raise ValidationFailed({"order_type": FieldError("enum")})
    with rt.db.session() as session:
        return order_queries.list_orders(
            session, flt, username=actor.username, sees_drafts=actor.has(*DRAFT_READERS)
        )


def _campaign_of(session: Session, instance_id: int) -> Campaign | None:
    found = store.campaigns_of(session, instance_id=instance_id, kind=ACK_KIND)
    return found[0] if found else None


def _acknowledgements(
    session: Session, instance_id: int, actor: Actor | None = None
) -> Acknowledgements | None:
    campaign = _campaign_of(session, instance_id)
    if campaign is not None:
        seen = store.progress(session, campaign)
        mine = (
            actor is not None
            and actor.id is not None
            and session.execute(
                select(CampaignTask.id).where(
                    CampaignTask.campaign_id == campaign.id,
                    CampaignTask.user_id == actor.id,
                    CampaignTask.status == "pending",
                )
            ).first()
            is not None
        )
        return Acknowledgements(
            seen.audience,
            seen.responded,
            tuple(sorted(name for _, name in seen.pending)),
            campaign.deadline_at,
            campaign.id,
            mine,
            campaign.status == "open",
        )
    # Instances started on the old diagram (a multi-instance task) finish on it.
    rows = list(
        session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.bpmn_id == "Task_acknowledge"
            )
        ).scalars()
    )
    if not rows:
        return None
    pending = sorted(t.assignee.full_name for t in rows if t.status == "open" and t.assignee is not None)
    due = max((t.due_at for t in rows if t.due_at is not None), default=None)
    return Acknowledgements(len(rows), sum(1 for t in rows if t.status == "completed"), tuple(pending), due)


def get_order(rt: Runtime, actor: Actor, order_id: int) -> OrderView:
    with rt.db.session() as session:
        order = order_queries.get_order(session, order_id)
        visible = order is not None and (
            order.status == "registered" or order.drafter == actor.username or actor.has(*DRAFT_READERS)
        )
        if order is None or not visible:
            raise NotFound("no such order")
        editions = order_queries.editions_of(session, order.id)
        deliberation = sees_deliberation(rt, session, actor, order)
        if deliberation:
            instance = session.get(ProcessInstance, order.instance_id)
            assert instance is not None
            history = instance_history(rt, session, instance)
            decisions = [h for h in history if h.action == "task.complete" and h.decision]
        else:
            editions, decisions = editions[-1:], []  # the registered text, nothing of how it was made
        return OrderView(
            order=order,
            editions=editions,
            decisions=decisions,
            acknowledgements=_acknowledgements(session, order.instance_id, actor),
            names=queries.full_names(session, [order.drafter, *(e.author for e in editions)]),
            deliberation=deliberation,
        )


def sees_deliberation(rt: Runtime, session: Session, actor: Actor, order: Order) -> bool:
    """The drafts, reviews, returns and the lawyer's comments are for those who took part in the
    drafting (the drafter, the reviewers, the director) and the overseers; everyone else reads the
    registered result only (issue 15 item 5)."""
    if actor.has(*DRAFT_READERS) or (order.drafter is not None and order.drafter == actor.username):
        return True
    instance = session.get(ProcessInstance, order.instance_id)
    return instance is not None and can_view_instance(rt, session, actor, instance)


def people_names(rt: Runtime, usernames: list[str | None]) -> dict[str, str]:
    """Full names for a register page or an export, which name people, never their logins."""
    with rt.db.session() as session:
        return queries.full_names(session, usernames)


ACK_MANAGERS = frozenset({"wg_chair", "admin", "director"})


def _open_acknowledgements(session: Session, actor: Actor, order_id: int) -> tuple[Order, list[HumanTask]]:
    if not actor.has(*ACK_MANAGERS):
        raise Forbidden("only the chair can manage acknowledgements")
    order = order_queries.get_order(session, order_id)
    if order is None:
        raise NotFound("no such order")
    tasks = list(
        session.execute(
            select(HumanTask).where(
                HumanTask.instance_id == order.instance_id,
                HumanTask.bpmn_id == ACKNOWLEDGEMENT_STEP,
                HumanTask.status == "open",
            )
        ).scalars()
    )
    return order, tasks


def _ack_campaign_id(rt: Runtime, actor: Actor, order_id: int) -> int | None:
    if not actor.has(*ACK_MANAGERS):
        raise Forbidden("only the chair can manage acknowledgements")
    with rt.db.read() as session:
        order = order_queries.get_order(session, order_id)
        if order is None:
            raise NotFound("no such order")
        campaign = _campaign_of(session, order.instance_id)
        return campaign.id if campaign is not None else None


def remind_pending(rt: Runtime, actor: Actor, order_id: int) -> int:
    """Remind everyone who has not acknowledged yet; returns how many were reminded."""
    campaign_id = _ack_campaign_id(rt, actor, order_id)
    if campaign_id is not None:
        return campaigns.remind(rt, actor, campaign_id)
    with rt.db.session() as session:
        order, tasks = _open_acknowledgements(session, actor, order_id)
        sent = 0
        for task in tasks:
            if task.assignee is not None:
                sent += notify(
                    session,
                    [task.assignee],
                    "reminder",
                    {"task": task.name, "subject": task.name, "instance": order.title},
                    instance_id=order.instance_id,
                    task_id=task.id,
                    mail_enabled=rt.smtp_host is not None,
                )
        audit.append(
            session,
            actor.username,
            "order.remind",
            instance_id=order.instance_id,
            detail={"order": order.id, "reminded": sent},
        )
        return sent


def extend_acknowledgement(rt: Runtime, actor: Actor, order_id: int, new_due: date) -> int:
    """Move the acknowledgement deadline to the end of `new_due` in the school's zone."""
    due_at = datetime.combine(new_due, time(23, 59), tzinfo=rt.tz)
    if due_at <= utcnow():
        raise ValidationFailed({"due": FieldError("minimum")})
    campaign_id = _ack_campaign_id(rt, actor, order_id)
    if campaign_id is not None:
        campaigns.extend(rt, actor, campaign_id, due_at)
        return len(campaigns.progress_of(rt, actor, campaign_id).pending)  # the people it moved for
    with rt.db.session() as session:
        order, tasks = _open_acknowledgements(session, actor, order_id)
        for task in tasks:
            task.due_at = due_at
        audit.append(
            session,
            actor.username,
            "order.extend",
            instance_id=order.instance_id,
            detail={"order": order.id, "due": new_due.isoformat(), "tasks": len(tasks)},
        )
        return len(tasks)


def acknowledge(rt: Runtime, actor: Actor, order_id: int, data: dict[str, Any]) -> campaigns.Response:
    """The reader acknowledges a registered order (once: again is 409; not asked: 403)."""
    with rt.db.read() as session:
        order = order_queries.get_order(session, order_id)
        if order is None or order.status != "registered":
            raise NotFound("no such order")
        campaign = _campaign_of(session, order.instance_id)
    if campaign is None:
        raise NotFound("this order is acknowledged on its process's tasks")
    return campaigns.respond(rt, actor, campaign.id, data)


def check_acknowledgement(
    session: Session, actor: Actor, campaign: Campaign, data: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The acknowledgement form's rules (an order's, and an act edition's): the box ticked; a comment of
    at most 2,000 characters."""
    problems: dict[str, FieldError] = {}
    if data.get("acknowledged") not in (True, "true", "on", "1", 1):
        problems["acknowledged"] = FieldError("required")
    comment = str(data.get("comment") or "").strip()
    if len(comment) > 2000:
        problems["comment"] = FieldError("max_length", {"limit": 2000})
    if problems:
        raise ValidationFailed(problems)
    return {"acknowledged": True, **({"comment": comment} if comment else {})}


ACK_CAMPAIGN = CampaignKind(
    titles={
        "kk": "Бұйрықпен танысу: {title}",
        "ru": "Ознакомление с приказом: {title}",
        "en": "Acknowledge the order: {title}",
    },
    act_at=lambda c: ("orders.show", {"order_id": int(c.subject_ref)}),
    may_manage=lambda session, actor, campaign: actor.has(*ACK_MANAGERS),
    check_response=check_acknowledgement,
)


LABELLED_FIELDS = ("order_type", "marking", "ai_help")


def order_labels(rt: Runtime, lang: str, session: Session | None = None) -> dict[str, dict[str, str]]:
    """Labels of the order's coded fields (type, marking, kinds of AI help) in `lang`.

    Taken from the drafting form of the active order_drafting version, which is cached per
    definition, so pages and documents neither read forms/ from disk nor drift from the deployment.
    A caller inside a transaction passes its session (SQLite allows one writer at a time).
    """
    if session is None:
        with rt.db.session() as own:
            return order_labels(rt, lang, own)
    definition = queries.active_definition(session, "order_drafting")
    form = definition_parts(rt, session, definition.id).forms.get("order_draft", {}) if definition else {}
    props = form.get("properties", {})
    return {field: dict(enum_options(props.get(field, {}), lang)) for field in LABELLED_FIELDS}


def ai_declaration(rt: Runtime, order: Order) -> str | None:
    """The Regulation 7.2 sentence as printed on the order, always in Kazakh (the Regulation's wording)."""
    if not order.ai_assisted:
        return None
    kinds = order_labels(rt, "kk")["ai_help"]
    return declaration_sentence([kinds.get(k, k) for k in json.loads(order.ai_help_json or "[]")])


def order_number_of(session: Session, instance_id: int) -> str | None:
    """The registration number an order-drafting instance received, if any."""
    return session.execute(select(Order.number).where(Order.instance_id == instance_id)).scalar_one_or_none()


def task_panel(
    session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask | None
) -> dict[str, Any] | None:
    """A task page of an order's instance: its number and, while open, the latest edition's changes."""
    number = order_number_of(session, instance.id)
    change = latest_change(session, instance.id) if task is not None and task.status == "open" else None
    return {"number": number, "edition_change": change} if number or change else None


def instance_panel(
    session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask | None
) -> dict[str, Any] | None:
    """An order's instance page names its registration number once it has one."""
    number = order_number_of(session, instance.id)
    return {"number": number} if number else None


def may_open_registered_attachment(session: Session, actor: Actor, ref: str) -> bool:
    """The attachment of a registered order's final edition is part of the order everyone reads; an
    earlier draft's attachment stays with the drafting history (its readers open it through the process)."""
    for edition in session.execute(select(OrderEdition).where(OrderEdition.attachment == ref)).scalars():
        order = session.get(Order, edition.order_id)
        if order is None or order.status != "registered":
            continue
        latest = session.execute(
            select(OrderEdition.number)
            .where(OrderEdition.order_id == order.id)
            .order_by(OrderEdition.number.desc())
            .limit(1)
        ).scalar_one()
        if latest == edition.number:
            return True
    return False
