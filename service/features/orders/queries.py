"""Queries of the order register (list with filters, one order with its editions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import Session

from service.features.orders.models import Order, OrderEdition


@dataclass(frozen=True)
class OrderFilter:
    year: int | None = None
    order_type: str | None = None
    status: str | None = None
    search: str | None = None
    limit: int = 50
    offset: int = 0


def _visible(query: Select[Any], username: str, sees_drafts: bool) -> Select[Any]:
    """Registered orders are public inside the school; drafts only to their drafter and reviewers."""
    if sees_drafts:
        return query
    return query.where(or_(Order.status == "registered", Order.drafter == username))


def list_orders(
    session: Session, flt: OrderFilter, *, username: str, sees_drafts: bool
) -> tuple[list[Order], int]:
    query = _visible(select(Order), username, sees_drafts)
    if flt.year is not None:
        query = query.where(
            or_(
                extract("year", Order.registered_on) == flt.year,
                (Order.registered_on.is_(None)) & (extract("year", Order.created_at) == flt.year),
            )
        )
    if flt.order_type:
        query = query.where(Order.order_type == flt.order_type)
    if flt.status:
        query = query.where(Order.status == flt.status)
    if flt.search:
        # Matched against a case-folded copy made in Python: SQLite's lower() knows only ASCII letters.
        for word in flt.search.casefold().split():
            query = query.where(Order.title_folded.contains(word, autoescape=True))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(Order.registered_on.desc().nulls_last(), Order.id.desc())
        .limit(flt.limit)
        .offset(flt.offset)
    ).scalars()
    return list(rows), int(total)


def get_order(session: Session, order_id: int) -> Order | None:
    return session.get(Order, order_id)


def editions_of(session: Session, order_id: int) -> list[OrderEdition]:
    return list(
        session.execute(
            select(OrderEdition).where(OrderEdition.order_id == order_id).order_by(OrderEdition.number)
        ).scalars()
    )
