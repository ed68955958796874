"""Who may read and change a meeting: its chair and secretary edit, invitees read, the rest are refused.

A council meeting that discusses an incident keeps its existence secret: to anyone who may not read it
a missing meeting and a hidden one both answer 404; any other meeting answers 403.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.meetings.models import Meeting, MeetingInvitee
from service.platform.errors import Forbidden, NotFound
from service.platform.runtime import Actor

# May call a meeting of any kind; a teacher may call their own class hour or training.
ORGANISERS = frozenset({"wg_chair", "wg_deputy", "responsible", "director", "deputy_director"})
STAFF_KINDS = frozenset({"class_hour", "training", "parents"})
# Read every meeting and its minutes (they sign off the plan and see incidents anyway).
OVERSEERS = frozenset({"director", "wg_chair"})


def may_create(actor: Actor, kind: str) -> bool:
    return actor.has(*ORGANISERS) or (kind in STAFF_KINDS and actor.has("staff"))


def require_creator(actor: Actor, kind: str) -> None:
    if not may_create(actor, kind):
        raise Forbidden("you may not call a meeting of this kind")


def is_editor(actor: Actor, meeting: Meeting) -> bool:
    return actor.username in (meeting.chair, meeting.secretary)


def is_invited(session: Session, actor: Actor, meeting_id: int) -> bool:
    found = session.execute(
        select(MeetingInvitee.id).where(
            MeetingInvitee.meeting_id == meeting_id, MeetingInvitee.username == actor.username
        )
    ).first()
    return found is not None


def may_read(session: Session, actor: Actor, meeting: Meeting) -> bool:
    if is_editor(actor, meeting) or actor.username == meeting.created_by or actor.has(*OVERSEERS):
        return True
    return is_invited(session, actor, meeting.id)


def readable(session: Session, actor: Actor, meeting_id: int, *, lock: bool = False) -> Meeting:
    """The meeting (locked for the transaction when `lock`), or 404/403 as the module says."""
    query = select(Meeting).where(Meeting.id == meeting_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    meeting = session.execute(query).scalar_one_or_none()
    if meeting is None:
        raise NotFound("no such meeting")
    if not may_read(session, actor, meeting):
        if meeting.secret:
            raise NotFound("no such meeting")
        raise Forbidden("you are not invited to this meeting")
    return meeting


def require_editor(actor: Actor, meeting: Meeting) -> None:
    if not is_editor(actor, meeting):
        raise Forbidden("only the chair and the secretary change a meeting")


def require_chair(actor: Actor, meeting: Meeting) -> None:
    if actor.username != meeting.chair:
        raise Forbidden("only the chair does this")
