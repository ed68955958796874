"""Annotations, data objects, groups and their connections, placed in a row under their pool."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from service.platform.engine.layout.shapes import ARTIFACT_SIZES, BPMN, ROW_H, Box, Plane, local, q


def connection_ends(element: etree._Element) -> tuple[str, str] | None:
    """Source and target of a connection: an association or message flow (attributes) or a data
    association (a `sourceRef` child and its parent task, or the parent task and a `targetRef` child)."""
    name = local(element)
    if name in ("association", "messageFlow"):
        return element.get("sourceRef") or "", element.get("targetRef") or ""
    parent = element.getparent()
    task = parent.get("id") if parent is not None else None
    if name == "dataInputAssociation":
        source = element.find(q(BPMN, "sourceRef"))
        return ((source.text or "").strip(), task or "") if source is not None else None
    if name == "dataOutputAssociation":
        target = element.find(q(BPMN, "targetRef"))
        return (task or "", (target.text or "").strip()) if target is not None else None
    return None


def connections(scope: etree._Element) -> list[tuple[str, str, str]]:
    found = []
    for element in scope.iter(*(q(BPMN, n) for n in CONNECTIONS)):
        ends = connection_ends(element)
        if ends and element.get("id"):
            found.append((element.get("id") or "", *ends))
    return found


CONNECTIONS = ("association", "messageFlow", "dataInputAssociation", "dataOutputAssociation")


def place_artifacts(
    artifacts: list[etree._Element],
    scope: etree._Element,
    anchor_of: Callable[[str], Box | None],
    left: int,
    top: int,
) -> list[tuple[str, Box, dict[str, str]]]:
    """Annotations, data objects and stores, and groups in one row from `top`, each under the element
    it is connected to when that is drawn, never overlapping one another."""
    partner: dict[str, str] = {}
    for _, source, target in connections(scope):
        partner.setdefault(source, target)
        partner.setdefault(target, source)
    right_edge = left
    placed: list[tuple[str, Box, dict[str, str]]] = []
    for artifact in artifacts:
        artifact_id = artifact.get("id") or ""
        w, h = ARTIFACT_SIZES[local(artifact)]
        anchor = anchor_of(partner.get(artifact_id, ""))
        x = max(anchor.cx - w // 2 if anchor else right_edge, right_edge)
        box = Box(x, top + (ROW_H - h) // 2, w, h)
        right_edge = x + w + 20
        placed.append((artifact_id, box, {}))
    return placed


def draw_connections(scope: etree._Element, plane: Plane) -> None:
    """Straight edges for associations, data associations and message flows whose ends are drawn."""
    for connection_id, source, target in connections(scope):
        a, b = plane.box_of(source), plane.box_of(target)
        if a is None or b is None or any(e == connection_id for e, _ in plane.edges):
            continue
        if b.y >= a.y + a.h:  # below: leave from the bottom, arrive at the top
            points = [(a.cx, a.y + a.h), (b.cx, b.y)]
        elif a.y >= b.y + b.h:
            points = [(a.cx, a.y), (b.cx, b.y + b.h)]
        elif b.x >= a.x + a.w:
            points = [(a.x + a.w, a.cy), (b.x, b.cy)]
        else:
            points = [(a.x, a.cy), (b.x + b.w, b.cy)]
        plane.edges.append((connection_id, points))
