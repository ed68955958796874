"""The order register's /api/v1 answers as typed models (web layer: imported by api and openapi only)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Moment, Omittable
from service.platform.web.schemas import ACTOR_NAME

OrderStatus = Literal["draft", "in_review", "approved", "rejected", "registered"]


class Order(ApiModel):
    """A row of the order register."""

    id: int
    number: str | None
    date: Day | None
    title: str
    order_type: str
    status: OrderStatus
    drafter: str | None
    instance_id: int
    marking: str | None = Field(default=None, description="the classification marking of the order")
    ai_assisted: bool = Field(default=False, description="the drafter declared AI help")
    ai_help: list[str] = Field(default=[], description="kinds of AI help declared")
    verification_code: str | None = None


class OrderEditionRow(ApiModel):
    """The text of one drafting round."""

    number: int
    title: str
    body: str
    basis: str | None = None
    attachment: str | None = None
    author: str | None
    created_at: Moment


class OrderDecision(ApiModel):
    """A decision of the approval route."""

    at: Moment
    actor: str = Field(description="username")
    actor_name: str = Field(description=ACTOR_NAME)
    task: str | None
    decision: str | None
    comment: str | None


class OrderAcknowledgements(ApiModel):
    """Staff acknowledgement of a registered order: how many, and who has not yet."""

    total: int
    done: int
    pending: list[str]


class OrderDetail(Order):
    """An order with its editions, approval history and, once registered, acknowledgements."""

    editions: list[OrderEditionRow]
    approval_history: list[OrderDecision]
    acknowledgements: Omittable[OrderAcknowledgements] = None


class OrderList(ApiModel):
    """A page of the register and how many orders match in all."""

    orders: list[Order] = []
    total: int = 0


MODELS: tuple[type[ApiModel], ...] = (Order, OrderDetail, OrderList)
