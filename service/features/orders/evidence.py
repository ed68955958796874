"""A registered order as evidence of a mark, cited by its register number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.orders.models import Order
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    """Only a registered order can be cited: a draft is not yet an act of the school."""
    order = session.execute(
        select(Order).where(Order.number == ref, Order.status == "registered")
    ).scalar_one_or_none()
    if order is None or not order.number:
        return None
    return Evidence("order", order.number, ("orders.show", {"order_id": order.id}))


SOURCE = EvidenceSource(
    names={"kk": "Бұйрық", "ru": "Приказ", "en": "Order"},
    hints={"kk": "Бұйрық (нөмірі)", "ru": "Приказ (номер)", "en": "Order (its number)"},
    resolve=resolve,
)
