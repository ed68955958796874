"""Evidence of a plan item's completion: a record another feature holds, found through the registry.

Each feature declares the kinds of record it can show as evidence (`Feature.evidence_sources`); the plan
validates a typed reference on marking and resolves it again for every reader, so a record the reader
may not see (an incident) is shown without its number or link.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from service.platform.errors import FieldError
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor

Sources = Mapping[str, EvidenceSource]


def validated(
    session: Session, sources: Sources, actor: Actor, kind: str, ref: str
) -> tuple[Evidence | None, dict[str, FieldError]]:
    """The evidence a marker named (None for none), or the field errors; refs are stored normalized."""
    kind, ref = kind.strip(), ref.strip()
    if not kind and not ref:
        return None, {}
    if kind not in sources:
        return None, {"evidence_kind": FieldError("required" if not kind else "enum")}
    if not ref:
        return None, {"evidence_ref": FieldError("required")}
    found = resolve(session, sources, actor, kind, ref)
    if found is None or found.ref is None:
        return None, {"evidence_ref": FieldError("evidence_not_found")}
    return found, {}


def resolve(session: Session, sources: Sources, actor: Actor, kind: str, ref: str) -> Evidence | None:
    """The evidence as `actor` may see it; None when it no longer exists (or its kind is gone)."""
    source = sources.get(kind)
    return source.resolve(session, actor, ref) if source else None
