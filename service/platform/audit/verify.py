"""Verifying the audit chain end to end, its tip included."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from service.platform.audit import log as audit
from service.platform.audit.chain import GENESIS_HASH, ChainLink, first_broken
from service.platform.persistence.models import AuditHead
from service.platform.runtime import Runtime


def verify_audit(rt: Runtime) -> tuple[int, tuple[int, str] | None]:
    """(rows checked, first broken row and why, or None when the chain is intact).

    Walking the rows proves each links to its predecessor; only the head row can prove that none
    was deleted after the last one, so the newest row's hash must be the head's.
    """
    count = 0
    last: ChainLink | None = None

    def counted() -> Iterator[ChainLink]:
        nonlocal count, last
        with rt.db.session() as session:
            for link in audit.iter_links(session):
                count += 1
                last = link
                yield link

    broken = first_broken(counted())
    if broken is not None:
        return count, broken
    with rt.db.session() as session:
        head = session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one_or_none()
    tip = last.hash if last is not None else GENESIS_HASH
    if head is not None and head != tip:
        after = last.id if last is not None else 0
        return count, (after, "the newest events after this one are missing: audit_head names a later hash")
    return count, None
