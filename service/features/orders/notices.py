"""The drafter hears how their order went: returned for rework, approved and registered, or rejected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.platform.registry import NotificationKind


def order_mail(title: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The order's title (and number once registered); the platform adds the link to the order."""
    number = f" № {params['number']}" if params.get("number") else ""
    return f"{title}: {params.get('order', '')}", f"{title}\n\n{params.get('order', '')}{number}\n"


KINDS: dict[str, NotificationKind] = {
    "order_returned": NotificationKind(
        subjects={
            "kk": "Бұйрық жобасы пысықтауға қайтарылды",
            "ru": "Проект приказа возвращён на доработку",
            "en": "Your draft order was returned for rework",
        },
        template="orders/notifications/returned.html",
        mail=order_mail,
    ),
    "order_approved": NotificationKind(
        subjects={
            "kk": "Бұйрық бекітілді және тіркелді",
            "ru": "Приказ утверждён и зарегистрирован",
            "en": "Your order was approved and registered",
        },
        template="orders/notifications/approved.html",
        mail=order_mail,
    ),
    "order_rejected": NotificationKind(
        subjects={
            "kk": "Бұйрық жобасы қабылданбады",
            "ru": "Проект приказа отклонён",
            "en": "Your draft order was rejected",
        },
        template="orders/notifications/rejected.html",
        mail=order_mail,
    ),
}
