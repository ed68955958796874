"""Approved minutes of a meeting as evidence of a plan mark, cited by the meeting's number in the register.

Only approved minutes count (a draft may still change); a reader who may not see the meeting gets the
same answer as for a missing one, so a secret council meeting never leaks through a mark.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.features.meetings.access import may_read
from service.features.meetings.minutes import KIND_TITLES
from service.features.meetings.models import Meeting
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    ref = ref.strip().removeprefix("#")
    meeting = session.get(Meeting, int(ref)) if ref.isdigit() and len(ref) < 10 else None
    if meeting is None or meeting.status != "approved" or not may_read(session, actor, meeting):
        return Evidence("meeting", None, None)
    label = f"{KIND_TITLES.get(meeting.kind, '')}: хаттама № {meeting.number}/{meeting.number_year}"
    return Evidence("meeting", str(meeting.id), ("meetings.show", {"meeting_id": meeting.id}), label)


SOURCE = EvidenceSource(
    names={"kk": "Отырыс хаттамасы", "ru": "Протокол заседания", "en": "Meeting minutes"},
    hints={
        "kk": "Бекітілген хаттамасы бар отырыс (тізілімдегі нөмірі)",
        "ru": "Заседание с утверждённым протоколом (номер в реестре)",
        "en": "A meeting with approved minutes (its number in the register)",
    },
    resolve=resolve,
)
