"""Deployed definitions are immutable, so their spec and forms are cached per definition id."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.errors import NotFound
from service.platform.persistence import tenancy
from service.platform.persistence.models import ProcessDefinition
from service.platform.runtime import Runtime

_MAX_ENTRIES = 256


@dataclass(frozen=True)
class DefinitionParts:
    id: int
    process_id: str
    version: int
    spec_json: str
    forms: dict[str, dict[str, Any]]


_lock = threading.Lock()


def definition_parts(rt: Runtime, session: Session, definition_id: int) -> DefinitionParts:
    """The spec and forms of a deployed version, read from the database once per application.

    The cache lives on the Runtime (one per application and database), never in a module global,
    so two applications on different databases can never see each other's definitions; it is keyed by
    the session's school too, so a hit serves only the school whose scoped read filled it (an id of
    another school's version misses and is looked up, and not found, like any of its rows).
    """
    _cache: dict[tuple[int | None, int], DefinitionParts] = rt.definition_cache
    key = (session.info.get("school", tenancy.acting_school()), definition_id)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    row = session.execute(
        select(
            ProcessDefinition.id,
            ProcessDefinition.process_id,
            ProcessDefinition.version,
            ProcessDefinition.spec_json,
            ProcessDefinition.forms_json,
        ).where(ProcessDefinition.id == definition_id)
    ).one_or_none()
    if row is None:
        raise NotFound("no such process version")
    parts = DefinitionParts(row.id, row.process_id, row.version, row.spec_json, json.loads(row.forms_json))
    with _lock:
        if len(_cache) >= _MAX_ENTRIES:
            _cache.clear()  # versions are few; a rare full refill is simpler than LRU bookkeeping
        _cache[key] = parts
    return parts
