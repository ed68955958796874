"""A daily checkpoint of the audit log kept outside the database: its root hash and length.

The chain proves that no row was edited, reordered or cut off, but someone who can write the database
could rebuild the whole chain. Once a day the head hash and count go to a file in the file storage and
to the director(s); `audit verify` then checks the chain against every checkpoint file it finds, so a
rewritten chain no longer matches what was recorded before.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from service.platform.audit import anchor
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.notify.outbox import notify
from service.platform.persistence import tenancy
from service.platform.persistence.locks import next_value
from service.platform.persistence.models import User, UserRole
from service.platform.runtime import Runtime

RECIPIENT_ROLE = "director"


def checkpoint_dir(rt: Runtime) -> Path:
    """Where the acting school's checkpoints go: each school's chains are checked on their own."""
    info = rt.school()
    folder = rt.storage_dir / "audit-checkpoints"
    return folder if info is None or info.id == tenancy.DEFAULT_SCHOOL else folder / info.code


def write_daily_checkpoint(rt: Runtime, now: datetime | None = None) -> dict[str, Any] | None:
    """Record today's checkpoint, once a day whichever worker comes first; None when already done."""
    now = now or utcnow()
    day = now.astimezone(rt.tz).date().isoformat()
    with rt.db.session() as session:
        # The counter's row lock makes exactly one worker of any number the one that writes it.
        if next_value(session, f"audit_checkpoint:{day}") != 1:
            return None
        # Alone on the log for a moment: no append is in flight, so the first `events` rows by id are
        # exactly the ones counted, which is what `audit verify` recomputes the root over.
        audit.hold_epoch(session, alone=True)
        state = anchor.current(session)
        checkpoint = {"date": day, "at": now.isoformat(), "head": state.head, "events": state.events}
        folder = checkpoint_dir(rt)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day}.json").write_text(json.dumps(checkpoint, indent=2), encoding="utf-8")
        directors = session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == RECIPIENT_ROLE, User.is_active.is_(True))
        ).scalars()
        mail = rt.smtp_host is not None
        notify(session, directors, "audit_checkpoint", dict(checkpoint), mail_enabled=mail)
        audit.append(session, "system", "audit.checkpoint", detail=checkpoint)
        return checkpoint


def recorded_checkpoints(rt: Runtime) -> dict[int, tuple[str, str]]:
    """The checkpoint files in storage: chain length -> (head hash then, file name)."""
    found: dict[int, tuple[str, str]] = {}
    folder = checkpoint_dir(rt)
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found[int(data["events"])] = (str(data["head"]), path.name)
        except (ValueError, KeyError, TypeError):
            continue  # an unreadable file proves nothing either way; verify reports the others
    return found
