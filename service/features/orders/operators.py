"""Service-task operators of order drafting: the register row, each edition of the text, status, number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.orders.models import Order, OrderEdition
from service.features.orders.rules import ACK_KIND, ORDER_STATUSES, order_number
from service.platform.campaigns import store
from service.platform.clock import utcnow
from service.platform.durations import add_duration
from service.platform.engine import OperatorCall
from service.platform.errors import BadRequest, Conflict
from service.platform.inbox import queries
from service.platform.notify.outbox import notify
from service.platform.persistence.locks import next_value
from service.platform.registry import OperatorFamily, OperatorTable
from service.platform.runtime import Runtime

NAMES: tuple[str, ...] = (
    "register_order_number",
    "record_order_edition",
    "set_order_status",
    "open_order_acknowledgement",
)


def build(rt: Runtime, session: Session, instance_id: int) -> OperatorTable:
    def register_order_number(call: OperatorCall) -> dict[str, str]:
        today = utcnow().astimezone(rt.tz).date()
        order = _order_of(session, instance_id, call.data)
        if order.number is not None:
            # Registration is final: a number, once given, is never changed or given again.
            raise Conflict("this order is already registered")
        sequence = next_value(session, f"order:{today.year}")
        order.number = order_number(today.year, sequence)
        order.registered_on = today
        order.status = "registered"
        session.flush()
        _tell_drafter(rt, session, order, "order_approved")
        return {"number": order.number, "date": today.isoformat()}

    def open_order_acknowledgement(call: OperatorCall) -> int:
        # Staff acknowledge in a campaign (a row each), not in the instance state; the diagram's next
        # step waits on it. The version they see is the order's latest edition.
        order = _order_of(session, instance_id, call.data)
        latest = session.execute(
            select(func.max(OrderEdition.number)).where(OrderEdition.order_id == order.id)
        ).scalar_one()
        deadline = str(call.params.get("deadline") or "P7D")
        campaign = store.open_campaign(
            session,
            rt.features,
            kind=ACK_KIND,
            audience=store.audience_ids(session, call.params),
            title=f"№ {order.number or '—'} {order.title}",
            subject_ref=str(order.id),
            doc_version=str(latest or 1),
            deadline_at=add_duration(utcnow(), deadline, rt.tz),
            instance_id=instance_id,
            wait_step=str(call.params.get("wait_step") or ""),
        )
        return campaign.id

    def record_order_edition(call: OperatorCall) -> int:
        order = _find_order(session, instance_id)
        if order is None:
            # The first draft: the register row is written once, already in review, with edition 1.
            order = _new_order(instance_id, call.data, status="in_review")
            session.add(order)
            session.flush()
            latest = 0
        else:
            latest = session.execute(
                select(func.max(OrderEdition.number)).where(OrderEdition.order_id == order.id)
            ).scalar_one()
        edition = OrderEdition(
            order_id=order.id,
            number=(latest or 0) + 1,
            title=str(call.data.get("title") or "")[:300],
            body=str(call.data.get("body") or ""),
            basis=(str(call.data["basis"]) if call.data.get("basis") else None),
            attachment=(str(call.data["attachment"]) if call.data.get("attachment") else None),
            author=str(call.data.get("initiator") or ""),
        )
        session.add(edition)
        _copy_order_fields(order, call.data)
        order.status = "in_review"
        session.flush()
        return edition.number

    def set_order_status(call: OperatorCall) -> str:
        status = str(call.params.get("status", ""))
        if status not in ORDER_STATUSES:
            raise BadRequest(f"unknown order status {status}")
        order = _order_of(session, instance_id, call.data)
        if order.status == "registered":
            raise Conflict("a registered order does not change status")
        order.status = status
        session.flush()
        if status in DRAFTER_HEARS:
            _tell_drafter(rt, session, order, DRAFTER_HEARS[status])
        return status

    return {
        "register_order_number": register_order_number,
        "record_order_edition": record_order_edition,
        "set_order_status": set_order_status,
        "open_order_acknowledgement": open_order_acknowledgement,
    }


# A status the process sets that the drafter must hear of (returned for rework, rejected).
DRAFTER_HEARS = {"draft": "order_returned", "rejected": "order_rejected"}


def _tell_drafter(rt: Runtime, session: Session, order: Order, kind: str) -> None:
    """The drafter learns the outcome in the same transaction, with a link to the order's page."""
    drafter = queries.user_by_username(session, order.drafter) if order.drafter else None
    if drafter is None:
        return
    notify(
        session,
        [drafter],
        kind,
        {
            "subject": kind,
            "order": order.title,
            "order_id": order.id,
            "number": order.number,
            "path": f"/orders/{order.id}",  # the e-mail's link
        },
        instance_id=order.instance_id,
        mail_enabled=rt.smtp_host is not None,
    )


def _copy_order_fields(order: Order, data: Mapping[str, Any]) -> None:
    order.title = str(data.get("title") or order.title or "")[:300]
    order.title_folded = order.title.casefold()[:300]
    order.order_type = str(data.get("order_type") or order.order_type or "other")
    order.marking = str(data["marking"]) if data.get("marking") else order.marking
    order.ai_assisted = bool(data.get("ai_assisted"))
    help_kinds = data.get("ai_help") if order.ai_assisted else []
    order.ai_help_json = json.dumps(list(help_kinds or []), ensure_ascii=False)


def _find_order(session: Session, instance_id: int) -> Order | None:
    return session.execute(select(Order).where(Order.instance_id == instance_id)).scalar_one_or_none()


def _new_order(instance_id: int, data: Mapping[str, Any], *, status: str) -> Order:
    order = Order(instance_id=instance_id, status=status, drafter=str(data.get("initiator") or "") or None)
    _copy_order_fields(order, data)
    return order


def _order_of(session: Session, instance_id: int, data: Mapping[str, Any]) -> Order:
    """The register row of this instance, created on first use (instances older than editions too)."""
    order = _find_order(session, instance_id)
    if order is None:
        order = _new_order(instance_id, data, status="draft")
        session.add(order)
        session.flush()
    return order


FAMILY = OperatorFamily(NAMES, build)
