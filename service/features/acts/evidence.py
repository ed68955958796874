"""An edition of a local act as evidence of a mark, cited as code/edition."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.acts.models import ActEdition, LocalAct
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor

_REF = re.compile(r"^([a-z_]+)\s*/\s*(\d{1,9})$")


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    match = _REF.match(ref)
    if match is None:
        return None
    code, number = match.group(1), int(match.group(2))
    found = session.execute(
        select(ActEdition.id)
        .join(LocalAct, LocalAct.id == ActEdition.act_id)
        .where(LocalAct.code == code, ActEdition.number == number)
    ).first()
    if found is None:
        return None
    return Evidence("act_edition", f"{code}/{number}", ("acts.edition", {"code": code, "number": number}))


SOURCE = EvidenceSource(
    names={"kk": "Локалдық акт", "ru": "Локальный акт", "en": "Local act"},
    hints={
        "kk": "Локалдық актінің редакциясы (коды/редакциясы)",
        "ru": "Редакция локального акта (код/редакция)",
        "en": "Edition of a local act (code/edition)",
    },
    resolve=resolve,
)
