"""Reading process definitions and their versions for the admin pages and the API."""

from __future__ import annotations

from service.db import queries
from service.db.models import ProcessDefinition
from service.workflows.runtime import Actor, Runtime


def versions(rt: Runtime, actor: Actor) -> list[tuple[ProcessDefinition, int]]:
    """Every version of every process with the number of instances still running on it."""
    actor.require_admin()
    with rt.db.session() as session:
        return [(row.definition, row.running) for row in queries.definitions_with_counts(session)]
