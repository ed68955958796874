"""The meetings' /api/v1 answers as typed models (web layer: api and openapi import it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, Moment

Kind = Literal["working_group", "council", "training", "class_hour", "parents", "other"]


class MeetingRow(ApiModel):
    """A meeting as the register lists it."""

    id: int
    kind: Kind
    title: str
    starts_at: Moment
    place: str
    online_link: str
    chair: str = Field(description="username")
    secretary: str = Field(description="username")
    status: Literal["planned", "approved", "cancelled"]
    number: int | None = Field(
        default=None, description="the minutes' number in its kind and year, once approved"
    )
    number_year: int | None = None
    plan_item: int | None = None


class MeetingLinkedDocument(ApiModel):
    """A record the system holds that an agenda item links, shown only to those who may see it."""

    kind: str
    ref: str
    label: str = ""
    acknowledged: int | None = Field(default=None, description="an act edition's acknowledgements so far")
    audience: int | None = None


class MeetingAgendaItem(ApiModel):
    id: int
    position: int
    title: str
    presenter: str
    link: MeetingLinkedDocument | None = None
    heard: str = Field(description="ТЫҢДАЛДЫ")
    discussion: str = Field(description="СӨЙЛЕДІ")


class MeetingPresence(ApiModel):
    username: str
    name: str
    present: bool
    reason: str = ""


class MeetingFollowUp(ApiModel):
    id: int
    assignee: str
    due_on: Day
    text: str
    status: Literal["open", "done", "cancelled"]
    overdue: bool
    done_at: Moment | None = None


class MeetingDecision(ApiModel):
    """A resolution (ҚАУЛЫ ЕТТІ) on an agenda item."""

    id: int
    item_id: int
    text: str
    vote: Literal["none", "counts", "named"]
    votes_for: int
    votes_against: int
    votes_abstain: int
    named_votes: dict[str, str] = Field(default_factory=dict, description="username -> for|against|abstain")
    quorum: bool
    adopted: bool
    followups: list[MeetingFollowUp]


class MeetingAddendum(ApiModel):
    number: int
    text: str
    created_by: str
    created_at: Moment


class MeetingDetail(MeetingRow):
    """A meeting with its agenda, attendance, decisions, follow-ups and addenda."""

    invited_roles: list[str]
    invitees: list[str]
    external_count: int | None = None
    external_list: str = ""
    external_present: int | None = None
    agenda: list[MeetingAgendaItem]
    attendance: list[MeetingPresence]
    decisions: list[MeetingDecision]
    addenda: list[MeetingAddendum]
    approved_at: Moment | None = None
    approved_by: str | None = None
    may_edit: bool = Field(
        description="the caller is its chair or secretary and the minutes are not approved"
    )


class MeetingRegister(ApiModel):
    total: int
    whole_register: bool = Field(
        description="false: only the meetings the caller chairs, keeps or is invited to"
    )
    meetings: list[MeetingRow]


class MeetingApproved(ApiModel):
    id: int
    number: int
    number_year: int


class MeetingAddendumCreated(ApiModel):
    meeting_id: int
    number: int


MODELS: tuple[type[ApiModel], ...] = (
    MeetingRow,
    MeetingDetail,
    MeetingRegister,
    MeetingApproved,
    MeetingAddendumCreated,
)
