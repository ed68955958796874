"""The region register's decisions: a school adopts a region tool or restricts it further; the region
adopts a school's evaluation. Each one transaction, authorized here and audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.tools.models import RegionTool, Tool, ToolAdoption
from service.features.tools.regional import RegionEntry, region_entries, region_entry
from service.features.tools.rules import ADOPTERS, PERMITTED, SCHOOL_RESTRICTIONS_MAX, restriction_lines
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.persistence import tenancy
from service.platform.persistence.models import School
from service.platform.runtime import Actor, Runtime


def in_region(rt: Runtime) -> bool:
    """Whether the acting tenant is the region (its register is the one the schools read)."""
    info = rt.school()
    return info is not None and info.kind == "region"


def may_adopt(rt: Runtime, actor: Actor) -> bool:
    """A school's keepers of the register adopt and restrict; the region publishes, it adopts nothing."""
    return actor.has(*ADOPTERS) and not in_region(rt)


def _require_adopter(rt: Runtime, actor: Actor) -> None:
    if not may_adopt(rt, actor):
        raise Forbidden("only the school's responsible person, working group chair or director adopts")


def region_register(rt: Runtime, actor: Actor, status: str | None = None) -> list[RegionEntry]:
    """The region's permitted tools for the acting tenant, without what it holds itself; everyone reads it."""
    with rt.db.session() as session:
        own = set(session.execute(select(Tool.id)).scalars())
        rows = region_entries(session, skip=own)
    return [e for e in rows if status is None or e.status == status]


def get_region_tool(rt: Runtime, actor: Actor, tool_id: int) -> RegionEntry:
    with rt.db.session() as session:
        if session.get(Tool, tool_id) is not None:
            raise NotFound("the tenant's own entry")  # read as its own, never twice
        entry = region_entry(session, tool_id)
    if entry is None:
        raise NotFound("no such region tool")
    return entry


def _entry_or_404(session: Session, tool_id: int) -> RegionEntry:
    entry = region_entry(session, tool_id)
    if entry is None or session.get(Tool, tool_id) is not None:
        raise NotFound("no such region tool")
    return entry


def _adoption(session: Session, tool_id: int) -> ToolAdoption | None:
    return session.execute(select(ToolAdoption).where(ToolAdoption.tool_id == tool_id)).scalar_one_or_none()


def adopt(rt: Runtime, actor: Actor, tool_id: int) -> bool:
    """The school adopts a region tool without its own evaluation (False: it already had)."""
    _require_adopter(rt, actor)
    with rt.db.session() as session:
        entry = _entry_or_404(session, tool_id)
        if _adoption(session, tool_id) is not None:
            return False
        session.add(ToolAdoption(tool_id=tool_id, adopted_by=actor.username, adopted_at=utcnow()))
        audit.append(session, actor.username, "tool.adopt", detail={"tool": tool_id, "name": entry.name})
        return True


def unadopt(rt: Runtime, actor: Actor, tool_id: int) -> bool:
    """The school gives the adoption up, with its further restrictions (False: it had not adopted)."""
    _require_adopter(rt, actor)
    with rt.db.session() as session:
        entry = _entry_or_404(session, tool_id)
        row = _adoption(session, tool_id)
        if row is None:
            return False
        audit.append(
            session,
            actor.username,
            "tool.unadopt",
            detail={"tool": tool_id, "name": entry.name, "restrictions": row.restrictions},
        )
        session.delete(row)
        return True


def restrict(rt: Runtime, actor: Actor, tool_id: int, text: str) -> list[str]:
    """The school's further restrictions of an adopted region tool, one per line (empty: none), in force
    beside the region's for this school only."""
    _require_adopter(rt, actor)
    if len(text) > SCHOOL_RESTRICTIONS_MAX:
        raise ValidationFailed({"restrictions": FieldError("max_length", {"limit": SCHOOL_RESTRICTIONS_MAX})})
    lines = restriction_lines(text)
    with rt.db.session() as session:
        entry = _entry_or_404(session, tool_id)
        row = _adoption(session, tool_id)
        if row is None:
            raise Conflict("adopt the region tool before restricting it")
        previous = row.restrictions
        row.restrictions = "\n".join(lines)
        row.restricted_by = actor.username if lines else None
        row.restricted_at = utcnow() if lines else None
        audit.append(
            session,
            actor.username,
            "tool.restrict",
            detail={"tool": tool_id, "name": entry.name, "from": previous, "to": row.restrictions},
        )
        return lines


@dataclass(frozen=True)
class Candidate:
    """A school's permitted register entry, as the region's administrator may adopt it."""

    id: int
    school_id: int
    school: tuple[str, str]  # kk, ru names
    name: str
    vendor: str
    status: str
    adopted: bool  # already in the region register


def _require_region_admin(rt: Runtime, actor: Actor) -> None:
    if not (actor.has("region_admin") and in_region(rt)):
        raise Forbidden("only the region's administrator adopts schools' evaluations")


def may_adopt_for_region(rt: Runtime, actor: Actor) -> bool:
    return actor.has("region_admin") and in_region(rt)


def school_candidates(rt: Runtime, actor: Actor) -> list[Candidate]:
    """Every school's permitted entries (the register as the school's staff read it, never its votes),
    for the region's administrator to adopt into the region register."""
    _require_region_admin(rt, actor)
    with rt.db.session() as session:
        adopted = set(session.execute(select(RegionTool.source_tool_id)).scalars())
        rows = session.execute(
            select(Tool.id, Tool.school_id, Tool.name, Tool.vendor, Tool.status)
            .add_columns(School.name_kk, School.name_ru)
            .join(School, School.id == Tool.school_id)
            .where(School.kind == "school", Tool.status.in_(PERMITTED))
            .order_by(School.code, Tool.name, Tool.id)
            .execution_options(**{tenancy.CROSSING: True})
        ).all()
    return [
        Candidate(r.id, r.school_id, (r.name_kk, r.name_ru), r.name, r.vendor, r.status, r.id in adopted)
        for r in rows
    ]


def adopt_for_region(rt: Runtime, actor: Actor, tool_id: int) -> bool:
    """The region adopts a school's permitted evaluation: its register entry as it stands now joins the
    region register and every school reads it (False: already adopted). Audited in the region."""
    _require_region_admin(rt, actor)
    with rt.db.session() as session:
        found = session.execute(
            select(Tool, School.kind)
            .join(School, School.id == Tool.school_id)
            .where(Tool.id == tool_id)
            .execution_options(**{tenancy.CROSSING: True})
        ).first()
        if found is None or found.kind != "school" or found.Tool.status not in PERMITTED:
            raise NotFound("no such school tool")
        tool: Tool = found.Tool
        snapshot = RegionTool(
            source_school_id=tool.school_id,
            source_tool_id=tool.id,
            name=tool.name,
            vendor=tool.vendor,
            status=tool.status,
            processes_json=tool.processes_json,
            restrictions_json=tool.restrictions_json,
            personal_data_allowed=tool.personal_data_allowed,
            review_date=tool.review_date,
            memo=tool.memo,
            adopted_by=actor.username,
            adopted_at=utcnow(),
        )
        session.expunge(tool)  # a row of another school never stays in this tenant's identity map
        if session.execute(select(RegionTool.id).where(RegionTool.source_tool_id == tool_id)).first():
            return False
        session.add(snapshot)
        audit.append(
            session,
            actor.username,
            "tool.region.adopt",
            detail={"tool": tool_id, "name": snapshot.name, "school": snapshot.source_school_id},
        )
        return True


def remove_from_region(rt: Runtime, actor: Actor, tool_id: int) -> bool:
    """The region takes a school's evaluation out of its register again (False: it was not in it)."""
    _require_region_admin(rt, actor)
    with rt.db.session() as session:
        query = select(RegionTool).where(RegionTool.source_tool_id == tool_id)
        row = session.execute(query).scalar_one_or_none()
        if row is None:
            return False
        audit.append(
            session,
            actor.username,
            "tool.region.remove",
            detail={"tool": tool_id, "name": row.name, "school": row.source_school_id},
        )
        session.delete(row)
        return True
