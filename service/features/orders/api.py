"""GET /api/v1/orders: the order register for scripts, and a registered order's documents."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from service.features.orders import schemas
from service.features.orders import usecases as order_cases
from service.features.orders.models import Order
from service.features.orders.queries import OrderFilter
from service.features.orders.web import send_order_file
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, int_arg
from service.platform.web.context import runtime

api_bp = Blueprint("orders_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def order_fields(order: Order) -> dict[str, Any]:
    """An order's register fields, shared by the row and the detail."""
    return {
        "id": order.id,
        "number": order.number,
        "date": order.registered_on,
        "title": order.title,
        "order_type": order.order_type,
        "status": order.status,
        "drafter": order.drafter,
        "instance_id": order.instance_id,
        "marking": order.marking,
        "ai_assisted": order.ai_assisted,
        "ai_help": json.loads(order.ai_help_json or "[]"),
        "verification_code": order.verification_code,
    }


@api_bp.get("/orders")
def orders() -> ResponseReturnValue:
    year = int_arg("year", None, 1900, 2999)
    flt = OrderFilter(
        year=year,
        order_type=request.args.get("type") or request.args.get("order_type") or None,
        status=request.args.get("status") or None,
        search=(request.args.get("q") or "").strip()[:100] or None,
        limit=int_arg("limit", 50, 1, 200) or 50,
        offset=int_arg("offset", 0, 0) or 0,
    )
    rows, total = order_cases.list_orders(runtime(), api_actor(), flt)
    return answer(schemas.OrderList(orders=[schemas.Order(**order_fields(o)) for o in rows], total=total))


@api_bp.get("/orders/<int:order_id>")
def order(order_id: int) -> ResponseReturnValue:
    view = order_cases.get_order(runtime(), api_actor(), order_id)
    detail = schemas.OrderDetail(
        **order_fields(view.order),
        editions=[
            schemas.OrderEditionRow(
                number=e.number,
                title=e.title,
                body=e.body,
                basis=e.basis,
                attachment=e.attachment,
                author=e.author,
                created_at=e.created_at,
            )
            for e in view.editions
        ],
        approval_history=[
            schemas.OrderDecision(
                at=h.at,
                actor=h.actor,
                actor_name=h.actor_name,
                task=h.task,
                decision=h.decision,
                comment=h.comment,
            )
            for h in view.decisions
        ],
    )
    if view.acknowledgements is not None:
        # Only a registered order has acknowledgements: absent otherwise, as the contract always had it.
        a = view.acknowledgements
        detail.acknowledgements = schemas.OrderAcknowledgements(
            total=a.total, done=a.done, pending=list(a.pending)
        )
    return answer(detail)


@api_bp.get("/orders/<int:order_id>/document.<kind>")
def order_document(order_id: int, kind: str) -> ResponseReturnValue:
    return send_order_file(order_id, kind)
