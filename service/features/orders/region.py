"""The orders' figure on the region's dashboard: how many orders each school registered this school year."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.orders.models import Order
from service.platform.registry import RegionFigure, RegionScope, RegionValues
from service.platform.runtime import Runtime


def _issued(rt: Runtime, session: Session, scope: RegionScope) -> RegionValues:
    rows = session.execute(
        select(Order.school_id, func.count())
        .where(
            Order.school_id.in_(scope.school_ids),
            Order.status == "registered",
            Order.registered_on >= scope.first_day,
            Order.registered_on <= scope.last_day,
        )
        .group_by(Order.school_id)
    ).all()
    return {int(school_id): int(count) for school_id, count in rows}


FIGURE = RegionFigure(title=lazy_gettext("Orders issued this school year"), collect=_issued)
