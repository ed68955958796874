"""Verifying the audit chain end to end, its tip included."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from service.platform.audit import log as audit
from service.platform.audit.chain import GENESIS_HASH, ChainLink, first_broken
from service.platform.audit.checkpoint import recorded_checkpoints
from service.platform.persistence.models import AuditHead
from service.platform.runtime import Runtime


def verify_audit(rt: Runtime) -> tuple[int, tuple[int, str] | None]:
    """(rows checked, first broken row and why, or None when the chain is intact).

    Walking the rows proves each links to its predecessor; only the head row can prove that none
    was deleted after the last one, so the newest row's hash must be the head's; and the daily
    checkpoints kept outside the database (checkpoint.py) must still match the rows they counted.
    """
    count = 0
    last: ChainLink | None = None
    checkpoints = recorded_checkpoints(rt)
    mismatch: tuple[int, str] | None = None

    def counted() -> Iterator[ChainLink]:
        nonlocal count, last, mismatch
        with rt.db.session() as session:
            for link in audit.iter_links(session):
                count += 1
                last = link
                expected = checkpoints.get(count)
                if expected is not None and expected[0] != link.hash and mismatch is None:
                    reason = f"differs from the checkpoint {expected[1]}: the chain was rewritten"
                    mismatch = (link.id, reason)
                yield link

    broken = first_broken(counted())
    if broken is not None:
        return count, broken
    if mismatch is not None:
        return count, mismatch
    beyond = [n for n in checkpoints if n > count]
    if beyond:
        name = checkpoints[min(beyond)][1]
        return count, (last.id if last else 0, f"is shorter than the checkpoint {name} recorded")
    with rt.db.session() as session:
        head = session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one_or_none()
    tip = last.hash if last is not None else GENESIS_HASH
    if head is not None and head != tip:
        after = last.id if last is not None else 0
        return count, (after, "the newest events after this one are missing: audit_head names a later hash")
    return count, None
