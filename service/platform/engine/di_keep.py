"""A diagram's own layout survives a partial re-layout: its shapes and edges are put back as they were."""

from __future__ import annotations

import copy

from lxml import etree

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
_DRAWN = (f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")


def own_drawing(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Copies of the file's own shapes and edges per diagram plane, keyed by the plane's element."""
    planes: dict[str, list[etree._Element]] = {}
    for plane in root.iter(f"{{{BPMNDI}}}BPMNPlane"):
        drawn = [copy.deepcopy(node) for node in plane if node.tag in _DRAWN and node.get("bpmnElement")]
        if drawn:
            planes[str(plane.get("bpmnElement") or "")] = drawn
    return planes


def put_back(root: etree._Element, own: dict[str, list[etree._Element]]) -> None:
    """Replace computed shapes and edges by the file's own ones, element for element, and keep the
    ones the layout does not draw (annotations, data objects, message flows, groups…).

    The layout only fills in what the file did not draw; whatever it drew stays where its author put it.
    """
    if not own:
        return
    every_own = [node for nodes in own.values() for node in nodes]
    new_planes = list(root.iter(f"{{{BPMNDI}}}BPMNPlane"))
    if not new_planes:
        return
    placed: set[str] = set()
    for plane in new_planes:
        for node in list(plane):
            if node.tag not in _DRAWN:
                continue
            element = str(node.get("bpmnElement") or "")
            mine = next((o for o in every_own if o.get("bpmnElement") == element and o.tag == node.tag), None)
            if mine is not None:
                plane.replace(node, copy.deepcopy(mine))
                placed.add(f"{mine.tag}|{element}")
    # What the layout never draws goes to the plane of the same element, or the first one.
    by_element = {str(p.get("bpmnElement") or ""): p for p in new_planes}
    for plane_element, nodes in own.items():
        target = by_element.get(plane_element, new_planes[0])
        for node in nodes:
            key = f"{node.tag}|{node.get('bpmnElement')}"
            if key not in placed:
                target.append(copy.deepcopy(node))
                placed.add(key)
