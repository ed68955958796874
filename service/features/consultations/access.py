"""Who sees what of the consultations journal: one's own consultations, or the whole journal."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.consultations.models import Consultation
from service.platform.errors import Forbidden, NotFound
from service.platform.runtime import Actor

KEEPER = "responsible"  # requests are handled and consultations recorded by this role
READERS = frozenset({"responsible", "wg_chair", "director"})


def sees_all(actor: Actor) -> bool:
    return actor.has(*READERS)


def may_read(actor: Actor, consultation: Consultation) -> bool:
    return sees_all(actor) or consultation.staff_member == actor.username


def readable(session: Session, actor: Actor, consultation_id: int) -> Consultation:
    """The consultation, or 404 whether it is missing or someone else's: its existence is private."""
    row = session.get(Consultation, consultation_id)
    if row is None or not may_read(actor, row):
        raise NotFound("no such consultation")
    return row


def require_keeper(actor: Actor) -> None:
    if not actor.has(KEEPER):
        raise Forbidden("only the responsible person records consultations")


def require_reader(actor: Actor) -> None:
    if not sees_all(actor):
        raise Forbidden("the journal is not open to you")


def may_open_material(session: Session, actor: Actor, ref: str) -> bool:
    """A follow-up material opens for the consulted staff member and for the journal's readers."""
    rows = session.execute(select(Consultation).where(Consultation.material == ref)).scalars()
    return any(may_read(actor, row) for row in rows)
