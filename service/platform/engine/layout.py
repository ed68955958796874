"""Server-side auto-layout: adds diagram interchange (BPMNDiagram) to processes drawn without it.

Our BPMN files are written by hand without coordinates, and bpmn-js can only show what has DI. When a
file lacks a shape for any flow node, lane or participant, the whole DI is rebuilt deterministically:
lanes (role codes, which the engine reads) become horizontal bands inside the participant, flow nodes
sit in columns by flow order and in rows inside their lane, boundary events on their host's lower edge,
and sequence flows get orthogonal waypoints that cross no shape but their ends. Text annotations, data
objects and stores and groups get a row under their pool, each under what it is connected to; their
associations, data associations and message flows get straight edges. Whatever the file drew itself
is put back as it was (`di_keep`). Only the XML is touched, never the process semantics.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from service.platform.engine.di_keep import own_drawing, put_back
from service.platform.engine.xmlsafe import parse_untrusted

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

_SIZES: dict[str, tuple[int, int]] = {
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
_TASK_SIZE = (100, 80)
_NOT_NODES = {
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


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


@dataclass
class _Box:
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
class _Plane:
    """The shapes and edges of one diagram plane, in drawing order."""

    element: str
    shapes: list[tuple[str, _Box, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)

    def box_of(self, element: str) -> _Box | None:
        return next((box for drawn, box, _ in self.shapes if drawn == element), None)


def _bpmn_children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == BPMN]


def _flow_nodes(container: etree._Element) -> list[etree._Element]:
    return [c for c in _bpmn_children(container) if _local(c) not in _NOT_NODES and c.get("id")]


def _leaf_lanes(container: etree._Element) -> list[etree._Element]:
    """Lanes without child lanes, top to bottom in document order."""
    leaves: list[etree._Element] = []

    def walk(lane_set: etree._Element) -> None:
        for lane in lane_set.findall(_q(BPMN, "lane")):
            child = lane.find(_q(BPMN, "childLaneSet"))
            if child is not None and child.findall(_q(BPMN, "lane")):
                walk(child)
            else:
                leaves.append(lane)

    for lane_set in container.findall(_q(BPMN, "laneSet")):
        walk(lane_set)
    return leaves


def _all_lanes(container: etree._Element) -> list[etree._Element]:
    return [
        lane
        for lane_set in container.findall(_q(BPMN, "laneSet"))
        for lane in lane_set.iter(_q(BPMN, "lane"))
    ]


def _ranks(nodes: list[str], flows: list[tuple[str, str]]) -> dict[str, int]:
    """Columns by longest path from the sources, back edges (loops) ignored; deterministic."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    indeg: dict[str, int] = dict.fromkeys(nodes, 0)
    for s, t in flows:
        if s in succ and t in succ:
            succ[s].append(t)
            indeg[t] += 1
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    roots = [n for n in nodes if indeg[n] == 0] + nodes  # unreachable cycles still get visited

    for root in roots:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if state.get(nxt) == 1:
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    rank: dict[str, int] = dict.fromkeys(nodes, 0)
    order = _topological(nodes, [(s, t) for s, t in flows if (s, t) not in back and s in succ and t in succ])
    for node in order:
        for s, t in flows:
            if s == node and (s, t) not in back and t in rank:
                rank[t] = max(rank[t], rank[s] + 1)
    return rank


def _topological(nodes: list[str], edges: list[tuple[str, str]]) -> list[str]:
    indeg = dict.fromkeys(nodes, 0)
    for _s, t in edges:
        indeg[t] += 1
    ready = [n for n in nodes if indeg[n] == 0]
    out: list[str] = []
    while ready:
        node = ready.pop(0)
        out.append(node)
        for s, t in edges:
            if s == node:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
    return out + [n for n in nodes if n not in out]


def _size(el: etree._Element) -> tuple[int, int]:
    return _SIZES.get(_local(el), _TASK_SIZE)


Point = tuple[int, int]


def _clear(points: list[Point], obstacles: list[_Box]) -> bool:
    """True when no segment of the polyline enters the inside of any of the shapes (touching is fine)."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        for b in obstacles:
            across = max(x1, x2) > b.x and min(x1, x2) < b.x + b.w
            if across and max(y1, y2) > b.y and min(y1, y2) < b.y + b.h:
                return False
    return True


def _simplify(points: list[Point]) -> list[Point]:
    """Drops repeated points and the middle of three points on one line."""
    out: list[Point] = []
    for point in points:
        if out and out[-1] == point:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == point[0] or out[-2][1] == out[-1][1] == point[1]):
            out[-1] = point
            continue
        out.append(point)
    return out


def _corridor(start: Point, channel: int, dst: _Box) -> list[Point]:
    """A route that runs only where the grid keeps shapes out, so it is clear by construction.

    Every node is centred on its column and row, so the strip left of a column (`gap`) and the strip
    between two rows (a channel, half a row below a row's centre) hold no shapes. From `start`, straight
    above its channel, the route drops into that channel, runs to the strip left of the target's column,
    and enters the target from the left (a later column) or from its own channel below (a loop back).
    """
    gap = dst.cx - _TASK_SIZE[0] // 2 - 20
    head = [start, (start[0], channel), (gap, channel)]
    if dst.x > start[0]:
        return _simplify([*head, (gap, dst.cy), (dst.x, dst.cy)])
    below = dst.cy + ROW_H // 2
    return _simplify([*head, (gap, below), (dst.cx, below), (dst.cx, dst.y + dst.h)])


def _route(src: _Box, dst: _Box, host: _Box | None, obstacles: list[_Box]) -> list[Point]:
    """Orthogonal waypoints from one shape to another that cross no shape but their ends.

    The short routes are tried first and kept when clear; otherwise the corridor route, which always is.
    `host` is the task a boundary event (`src`) sits on.
    """
    gap = dst.cx - _TASK_SIZE[0] // 2 - 20
    candidates: list[list[Point]] = []
    if host is not None:
        start = (src.cx, src.y + src.h)
        if dst.x > src.cx:
            candidates.append([start, (src.cx, dst.cy), (dst.x, dst.cy)])
        else:
            low = max(src.cy, dst.cy) + ROW_H // 2
            candidates.append([start, (src.cx, low), (dst.cx, low), (dst.cx, dst.y + dst.h)])
        candidates.append(_corridor(start, host.cy + ROW_H // 2, dst))
    else:
        start = (src.cx, src.y + src.h)
        if dst.x >= src.x + src.w:
            if src.cy == dst.cy:
                candidates.append([(src.x + src.w, src.cy), (dst.x, dst.cy)])
            candidates.append([(src.x + src.w, src.cy), (gap, src.cy), (gap, dst.cy), (dst.x, dst.cy)])
        else:
            # A loop back: leave below the source, run in the channel under both rows, enter from below.
            low = max(src.cy, dst.cy) + ROW_H // 2
            candidates.append([start, (src.cx, low), (dst.cx, low), (dst.cx, dst.y + dst.h)])
        candidates.append(_corridor(start, src.cy + ROW_H // 2, dst))
    return next((c for c in candidates if _clear(c, obstacles)), candidates[-1])


def _layout_container(
    container: etree._Element, plane: _Plane, origin_x: int, origin_y: int, participant: str | None
) -> tuple[int, int]:
    """Lays out one process (or sub-process) from the origin; returns its width and height."""
    nodes = _flow_nodes(container)
    ids = [n.get("id") or "" for n in nodes]
    by_id = {n.get("id"): n for n in nodes}
    flows = [
        (f.get("sourceRef") or "", f.get("targetRef") or "", f.get("id") or "")
        for f in container.findall(_q(BPMN, "sequenceFlow"))
    ]
    boundaries = [b for b in container.findall(_q(BPMN, "boundaryEvent")) if b.get("id")]
    host_of = {b.get("id") or "": b.get("attachedToRef") or "" for b in boundaries}
    # For ranking, a flow out of a boundary event leaves from its host.
    rank_flows = [(host_of.get(s, s), t) for s, t, _ in flows]
    rank = _ranks(ids, rank_flows)

    leaves = _leaf_lanes(container)
    lane_of: dict[str, int] = {}
    for index, lane in enumerate(leaves):
        for ref in lane.findall(_q(BPMN, "flowNodeRef")):
            lane_of.setdefault((ref.text or "").strip(), index)
    lane_count = max(1, len(leaves))
    # Rows inside each lane: nodes sharing a column stack downwards; boundary targets prefer a lower row.
    rows: dict[str, int] = {}
    taken: dict[tuple[int, int], set[int]] = {}
    boundary_targets = {t for s, t, _ in flows if s in host_of}
    for node_id in sorted(ids, key=lambda n: (rank[n], n in boundary_targets, ids.index(n))):
        key = (lane_of.get(node_id, 0), rank[node_id])
        used = taken.setdefault(key, set())
        row = 1 if node_id in boundary_targets else 0
        while row in used:
            row += 1
        used.add(row)
        rows[node_id] = row
    lane_rows = [1] * lane_count
    for node_id in ids:
        lane_index = lane_of.get(node_id, 0)
        lane_rows[lane_index] = max(lane_rows[lane_index], rows[node_id] + 1)
    columns = (max(rank.values()) + 1) if rank else 1
    has_lanes = bool(leaves)
    inner_x = origin_x + (LANE_HEADER * 2 if has_lanes else 0)
    width = (inner_x - origin_x) + MARGIN + columns * COL_W
    lane_tops: list[int] = []
    y = origin_y
    for count in lane_rows:
        lane_tops.append(y)
        y += count * ROW_H + MARGIN // 2
    height = y - origin_y

    boxes: dict[str, _Box] = {}
    for node_id in ids:
        w, h = _size(by_id[node_id])
        cx = inner_x + MARGIN + rank[node_id] * COL_W + _TASK_SIZE[0] // 2
        cy = lane_tops[lane_of.get(node_id, 0)] + rows[node_id] * ROW_H + ROW_H // 2
        boxes[node_id] = _Box(cx - w // 2, cy - h // 2, w, h)

    artifacts = [el for el in _bpmn_children(container) if _local(el) in _ARTIFACT_SIZES and el.get("id")]
    # a row of their own under the lanes, each under the element it is connected to
    artifact_shapes = _place_artifacts(artifacts, container, boxes.get, inner_x + MARGIN, origin_y + height)
    if artifact_shapes:
        height += ROW_H
        width = max(width, max(b.x + b.w for _, b, _ in artifact_shapes) + MARGIN - origin_x)
    if participant is not None:
        plane.shapes.append((participant, _Box(origin_x, origin_y, width, height), {"isHorizontal": "true"}))
    if has_lanes:
        lane_x = origin_x + LANE_HEADER
        for index, lane in enumerate(leaves):
            lane_h = lane_rows[index] * ROW_H + MARGIN // 2
            box = _Box(lane_x, lane_tops[index], width - LANE_HEADER, lane_h)
            plane.shapes.append((lane.get("id") or "", box, {"isHorizontal": "true"}))
        leaf_ids = {id(lane) for lane in leaves}
        for lane in _all_lanes(container):
            if id(lane) in leaf_ids or not lane.get("id"):
                continue
            inner = [leaves.index(leaf) for leaf in lane.iter(_q(BPMN, "lane")) if id(leaf) in leaf_ids]
            if inner:
                top = lane_tops[min(inner)]
                bottom = lane_tops[max(inner)] + lane_rows[max(inner)] * ROW_H + MARGIN // 2
                plane.shapes.append(
                    (
                        lane.get("id") or "",
                        _Box(lane_x, top, width - LANE_HEADER, bottom - top),
                        {"isHorizontal": "true"},
                    )
                )

    for node_id in ids:
        attrs: dict[str, str] = {}
        if _local(by_id[node_id]) == "exclusiveGateway":
            attrs["isMarkerVisible"] = "true"
        if _local(by_id[node_id]) in ("subProcess", "transaction", "adHocSubProcess"):
            attrs["isExpanded"] = "false"
        plane.shapes.append((node_id, boxes[node_id], attrs))

    per_host: dict[str, int] = {}
    for boundary in boundaries:
        bid = boundary.get("id") or ""
        host = boxes.get(host_of[bid])
        if host is None:
            continue
        index = per_host.get(host_of[bid], 0)
        per_host[host_of[bid]] = index + 1
        boxes[bid] = _Box(max(host.x, host.x + host.w - 46 - index * 40), host.y + host.h - 18, 36, 36)
        plane.shapes.append((bid, boxes[bid], {}))

    plane.shapes.extend(artifact_shapes)
    drawn = [boxes[n] for n in ids] + [boxes[b] for b in host_of if b in boxes]
    for source, target, flow_id in flows:
        if source in boxes and target in boxes and flow_id:
            others = [b for b in drawn if b is not boxes[source] and b is not boxes[target]]
            host = boxes.get(host_of[source]) if source in host_of else None
            plane.edges.append((flow_id, _route(boxes[source], boxes[target], host, others)))
    return width, height


_ARTIFACT_SIZES: dict[str, tuple[int, int]] = {
    "textAnnotation": (120, 40),
    "dataObjectReference": (36, 50),
    "dataStoreReference": (50, 50),
    "group": (160, 90),
}


def _ends(element: etree._Element) -> tuple[str, str] | None:
    """Source and target of a connection: an association or message flow (attributes) or a data
    association (a `sourceRef` child and its parent task, or the parent task and a `targetRef` child)."""
    name = _local(element)
    if name in ("association", "messageFlow"):
        return element.get("sourceRef") or "", element.get("targetRef") or ""
    parent = element.getparent()
    task = parent.get("id") if parent is not None else None
    if name == "dataInputAssociation":
        source = element.find(_q(BPMN, "sourceRef"))
        return ((source.text or "").strip(), task or "") if source is not None else None
    if name == "dataOutputAssociation":
        target = element.find(_q(BPMN, "targetRef"))
        return (task or "", (target.text or "").strip()) if target is not None else None
    return None


def _connections(scope: etree._Element) -> list[tuple[str, str, str]]:
    found = []
    for element in scope.iter(*(_q(BPMN, n) for n in _CONNECTIONS)):
        ends = _ends(element)
        if ends and element.get("id"):
            found.append((element.get("id") or "", *ends))
    return found


_CONNECTIONS = ("association", "messageFlow", "dataInputAssociation", "dataOutputAssociation")


def _place_artifacts(
    artifacts: list[etree._Element],
    scope: etree._Element,
    anchor_of: Callable[[str], _Box | None],
    left: int,
    top: int,
) -> list[tuple[str, _Box, dict[str, str]]]:
    """Annotations, data objects and stores, and groups in one row from `top`, each under the element
    it is connected to when that is drawn, never overlapping one another."""
    partner: dict[str, str] = {}
    for _, source, target in _connections(scope):
        partner.setdefault(source, target)
        partner.setdefault(target, source)
    right_edge = left
    placed: list[tuple[str, _Box, dict[str, str]]] = []
    for artifact in artifacts:
        artifact_id = artifact.get("id") or ""
        w, h = _ARTIFACT_SIZES[_local(artifact)]
        anchor = anchor_of(partner.get(artifact_id, ""))
        x = max(anchor.cx - w // 2 if anchor else right_edge, right_edge)
        box = _Box(x, top + (ROW_H - h) // 2, w, h)
        right_edge = x + w + 20
        placed.append((artifact_id, box, {}))
    return placed


def _draw_connections(scope: etree._Element, plane: _Plane) -> None:
    """Straight edges for associations, data associations and message flows whose ends are drawn."""
    for connection_id, source, target in _connections(scope):
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


def _complete(root: etree._Element) -> bool:
    """True when every flow node, lane and participant already has a shape and every flow an edge."""
    drawn = {s.get("bpmnElement") for s in root.iter(_q(BPMNDI, "BPMNShape"))}
    drawn |= {e.get("bpmnElement") for e in root.iter(_q(BPMNDI, "BPMNEdge"))}
    if not drawn:
        return False
    for process in root.findall(_q(BPMN, "process")):
        for el in process.iter():
            if not isinstance(el.tag, str) or etree.QName(el).namespace != BPMN or not el.get("id"):
                continue
            name = _local(el)
            if name in (
                "laneSet",
                "dataObject",
                "property",
                "ioSpecification",
                "process",
                "multiInstanceLoopCharacteristics",
                "inputDataItem",
                "outputDataItem",
                "timerEventDefinition",
                "messageEventDefinition",
                "errorEventDefinition",
                "signalEventDefinition",
                "conditionalEventDefinition",
                "escalationEventDefinition",
                "terminateEventDefinition",
                "cancelEventDefinition",
                "compensateEventDefinition",
                "linkEventDefinition",
                "childLaneSet",
                "category",
                "categoryValue",
            ):
                continue
            if name.endswith("EventDefinition"):
                continue
            if el.get("id") not in drawn:
                return False
    return True


def _write(root: etree._Element, diagram_id: str, plane: _Plane) -> None:
    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id=diagram_id)
    plane_el = etree.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), id=f"{diagram_id}_plane", bpmnElement=plane.element
    )
    for element, box, attrs in plane.shapes:
        shape = etree.SubElement(plane_el, _q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element)
        for key, value in attrs.items():
            shape.set(key, value)
        etree.SubElement(
            shape, _q(DC, "Bounds"), x=str(box.x), y=str(box.y), width=str(box.w), height=str(box.h)
        )
    for element, points in plane.edges:
        edge = etree.SubElement(plane_el, _q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
        for px, py in points:
            etree.SubElement(edge, _q(DI, "waypoint"), x=str(px), y=str(py))


def _subprocess_planes(container: etree._Element, root: etree._Element) -> None:
    """Collapsed sub-processes get their own plane, as bpmn-js draws them on drill-down."""
    for sub in container:
        if isinstance(sub.tag, str) and _local(sub) in ("subProcess", "transaction", "adHocSubProcess"):
            plane = _Plane(f"{sub.get('id')}")
            _layout_container(sub, plane, DIAGRAM_X, DIAGRAM_Y, None)
            _draw_connections(sub, plane)
            _write(root, f"Diagram_{sub.get('id')}", plane)
            _subprocess_planes(sub, root)


def add_layout(xml: bytes) -> bytes:
    """The same file with diagram interchange for every element, computed when any is missing."""
    tree = parse_untrusted(xml)
    root = tree.getroot()
    if _complete(root):
        return xml
    own = own_drawing(root)  # whatever the file drew itself stays as drawn
    for old in root.findall(_q(BPMNDI, "BPMNDiagram")):
        root.remove(old)
    processes = root.findall(_q(BPMN, "process"))
    collaboration = root.find(_q(BPMN, "collaboration"))
    if collaboration is None and any(p.findall(_q(BPMN, "laneSet")) for p in processes[:1]):
        # bpmn-js edits lanes only inside a pool: wrap the lane-bearing process in one participant.
        first = processes[0]
        collaboration = etree.Element(_q(BPMN, "collaboration"), id=f"Collaboration_{first.get('id')}")
        etree.SubElement(
            collaboration,
            _q(BPMN, "participant"),
            id=f"Participant_{first.get('id')}",
            name=first.get("name") or first.get("id") or "",
            processRef=first.get("id") or "",
        )
        first.addprevious(collaboration)
    by_process = {p.get("id"): p for p in processes}
    if collaboration is not None:
        plane = _Plane(collaboration.get("id") or "Collaboration")
        y = DIAGRAM_Y
        for participant in collaboration.findall(_q(BPMN, "participant")):
            process = by_process.get(participant.get("processRef"))
            if process is None:
                plane.shapes.append(
                    (participant.get("id") or "", _Box(DIAGRAM_X, y, 600, 100), {"isHorizontal": "true"})
                )
                y += 140
                continue
            _, height = _layout_container(process, plane, DIAGRAM_X, y, participant.get("id") or "")
            y += height + 40
        loose = [el for el in _bpmn_children(collaboration) if _local(el) in _ARTIFACT_SIZES and el.get("id")]
        plane.shapes.extend(_place_artifacts(loose, collaboration, plane.box_of, DIAGRAM_X, y))
        _draw_connections(root, plane)
        _write(root, "BPMNDiagram_1", plane)
        drawn = {p.get("processRef") for p in collaboration.findall(_q(BPMN, "participant"))}
        for process in processes:
            if process.get("id") in drawn:
                _subprocess_planes(process, root)
    else:
        drawn = set()
    for index, process in enumerate(p for p in processes if p.get("id") not in drawn):
        plane = _Plane(process.get("id") or "")
        _layout_container(process, plane, DIAGRAM_X, DIAGRAM_Y, None)
        _draw_connections(process, plane)
        _write(root, f"BPMNDiagram_{process.get('id') or index}", plane)
        _subprocess_planes(process, root)
    put_back(root, own)
    for prefix, ns in (("bpmndi", BPMNDI), ("dc", DC), ("di", DI)):
        if prefix not in (root.nsmap or {}):
            etree.cleanup_namespaces(root, top_nsmap={prefix: ns})
    out: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return out
