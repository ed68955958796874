"""The orders' figure on the region's dashboard: how many orders each school registered this school year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.features.orders.models import Order
from service.platform.registry import RegionScope, RegionTotal, RegionValues
from service.platform.runtime import Runtime


def _registered(scope: RegionScope, *by: Any) -> Select[Any]:
    """The year's registered orders of the scope's schools, counted per `by`."""
    return (
        select(*by, func.count())
        .where(
            scope.among(Order.school_id),
            Order.status == "registered",
            Order.registered_on >= scope.first_day,
            Order.registered_on <= scope.last_day,
        )
        .group_by(*by)
    )


def issued(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    rows = session.execute(_registered(scope, Order.school_id)).all()
    return {int(school_id): int(count) for school_id, count in rows}


def issued_total(rt: Runtime, session: Session, scope: RegionScope) -> RegionTotal:
    return int(session.execute(_registered(scope)).scalar_one())
