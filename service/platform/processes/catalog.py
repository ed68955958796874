"""Reading process definitions and their versions for the admin pages and the API."""

from __future__ import annotations

from service.platform.inbox import queries
from service.platform.persistence.models import ProcessDefinition
from service.platform.runtime import Actor, Runtime


def versions(rt: Runtime, actor: Actor) -> list[tuple[ProcessDefinition, int]]:
    """Every version of every process with the number of instances still running on it."""
    actor.require_admin()
    with rt.db.session() as session:
        return [(row.definition, row.running) for row in queries.definitions_with_counts(session)]
