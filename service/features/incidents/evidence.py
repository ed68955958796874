"""An incident of the journal as evidence of a mark, cited as year/number, shown only to its readers.

For anyone else an unknown journal number and a hidden one give the same answer, so a mark never leaks one.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.incidents.access import may_read
from service.features.incidents.models import Incident
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor

_REF = re.compile(r"^(\d{4})\s*[/-]\s*(\d{1,9})$")


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    match = _REF.match(ref)
    incident = (
        session.execute(
            select(Incident).where(
                Incident.year == int(match.group(1)), Incident.number == int(match.group(2))
            )
        ).scalar_one_or_none()
        if match
        else None
    )
    if incident is None or not may_read(actor, incident):
        return Evidence("incident", None, None)  # the same for a missing one and a hidden one
    return Evidence(
        "incident",
        f"{incident.year}/{incident.number}",
        ("incidents.show", {"incident_id": incident.id}),
    )


SOURCE = EvidenceSource(
    names={"kk": "Инциденттер журналы", "ru": "Журнал инцидентов", "en": "Incident journal"},
    hints={
        "kk": "Инциденттер журналы (жыл/нөмір)",
        "ru": "Журнал инцидентов (год/номер)",
        "en": "Incident journal (year/number)",
    },
    resolve=resolve,
)
