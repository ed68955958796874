"""What an agenda item may link: any record a feature offers as evidence (`evidence_sources`: a registered
order, an act edition, a tool, an incident, minutes) or a process still running (a draft order, an
amendment, a tool evaluation), each resolved for one reader by its owner's own access rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.platform.inbox.access import can_view_instance
from service.platform.persistence.models import ProcessInstance
from service.platform.registry import Evidence
from service.platform.runtime import Actor, Runtime

PROCESS = "process"
PROCESS_NAMES = {
    "kk": "Жүріп жатқан процесс (бұйрық жобасы, өзгеріс, бағалау), нөмірі",
    "ru": "Текущий процесс (проект приказа, изменение, оценка), номер",
    "en": "A running process (a draft order, an amendment, an evaluation), its number",
}
# Links that make a council meeting secret: the incident journal's records and private processes.
INCIDENT = "incident"


@dataclass(frozen=True)
class Link:
    evidence: Evidence
    private: bool  # the record's existence is private to its readers (an incident)


def kinds(rt: Runtime) -> Mapping[str, Mapping[str, str]]:
    """Every kind a link may have, with its name by language."""
    return {**{k: s.names for k, s in rt.features.evidence_sources.items()}, PROCESS: PROCESS_NAMES}


def resolve(rt: Runtime, session: Session, actor: Actor, kind: str, ref: str) -> Link | None:
    """The linked record as `actor` may see it; None when it is missing or hidden (the same answer)."""
    if kind == PROCESS:
        instance = session.get(ProcessInstance, int(ref)) if ref.isdigit() and len(ref) < 10 else None
        if instance is None or not can_view_instance(rt, session, actor, instance):
            return None
        found = Evidence(
            PROCESS, str(instance.id), ("instances.show", {"instance_id": instance.id}), instance.title
        )
        return Link(found, instance.process_id in rt.features.private_views)
    source = rt.features.evidence_sources.get(kind)
    evidence = source.resolve(session, actor, ref) if source else None
    if evidence is None or evidence.ref is None:
        return None
    return Link(evidence, kind == INCIDENT)
