"""One pass of the background work (timers, audit checkpoint, digests, e-mail) for every school."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from service.platform.audit.checkpoint import write_daily_checkpoint
from service.platform.inbox.digest import send_daily_digests
from service.platform.notify.mailer import send_pending
from service.platform.persistence import tenancy
from service.platform.persistence.models import School
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers


@dataclass
class PassResult:
    fired: int = 0
    digests: int = 0
    sent: int = 0


def school_ids(rt: Runtime) -> list[int]:
    """The tenants a worker serves: the single school, or every school and the region."""
    if rt.db.default_school is not None:
        return [rt.db.default_school]
    with tenancy.all_schools(), rt.db.read() as session:
        return list(session.execute(select(School.id).order_by(School.id)).scalars())


def worker_pass(rt: Runtime) -> PassResult:
    """Each school's due work, acting as that school: its timers, its digests in its time zone, its
    audit checkpoint. Any number of workers may run it at once (each step claims its rows)."""
    result = PassResult()
    for school in school_ids(rt):
        with tenancy.acting_as(school):
            result.fired += timers.run_due_timers(rt)
            write_daily_checkpoint(rt)  # once a day, whichever worker comes first
            result.digests += send_daily_digests(rt)  # before sending: today's digests go out now
            result.sent += send_pending(rt)
    return result
