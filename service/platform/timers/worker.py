"""One pass of the background work (timers, audit checkpoint, digests, e-mail) for every school.

A region has hundreds of schools and most have nothing due at any moment, so a pass first asks the
whole database, in three short reads, which schools have a timer, a campaign or an e-mail due, and
acts as a school only where something is; the once-a-day work (the audit checkpoint, the digests) is
remembered per school and day in the process, so it costs nothing on the passes after it is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, or_, select

from service.platform.audit.checkpoint import write_daily_checkpoint
from service.platform.clock import utcnow
from service.platform.inbox.digest import digest_time, send_daily_digests
from service.platform.notify.mailer import send_pending
from service.platform.persistence import tenancy
from service.platform.persistence.models import Campaign, CampaignTask, Notification, ProcessInstance, School
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers


@dataclass
class PassResult:
    fired: int = 0
    digests: int = 0
    sent: int = 0


@dataclass
class DailyDone:
    """The (work, school, day) this process has seen done; only ever skips work the database would refuse."""

    done: set[tuple[str, int, date]] = field(default_factory=set)

    def seen(self, work: str, school: int, day: date) -> bool:
        return (work, school, day) in self.done

    def mark(self, work: str, school: int, day: date) -> None:
        if len(self.done) > 10_000:
            self.done = {key for key in self.done if key[2] >= day}  # yesterday's entries go
        self.done.add((work, school, day))


_DAILY: dict[int, DailyDone] = {}  # per runtime (tests run several applications in one process)


def school_ids(rt: Runtime) -> list[int]:
    """The tenants a worker serves: the single school, or every school and the region."""
    if rt.db.default_school is not None:
        return [rt.db.default_school]
    with tenancy.all_schools(), rt.db.read() as session:
        return list(session.execute(select(School.id).order_by(School.id)).scalars())


@dataclass(frozen=True)
class Due:
    """Which schools have something due now (read across schools at once)."""

    timers: frozenset[int]
    mail: frozenset[int]


def due_now(rt: Runtime, now: datetime) -> Due:
    with tenancy.all_schools(), rt.db.read() as session:
        waking = select(ProcessInstance.school_id).where(
            ProcessInstance.status == "running", ProcessInstance.next_timer_at <= now
        )
        pending = exists().where(CampaignTask.campaign_id == Campaign.id, CampaignTask.status == "pending")
        # A superset of what `end_due_campaigns` ends (it also knows which kinds outlive their deadline).
        ending = select(Campaign.school_id).where(
            Campaign.status == "open", or_(Campaign.deadline_at <= now, ~pending)
        )
        mailing = select(Notification.school_id).where(
            Notification.email_state == "pending",
            or_(Notification.email_next_at.is_(None), Notification.email_next_at <= now),
        )
        timers_due = set(session.execute(waking.distinct()).scalars())
        timers_due |= set(session.execute(ending.distinct()).scalars())
        mail_due = set(session.execute(mailing.distinct()).scalars())
    return Due(frozenset(timers_due), frozenset(mail_due))


def worker_pass(rt: Runtime, now: datetime | None = None) -> PassResult:
    """Each school's due work, acting as that school: its timers, its digests in its time zone, its
    audit checkpoint. Any number of workers may run it at once (each step claims its rows)."""
    now = now or utcnow()
    result = PassResult()
    daily = _DAILY.setdefault(id(rt), DailyDone())
    due = due_now(rt, now)
    at = digest_time(rt.settings.get("DIGEST_TIME"))
    for school in school_ids(rt):
        with tenancy.acting_as(school):
            if school in due.timers:
                result.fired += timers.run_due_timers(rt, now)
            local = now.astimezone(rt.tz)
            day = local.date()
            if not daily.seen("checkpoint", school, day):
                write_daily_checkpoint(rt, now)  # once a day, whichever worker comes first
                daily.mark("checkpoint", school, day)
            written = 0
            if local.time() >= at and not daily.seen("digest", school, day):
                written = send_daily_digests(rt, now)  # before sending: today's go out in this pass
                daily.mark("digest", school, day)
                result.digests += written
            if school in due.mail or written:
                result.sent += send_pending(rt)
    return result
