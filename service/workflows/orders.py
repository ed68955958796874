"""The order register seen from the pages and the API: editions and the changes between them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import Order, OrderEdition
from service.domain.textdiff import Piece, word_diff


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
