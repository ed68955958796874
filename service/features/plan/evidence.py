"""Evidence of a plan item's completion: a link to something the system holds, validated on marking.

An incident is accepted only from someone who may read it, and shown only to such readers: for anyone
else an unknown journal number and a hidden one give the same answer, so the plan never leaks one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.acts.models import ActEdition, LocalAct
from service.features.incidents import access as incident_access
from service.features.incidents.models import Incident
from service.features.orders.models import Order
from service.features.tools.models import Tool
from service.platform.errors import FieldError
from service.platform.runtime import Actor

KINDS: tuple[str, ...] = ("order", "tool", "incident", "act_edition")
_INCIDENT = re.compile(r"^(\d{4})\s*[/-]\s*(\d{1,9})$")
_EDITION = re.compile(r"^([a-z_]+)\s*/\s*(\d{1,9})$")


@dataclass(frozen=True)
class Evidence:
    """What a mark links to: `ref` as stored ("12/Ж", "3", "2026/1", "ai_regulation/2"), `target` the
    row the page links to (an order's or tool's or incident's id, or (act, edition)); `ref` and `target`
    are None when the reader may not see it."""

    kind: str
    ref: str | None
    target: int | tuple[str, int] | None
    label: str = ""  # a tool's name; the other kinds are named by their ref


def _order(session: Session, ref: str) -> Order | None:
    return session.execute(
        select(Order).where(Order.number == ref, Order.status == "registered")
    ).scalar_one_or_none()


def _tool(session: Session, ref: str) -> Tool | None:
    if ref.isdigit():
        # An id no row can have (past PostgreSQL's integer) finds nothing instead of failing the query.
        return session.get(Tool, int(ref)) if len(ref) < 10 else None
    return session.execute(
        select(Tool).where(func.lower(Tool.name) == ref.lower()).limit(1)
    ).scalar_one_or_none()


def _incident(session: Session, ref: str) -> Incident | None:
    match = _INCIDENT.match(ref)
    if match is None:
        return None
    return session.execute(
        select(Incident).where(Incident.year == int(match.group(1)), Incident.number == int(match.group(2)))
    ).scalar_one_or_none()


def _edition(session: Session, ref: str) -> tuple[str, int] | None:
    match = _EDITION.match(ref)
    if match is None:
        return None
    found = session.execute(
        select(ActEdition.id)
        .join(LocalAct, LocalAct.id == ActEdition.act_id)
        .where(LocalAct.code == match.group(1), ActEdition.number == int(match.group(2)))
    ).first()
    return (match.group(1), int(match.group(2))) if found else None


def validated(
    session: Session, actor: Actor, kind: str, ref: str
) -> tuple[Evidence | None, dict[str, FieldError]]:
    """The evidence a marker named (None for none), or the field errors; refs are stored normalized."""
    kind, ref = kind.strip(), ref.strip()
    if not kind and not ref:
        return None, {}
    if kind not in KINDS:
        return None, {"evidence_kind": FieldError("required" if not kind else "enum")}
    if not ref:
        return None, {"evidence_ref": FieldError("required")}
    found = resolve(session, actor, kind, ref)
    if found is None or found.ref is None:
        return None, {"evidence_ref": FieldError("evidence_not_found")}
    return found, {}


def resolve(session: Session, actor: Actor, kind: str, ref: str) -> Evidence | None:
    """The evidence as `actor` may see it; None when it no longer exists."""
    if kind == "order":
        order = _order(session, ref)
        return Evidence(kind, order.number, order.id) if order and order.number else None
    if kind == "tool":
        tool = _tool(session, ref)
        return Evidence(kind, str(tool.id), tool.id, tool.name) if tool else None
    if kind == "incident":
        incident = _incident(session, ref)
        if incident is None or not incident_access.may_read(actor, incident):
            return Evidence(kind, None, None)  # the same for a missing one and a hidden one
        return Evidence(kind, f"{incident.year}/{incident.number}", incident.id)
    if kind == "act_edition":
        edition = _edition(session, ref)
        return Evidence(kind, f"{edition[0]}/{edition[1]}", edition) if edition else None
    return None
