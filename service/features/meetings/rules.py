"""What a meeting, its agenda, attendance and decisions must contain, and how a vote is settled (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from service.platform.errors import FieldError, ValidationFailed

KINDS = ("working_group", "council", "training", "class_hour", "parents", "other")
# Kinds with people from outside the staff (teachers at a training, parents), counted or listed.
EXTERNAL_KINDS = frozenset({"training", "parents"})
VOTES = ("none", "counts", "named")
CHOICES = ("for", "against", "abstain")
# The acts feature's acknowledgement campaigns carry the edition's reference ("ai_regulation/2") as
# their subject, the same text an agenda item links an edition by; named here, never imported.
ACT_EDITION = "act_edition"
ACT_ACK_KIND = "act_edition_acknowledgement"
SHORT, LONG = 300, 8000
MAX_ITEMS, MAX_FOLLOWUPS, MAX_PEOPLE = 30, 20, 300
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,80}$")


@dataclass(frozen=True)
class AgendaLine:
    title: str
    presenter: str
    link_kind: str | None
    link_ref: str | None


@dataclass(frozen=True)
class MeetingData:
    kind: str
    title: str
    starts_at: datetime  # aware, UTC
    place: str
    online_link: str
    chair: str
    secretary: str
    invited_roles: tuple[str, ...]
    invitees: tuple[str, ...]
    external_count: int | None
    external_list: str
    plan_item: int | None
    agenda: tuple[AgendaLine, ...]


@dataclass(frozen=True)
class Presence:
    username: str
    present: bool
    reason: str


@dataclass(frozen=True)
class FollowUpData:
    assignee: str
    due_on: date
    text: str


@dataclass(frozen=True)
class DecisionData:
    item_id: int
    heard: str | None  # None: leave the item's text as it is
    discussion: str | None
    text: str
    vote: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    named: dict[str, str]
    followups: tuple[FollowUpData, ...]


@dataclass(frozen=True)
class Outcome:
    quorum: bool
    adopted: bool


def settle(votes_for: int, against: int, abstain: int, entitled: int) -> Outcome:
    """The quorum rule of the school's bodies: more than half of those entitled (the attendance list,
    or the council's members for a named vote) took part, and more than half of the votes cast are for.
    With nobody listed the vote stands on its own counts."""
    cast = votes_for + against + abstain
    quorum = cast * 2 > entitled if entitled else cast > 0
    return Outcome(quorum, quorum and votes_for * 2 > cast)


class _Reader:
    """Collects every field's problem so that one 422 names all of them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, FieldError] = {}

    def text(self, name: str, limit: int, required: bool = True, value: Any = None, key: str = "") -> str:
        raw = self.data.get(name) if value is None else value
        text = "" if raw is None else str(raw).strip()
        key = key or name
        if required and not text:
            self.errors[key] = FieldError("required")
        elif len(text) > limit:
            self.errors[key] = FieldError("max_length", {"limit": limit})
        return text

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str:
        value = str(self.data.get(name) or default or "").strip()
        if not value:
            self.errors[name] = FieldError("required")
        elif value not in options:
            self.errors[name] = FieldError("enum")
        return value

    def number(self, name: str, *, required: bool = False, value: Any = None, key: str = "") -> int | None:
        raw = self.data.get(name) if value is None else value
        key = key or name
        if raw is None or str(raw).strip() == "":
            if required:
                self.errors[key] = FieldError("required")
            return None
        if isinstance(raw, bool) or not str(raw).strip().isdigit() or len(str(raw).strip()) > 6:
            self.errors[key] = FieldError("type")
            return None
        return int(str(raw).strip())

    def day(self, value: Any, key: str) -> date | None:
        raw = str(value or "").strip()
        if not raw:
            self.errors[key] = FieldError("required")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[key] = FieldError("date")
            return None

    def names(self, name: str) -> tuple[str, ...]:
        """Usernames or role codes from a list or a comma/space-separated text."""
        raw = self.data.get(name)
        items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw or ""))
        found = tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))
        if len(found) > MAX_PEOPLE or any(not _USERNAME.match(n) for n in found):
            self.errors[name] = FieldError("invalid")
            return ()
        return found

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def _moment(r: _Reader, tz: ZoneInfo) -> datetime:
    """`starts_at` as the school's local "YYYY-MM-DDTHH:MM" (a datetime-local input), or with an offset."""
    raw = str(r.data.get("starts_at") or "").strip()
    if not raw:
        r.errors["starts_at"] = FieldError("required")
        return datetime.combine(date(2000, 1, 1), time(), tz)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        r.errors["starts_at"] = FieldError("invalid")
        return datetime.combine(date(2000, 1, 1), time(), tz)
    if not 2000 <= moment.year <= 2100:
        r.errors["starts_at"] = FieldError("invalid")
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def read_agenda(r: _Reader, sources: Mapping[str, object]) -> tuple[AgendaLine, ...]:
    raw = r.data.get("agenda")
    if raw is None or raw == "":
        raw = []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS or any(not isinstance(i, Mapping) for i in raw):
        r.errors["agenda"] = FieldError("invalid")
        return ()
    lines: list[AgendaLine] = []
    for n, item in enumerate(raw):
        title = r.text("", 500, value=item.get("title") or "", key=f"agenda.{n}.title")
        presenter = r.text(
            "", 200, required=False, value=item.get("presenter") or "", key=f"agenda.{n}.presenter"
        )
        kind = str(item.get("link_kind") or "").strip() or None
        ref = str(item.get("link_ref") or "").strip()[:100] or None
        if kind is not None and kind not in sources:
            r.errors[f"agenda.{n}.link_kind"] = FieldError("enum")
        if kind is not None and ref is None:
            r.errors[f"agenda.{n}.link_ref"] = FieldError("required")
        if kind is None:
            ref = None
        lines.append(AgendaLine(title, presenter, kind, ref))
    if not lines:
        r.errors["agenda"] = FieldError("required")
    return tuple(lines)


def read_meeting(
    data: Mapping[str, Any],
    tz: ZoneInfo,
    *,
    sources: Mapping[str, object],
    roles: Sequence[str],
    check: Callable[[MeetingData], dict[str, FieldError]] = lambda parsed: {},
) -> MeetingData:
    """A new meeting; `check` adds what only the database knows (unknown people, hidden documents)."""
    r = _Reader(data)
    kind = r.choice("kind", KINDS)
    starts_at = _moment(r, tz)
    place = r.text("place", SHORT, required=False)
    link = r.text("online_link", 500, required=False)
    if link and not re.match(r"^https?://\S+$", link):
        r.errors["online_link"] = FieldError("pattern")
    if not place and not link:
        r.errors["place"] = FieldError("required")
    invited_roles = r.names("invited_roles")
    if any(role not in roles for role in invited_roles):
        r.errors["invited_roles"] = FieldError("enum")
    external_count = r.number("external_count") if kind in EXTERNAL_KINDS else None
    external_list = r.text("external_list", LONG, required=False) if kind in EXTERNAL_KINDS else ""
    plan_item = r.number("plan_item")
    if plan_item is not None and not 1 <= plan_item <= 30:
        r.errors["plan_item"] = FieldError("maximum", {"limit": 30})
    parsed = MeetingData(
        kind=kind,
        title=r.text("title", SHORT),
        starts_at=starts_at,
        place=place,
        online_link=link,
        chair=r.text("chair", 80),
        secretary=r.text("secretary", 80),
        invited_roles=invited_roles,
        invitees=r.names("invitees"),
        external_count=external_count,
        external_list=external_list,
        plan_item=plan_item,
        agenda=read_agenda(r, sources),
    )
    if not r.errors:
        for name, error in check(parsed).items():
            r.errors.setdefault(name, error)
    r.done()
    return parsed


def read_agenda_change(
    data: Mapping[str, Any],
    sources: Mapping[str, object],
    check: Callable[[tuple[AgendaLine, ...]], dict[str, FieldError]],
) -> tuple[AgendaLine, ...]:
    r = _Reader(data)
    lines = read_agenda(r, sources)
    if not r.errors:
        r.errors.update(check(lines))
    r.done()
    return lines


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on", "present")


def read_attendance(
    data: Mapping[str, Any], listed: Sequence[str], external: bool
) -> tuple[list[Presence], int | None]:
    """Who was present or absent (with a reason); only people on the invitation list."""
    r = _Reader(data)
    raw = data.get("attendance")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_PEOPLE:
        r.errors["attendance"] = FieldError("required" if not raw else "invalid")
        raw = []
    rows: list[Presence] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            r.errors[f"attendance.{n}"] = FieldError("invalid")
            continue
        username = str(entry.get("username") or "").strip()
        if username not in listed or username in seen:
            r.errors[f"attendance.{n}.username"] = FieldError("unknown_user")
            continue
        seen.add(username)
        present = _flag(entry.get("present"))
        reason = r.text(
            "", SHORT, required=not present, value=entry.get("reason") or "", key=f"attendance.{n}.reason"
        )
        rows.append(Presence(username, present, "" if present else reason))
    external_present = r.number("external_present") if external else None
    r.done()
    return rows, external_present


def read_decision(
    data: Mapping[str, Any],
    today: date,
    *,
    check: Callable[[DecisionData], dict[str, FieldError]] = lambda parsed: {},
) -> DecisionData:
    r = _Reader(data)
    item_id = r.number("item_id", required=True) or 0
    heard = r.text("heard", LONG, required=False) if "heard" in data else None
    discussion = r.text("discussion", LONG, required=False) if "discussion" in data else None
    vote = r.choice("vote", VOTES, default="none")
    counts = [0, 0, 0]
    named: dict[str, str] = {}
    if vote == "counts":
        counts = [r.number(f"votes_{c}", required=True) or 0 for c in CHOICES]
    elif vote == "named":
        raw = data.get("named_votes")
        if not isinstance(raw, Mapping) or not raw or len(raw) > MAX_PEOPLE:
            r.errors["named_votes"] = FieldError("required" if not raw else "invalid")
        else:
            named = {str(k): str(v) for k, v in raw.items()}
            if any(v not in CHOICES for v in named.values()) or any(not _USERNAME.match(k) for k in named):
                r.errors["named_votes"] = FieldError("enum")
            counts = [sum(1 for v in named.values() if v == c) for c in CHOICES]
    followups = _followups(r, data.get("followups"), today)
    parsed = DecisionData(
        item_id,
        heard,
        discussion,
        r.text("text", LONG),
        vote,
        counts[0],
        counts[1],
        counts[2],
        named,
        followups,
    )
    if not r.errors:
        r.errors.update(check(parsed))
    r.done()
    return parsed


def _followups(r: _Reader, raw: Any, today: date) -> tuple[FollowUpData, ...]:
    if raw is None or raw == "":
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_FOLLOWUPS or any(not isinstance(f, Mapping) for f in raw):
        r.errors["followups"] = FieldError("invalid")
        return ()
    found: list[FollowUpData] = []
    for n, item in enumerate(raw):
        assignee = r.text("", 80, value=item.get("assignee") or "", key=f"followups.{n}.assignee")
        due = r.day(item.get("due_on"), f"followups.{n}.due_on")
        if due is not None and due < today:
            r.errors[f"followups.{n}.due_on"] = FieldError("date_past")
        text = r.text("", LONG, value=item.get("text") or "", key=f"followups.{n}.text")
        found.append(FollowUpData(assignee, due or today, text))
    return tuple(found)


@dataclass(frozen=True)
class Venue:
    starts_at: datetime
    place: str
    online_link: str


def read_venue(data: Mapping[str, Any], tz: ZoneInfo) -> Venue:
    """A new date, time and place (or online link) of a meeting that has not started."""
    r = _Reader(data)
    starts_at = _moment(r, tz)
    place = r.text("place", SHORT, required=False)
    link = r.text("online_link", 500, required=False)
    if link and not re.match(r"^https?://\S+$", link):
        r.errors["online_link"] = FieldError("pattern")
    if not place and not link:
        r.errors["place"] = FieldError("required")
    r.done()
    return Venue(starts_at, place, link)


def read_text(data: Mapping[str, Any], name: str, required: bool = True) -> str:
    r = _Reader(data)
    text = r.text(name, LONG, required=required)
    r.done()
    return text


def fold(*parts: str) -> str:
    return " ".join(p for p in parts if p).casefold()


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + m, 1) for m in (1, 2, 3)]
