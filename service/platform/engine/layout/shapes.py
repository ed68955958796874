"""Shapes of the auto-layout: namespaces, sizes, boxes, planes and the elements a container lays out."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

COL_W = 170  # one column of the flow
ROW_H = 120  # one row inside a lane
LANE_HEADER = 30  # the participant's and lanes' name strip on the left
MARGIN = 40  # left/top margin inside a lane band
DIAGRAM_X = 100
DIAGRAM_Y = 60

SIZES: dict[str, tuple[int, int]] = {
    "startEvent": (36, 36),
    "endEvent": (36, 36),
    "intermediateCatchEvent": (36, 36),
    "intermediateThrowEvent": (36, 36),
    "boundaryEvent": (36, 36),
    "exclusiveGateway": (50, 50),
    "inclusiveGateway": (50, 50),
    "parallelGateway": (50, 50),
    "eventBasedGateway": (50, 50),
    "complexGateway": (50, 50),
}
TASK_SIZE = (100, 80)

ARTIFACT_SIZES: dict[str, tuple[int, int]] = {
    "textAnnotation": (120, 40),
    "dataObjectReference": (36, 50),
    "dataStoreReference": (50, 50),
    "group": (160, 90),
}
NOT_NODES = {
    "sequenceFlow",
    "laneSet",
    "dataObject",
    "dataObjectReference",
    "dataStoreReference",
    "textAnnotation",
    "association",
    "extensionElements",
    "documentation",
    "ioSpecification",
    "property",
    "boundaryEvent",
    "group",
    "category",
    "multiInstanceLoopCharacteristics",
    "standardLoopCharacteristics",
    "incoming",
    "outgoing",
}


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


@dataclass
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def cy(self) -> int:
        return self.y + self.h // 2


@dataclass
class Plane:
    """The shapes and edges of one diagram plane, in drawing order."""

    element: str
    shapes: list[tuple[str, Box, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)

    def box_of(self, element: str) -> Box | None:
        return next((box for drawn, box, _ in self.shapes if drawn == element), None)


def bpmn_children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == BPMN]


def flow_nodes(container: etree._Element) -> list[etree._Element]:
    return [c for c in bpmn_children(container) if local(c) not in NOT_NODES and c.get("id")]


def leaf_lanes(container: etree._Element) -> list[etree._Element]:
    """Lanes without child lanes, top to bottom in document order."""
    leaves: list[etree._Element] = []

    def walk(lane_set: etree._Element) -> None:
        for lane in lane_set.findall(q(BPMN, "lane")):
            child = lane.find(q(BPMN, "childLaneSet"))
            if child is not None and child.findall(q(BPMN, "lane")):
                walk(child)
            else:
                leaves.append(lane)

    for lane_set in container.findall(q(BPMN, "laneSet")):
        walk(lane_set)
    return leaves


def all_lanes(container: etree._Element) -> list[etree._Element]:
    return [
        lane for lane_set in container.findall(q(BPMN, "laneSet")) for lane in lane_set.iter(q(BPMN, "lane"))
    ]


def size(el: etree._Element) -> tuple[int, int]:
    return SIZES.get(local(el), TASK_SIZE)


Point = tuple[int, int]
