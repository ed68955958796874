"""The order register seen from the pages and the API: editions and the changes between them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import audit, order_queries
from service.db.models import HumanTask, Order, OrderEdition
from service.db.order_queries import OrderFilter
from service.domain.errors import FieldError, NotFound, ValidationFailed
from service.domain.textdiff import Piece, word_diff
from service.workflows.instances import HistoryEntry, history_of
from service.workflows.operators import ORDER_STATUSES
from service.workflows.runtime import Actor, Runtime


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


@dataclass
class OrderView:
    order: Order
    editions: list[OrderEdition]
    decisions: list[HistoryEntry]
    acknowledgements: Acknowledgements | None


def list_orders(rt: Runtime, actor: Actor, flt: OrderFilter) -> tuple[list[Order], int]:
    if flt.status and flt.status not in ORDER_STATUSES:
        raise ValidationFailed({"status": FieldError("enum")})
    if flt.order_type and flt.order_type not in ORDER_TYPES:
        raise ValidationFailed({"order_type": FieldError("enum")})
    with rt.db.session() as session:
        return order_queries.list_orders(
            session, flt, username=actor.username, sees_drafts=actor.has(*DRAFT_READERS)
        )


def _acknowledgements(session: Session, instance_id: int) -> Acknowledgements | None:
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
        history = history_of(audit.instance_events(session, order.instance_id))
        return OrderView(
            order=order,
            editions=order_queries.editions_of(session, order.id),
            decisions=[h for h in history if h.action == "task.complete" and h.decision],
            acknowledgements=_acknowledgements(session, order.instance_id),
        )
