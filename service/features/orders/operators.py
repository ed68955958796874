"""Service-task operators of order drafting: the register row, each edition of the text, status, number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
from service.platform.persistence import direct, tenancy
from service.platform.persistence.locks import next_value
from service.platform.registry import OperatorFamily, OperatorTable
from service.platform.runtime import Runtime

NAMES: tuple[str, ...] = (
    "register_order_number",
    "record_order_edition",
    "set_order_status",
    "open_order_acknowledgement",
)
_ORDERS = cast(Table, Order.__table__)
_EDITIONS = cast(Table, OrderEdition.__table__)
# `record_order_edition`'s statements, built once (every draft and rework runs them; composing them per
# call cost more than running them). An INSERT's or UPDATE's columns are its parameters' keys.
_CURRENT_ORDER = select(_ORDERS.c.id, _ORDERS.c.title, _ORDERS.c.order_type, _ORDERS.c.marking).where(
    _ORDERS.c.school_id == bindparam("school"), _ORDERS.c.instance_id == bindparam("instance")
)


@cache
def _insert_first_order(dialect: str) -> Any:
    """The register row of an instance's first edition, unless the instance has one: no row returned then."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    yielding = insert(_ORDERS).on_conflict_do_nothing(index_elements=[_ORDERS.c.instance_id])
    return yielding.returning(_ORDERS.c.id)


_LATEST_EDITION = select(func.max(_EDITIONS.c.number)).where(
    _EDITIONS.c.school_id == bindparam("school"), _EDITIONS.c.order_id == bindparam("order")
)
_UPDATE_ORDER = _ORDERS.update().where(
    _ORDERS.c.school_id == bindparam("school"), _ORDERS.c.id == bindparam("row")
)
_INSERT_EDITION = _EDITIONS.insert()


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
        # Core statements: every draft and rework passes here, and the ORM's two flushes of the order
        # and its edition cost several times their SQL. Each statement names the school itself.
        session.flush()  # pending ORM rows first, as a query's autoflush would
        conn = session.connection()
        school = tenancy.school_for_new_rows()
        # The register row is written once, already in review, with edition 1; a row the instance has
        # already is kept (the insert returns no id). Before the instance's first edition (none in its
        # data) that insert is tried without a read first: one statement, not two.
        new_row = {
            "instance_id": instance_id,
            "status": "in_review",
            "drafter": str(call.data.get("initiator") or "") or None,
            **_order_fields({}, call.data),
        }
        insert = _insert_first_order(conn.dialect.name)
        order_id = None if call.data.get("edition") else direct.execute(conn, insert, new_row).scalar()
        latest = 0
        if order_id is None:
            current = direct.execute(
                conn, _CURRENT_ORDER, {"school": school, "instance": instance_id}
            ).one_or_none()
            if current is None:
                order_id = direct.execute(conn, insert, new_row).scalar_one()
            else:
                order_id = current.id
                latest = direct.execute(
                    conn, _LATEST_EDITION, {"school": school, "order": order_id}
                ).scalar_one()
                fields = _order_fields(current._asdict(), call.data)
                direct.execute(
                    conn, _UPDATE_ORDER, {"school": school, "row": order_id, "status": "in_review", **fields}
                )
        number = (latest or 0) + 1
        direct.execute(
            conn,
            _INSERT_EDITION,
            {
                "order_id": order_id,
                "number": number,
                "title": str(call.data.get("title") or "")[:300],
                "body": str(call.data.get("body") or ""),
                "basis": (str(call.data["basis"]) if call.data.get("basis") else None),
                "attachment": (str(call.data["attachment"]) if call.data.get("attachment") else None),
                "author": str(call.data.get("initiator") or ""),
            },
        )
        for loaded in list(session.identity_map.values()):
            if isinstance(loaded, Order) and loaded.id == order_id:
                session.expire(loaded)  # written past the ORM: a later read in this transaction reloads it
        return number

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


def _order_fields(current: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The register row's descriptive columns after a step's data: what the data gives, else what the
    row had (`current`, empty for a new row)."""
    title = str(data.get("title") or current.get("title") or "")[:300]
    ai_assisted = bool(data.get("ai_assisted"))
    help_kinds = data.get("ai_help") if ai_assisted else []
    return {
        "title": title,
        "title_folded": title.casefold()[:300],
        "order_type": str(data.get("order_type") or current.get("order_type") or "other"),
        "marking": str(data["marking"]) if data.get("marking") else current.get("marking"),
        "ai_assisted": ai_assisted,
        "ai_help_json": json.dumps(list(help_kinds or []), ensure_ascii=False),
    }


def _copy_order_fields(order: Order, data: Mapping[str, Any]) -> None:
    current = {"title": order.title, "order_type": order.order_type, "marking": order.marking}
    for key, value in _order_fields(current, data).items():
        setattr(order, key, value)


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
