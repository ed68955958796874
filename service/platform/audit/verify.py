"""Verifying the audit chain end to end, its tip included."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from service.platform.audit import log as audit
from service.platform.audit.chain import GENESIS_HASH, ChainLink, first_broken, root_of
from service.platform.audit.checkpoint import recorded_checkpoints
from service.platform.persistence.models import AuditStream
from service.platform.runtime import Runtime


def verify_audit(rt: Runtime) -> tuple[int, tuple[int, str] | None]:
    """(rows checked, first broken row and why, or None when the log is intact).

    Walking the rows in id order proves each links to the previous row of its stream; only the streams'
    head rows can prove that none was deleted after a stream's last one, so each stream's newest row
    must be its head's; and the daily checkpoints kept outside the database (checkpoint.py) must still
    match the root of the streams' tips after the rows they counted.
    """
    count = 0
    last: ChainLink | None = None
    tips: dict[str, str] = {}
    checkpoints = recorded_checkpoints(rt)
    mismatch: tuple[int, str] | None = None

    def counted() -> Iterator[ChainLink]:
        nonlocal count, last, mismatch
        with rt.db.session() as session:
            for link in audit.iter_links(session):
                yield link
                count += 1
                last = link
                expected = checkpoints.get(count)
                # `tips` already holds this row (first_broken records it before asking for the next).
                if expected is not None and mismatch is None and expected[0] != root_of(tips):
                    reason = f"differs from the checkpoint {expected[1]}: the chain was rewritten"
                    mismatch = (link.id, reason)

    broken = first_broken(counted(), tips)
    if broken is not None:
        return count, broken
    if mismatch is not None:
        return count, mismatch
    beyond = [n for n in checkpoints if n > count]
    if beyond:
        name = checkpoints[min(beyond)][1]
        return count, (last.id if last else 0, f"is shorter than the checkpoint {name} recorded")
    with rt.db.session() as session:
        heads = dict(session.execute(select(AuditStream.name, AuditStream.last_hash)).all())
    after = last.id if last is not None else 0
    for name in sorted(set(heads) | set(tips)):
        if name not in heads:
            return count, (after, f"the head of stream {name} is missing")
        if heads[name] != tips.get(name, GENESIS_HASH):
            missing = "the newest events after this one are missing: audit_head names a later hash"
            return count, (after, missing)
    return count, None
