"""Helpers of the meetings tests: call a meeting over the API and walk it to approved minutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from service.platform.clock import utcnow
from tests.conftest import Api

ALMATY_OFFSET = timedelta(hours=5)


def local(moment: datetime) -> str:
    """A moment as the school's local "YYYY-MM-DDTHH:MM" (Asia/Almaty is UTC+5 all year)."""
    return (moment + ALMATY_OFFSET).strftime("%Y-%m-%dT%H:%M")


def soon(days: int = 2) -> str:
    return local(utcnow() + timedelta(days=days))


def due(days: int = 10) -> str:
    """A date `days` from the school's today.

    The server checks dates against Almaty's calendar, not UTC's.
    """
    return (utcnow() + ALMATY_OFFSET + timedelta(days=days)).date().isoformat()


WG_MEETING: dict[str, Any] = {
    "kind": "working_group",
    "title": "Жұмыс тобының тоқсандық отырысы",
    "place": "Мұғалімдер бөлмесі, 210 каб.",
    "chair": "wg_chair",
    "secretary": "wg_member",
    "invited_roles": ["wg_deputy", "responsible"],
    "invitees": ["ict", "staff1"],
    "plan_item": 4,
    "agenda": [
        {"title": "Жоспардың І тоқсандағы орындалуы", "presenter": "Ерлан Қайратұлы"},
        {"title": "ЖИ құралдарын бағалау нәтижелері", "presenter": "Дәурен Маратұлы"},
    ],
}


def call(api: Api, user: str = "wg_chair", **changes: Any) -> dict[str, Any]:
    body = {**WG_MEETING, "starts_at": soon(), **changes}
    answer = api.post("/meetings", user, json=body)
    assert answer.status_code == 201, answer.get_json()
    meeting: dict[str, Any] = answer.get_json()
    return meeting


def attend(
    api: Api, meeting: dict[str, Any], absent: tuple[str, ...] = ("staff1",), user: str = "wg_member"
) -> Any:
    rows = [
        {"username": u, "present": u not in absent, "reason": "ауырып қалды" if u in absent else ""}
        for u in meeting["invitees"]
    ]
    return api.post(f"/meetings/{meeting['id']}/attendance", user, json={"attendance": rows})


def decide(api: Api, meeting_id: int, item_id: int, user: str = "wg_member", **data: Any) -> Any:
    body = {"item_id": item_id, "text": "Ақпарат назарға алынсын.", **data}
    return api.post(f"/meetings/{meeting_id}/decisions", user, json=body)
