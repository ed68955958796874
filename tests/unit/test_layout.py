"""The server-side auto-layout: every element drawn, lanes as bands holding their nodes, orthogonal
edges, boundary events on their hosts, deterministic and idempotent, only where DI is missing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lxml import etree

from service.platform.engine.layout import BPMN, BPMNDI, DC, DI, add_layout
from service.platform.engine.xmlsafe import UnsafeXml

ROOT = Path(__file__).resolve().parents[2]
ORDER_XML = (ROOT / "bpmn" / "order_drafting.bpmn").read_bytes()

LANES_ONLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="lanes_only" isExecutable="true">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="L1" name="staff">
        <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>T</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="L2" name="director"><bpmn:flowNodeRef>E</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" />
    <bpmn:task id="T"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:task>
    <bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""

NO_LANES = LANES_ONLY.replace(b"<bpmn:laneSet", b"<!--").replace(b"</bpmn:laneSet>", b"-->")


def _root(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _bounds(root: etree._Element) -> dict[str, tuple[float, float, float, float]]:
    found = {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        b = shape.find(f"{{{DC}}}Bounds")
        assert b is not None
        found[shape.get("bpmnElement") or ""] = (
            float(b.get("x") or 0),
            float(b.get("y") or 0),
            float(b.get("width") or 0),
            float(b.get("height") or 0),
        )
    return found


def _ids(root: etree._Element, *tags: str) -> set[str]:
    return {el.get("id") or "" for tag in tags for el in root.iter(f"{{{BPMN}}}{tag}")}


def test_every_element_of_order_drafting_gets_a_shape_or_an_edge() -> None:
    root = _root(add_layout(ORDER_XML))
    shapes = _bounds(root)
    nodes = _ids(
        root, "startEvent", "endEvent", "userTask", "serviceTask", "exclusiveGateway", "boundaryEvent"
    )
    assert nodes | _ids(root, "lane", "participant") <= set(shapes)
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    assert edges == _ids(root, "sequenceFlow")
    plane = next(root.iter(f"{{{BPMNDI}}}BPMNPlane"))
    assert plane.get("bpmnElement") == "Collaboration_order_drafting"


def test_nodes_sit_inside_their_lane_and_the_lanes_inside_the_pool() -> None:
    root = _root(add_layout(ORDER_XML))
    shapes = _bounds(root)
    px, py, pw, ph = shapes["Participant_school"]
    for lane in root.iter(f"{{{BPMN}}}lane"):
        lx, ly, lw, lh = shapes[lane.get("id") or ""]
        assert px <= lx and py <= ly and lx + lw <= px + pw and ly + lh <= py + ph
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            node = (ref.text or "").strip()
            if node.startswith("Timer_"):
                continue  # boundary events sit on their host's edge
            x, y, w, h = shapes[node]
            assert lx < x and x + w < lx + lw and ly < y and y + h < ly + lh, (node, lane.get("id"))
    lanes = sorted(shapes[lane.get("id") or ""][1] for lane in root.iter(f"{{{BPMN}}}lane"))
    assert len(set(lanes)) == 4  # four bands, one above the other


def test_edges_are_orthogonal_and_boundary_events_sit_on_their_host() -> None:
    root = _root(add_layout(ORDER_XML))
    for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge"):
        points = [(float(p.get("x") or 0), float(p.get("y") or 0)) for p in edge.iter(f"{{{DI}}}waypoint")]
        assert len(points) >= 2
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2, edge.get("bpmnElement")
    shapes = _bounds(root)
    hx, hy, hw, hh = shapes["Task_legal_review"]
    bx, by, bw, bh = shapes["Timer_review_reminder"]
    assert hx <= bx and bx + bw <= hx + hw and by < hy + hh < by + bh


def test_layout_is_deterministic_and_leaves_complete_diagrams_alone() -> None:
    first = add_layout(ORDER_XML)
    assert add_layout(ORDER_XML) == first
    assert add_layout(first) == first


def test_a_partly_drawn_diagram_is_completed() -> None:
    drawn = add_layout(ORDER_XML)
    root = _root(drawn)
    shape = next(s for s in root.iter(f"{{{BPMNDI}}}BPMNShape") if s.get("bpmnElement") == "Task_draft")
    parent = shape.getparent()
    assert parent is not None
    parent.remove(shape)
    partial = etree.tostring(root)
    assert "Task_draft" in _bounds(_root(add_layout(partial)))


def test_a_process_with_only_lanes_gets_a_pool() -> None:
    root = _root(add_layout(LANES_ONLY))
    participant = root.find(f"{{{BPMN}}}collaboration/{{{BPMN}}}participant")
    assert participant is not None and participant.get("processRef") == "lanes_only"
    shapes = _bounds(root)
    assert {"L1", "L2", "S", "T", "E", participant.get("id")} <= set(shapes)
    assert shapes["E"][1] > shapes["L2"][1]  # E is in the second band


def test_a_process_without_lanes_is_drawn_on_its_own_plane() -> None:
    root = _root(add_layout(NO_LANES))
    plane = next(root.iter(f"{{{BPMNDI}}}BPMNPlane"))
    assert plane.get("bpmnElement") == "lanes_only"
    shapes = _bounds(root)
    assert shapes["S"][0] < shapes["T"][0] < shapes["E"][0]  # columns by flow order


def test_the_hardened_parser_guards_the_layout() -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    with pytest.raises(UnsafeXml):
        add_layout(xml)


# A loop back from an upper lane to a lower one, with a node under its source (T -> G past Y), and one
# from a lower lane to an upper one, with a node under its target (A -> H past Z): the short route under
# both rows would cross Y and Z.
LOOPS_ACROSS_LANES = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="loops" isExecutable="true">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="Up" name="staff">
        <bpmn:flowNodeRef>T</bpmn:flowNodeRef><bpmn:flowNodeRef>H</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Down" name="director">
        <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>G</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Y</bpmn:flowNodeRef><bpmn:flowNodeRef>Z</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>A</bpmn:flowNodeRef><bpmn:flowNodeRef>E</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="S" />
    <bpmn:exclusiveGateway id="G" />
    <bpmn:task id="T" />
    <bpmn:task id="Y" />
    <bpmn:exclusiveGateway id="H" />
    <bpmn:task id="Z" />
    <bpmn:task id="A" />
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="F_s_g" sourceRef="S" targetRef="G" />
    <bpmn:sequenceFlow id="F_g_t" sourceRef="G" targetRef="T" />
    <bpmn:sequenceFlow id="F_g_y" sourceRef="G" targetRef="Y" />
    <bpmn:sequenceFlow id="F_t_g" sourceRef="T" targetRef="G" />
    <bpmn:sequenceFlow id="F_y_h" sourceRef="Y" targetRef="H" />
    <bpmn:sequenceFlow id="F_y_z" sourceRef="Y" targetRef="Z" />
    <bpmn:sequenceFlow id="F_h_a" sourceRef="H" targetRef="A" />
    <bpmn:sequenceFlow id="F_a_h" sourceRef="A" targetRef="H" />
    <bpmn:sequenceFlow id="F_z_e" sourceRef="Z" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>
"""

EVERY_DIAGRAM = {
    path.relative_to(ROOT).as_posix(): path.read_bytes()
    for folder in ("bpmn", "tests/fixtures")
    for path in sorted((ROOT / folder).glob("*.bpmn"))
} | {"LANES_ONLY": LANES_ONLY, "NO_LANES": NO_LANES, "LOOPS_ACROSS_LANES": LOOPS_ACROSS_LANES}


def test_every_bpmn_file_is_checked() -> None:
    assert "bpmn/order_drafting.bpmn" in EVERY_DIAGRAM and len(EVERY_DIAGRAM) > 4


@pytest.mark.parametrize("name", sorted(EVERY_DIAGRAM))
def test_no_edge_runs_through_a_shape_other_than_its_ends(name: str) -> None:
    xml = add_layout(EVERY_DIAGRAM[name])
    assert add_layout(EVERY_DIAGRAM[name]) == xml  # deterministic
    root = _root(xml)
    shapes = _bounds(root)
    not_nodes = {"participant", "lane"}
    nodes = {
        el.get("id") or ""
        for el in root.iter(f"{{{BPMN}}}*")
        if el.get("id") in shapes and etree.QName(el).localname not in not_nodes
    }
    flows = {
        f.get("id"): (f.get("sourceRef"), f.get("targetRef")) for f in root.iter(f"{{{BPMN}}}sequenceFlow")
    }
    edges = list(root.iter(f"{{{BPMNDI}}}BPMNEdge"))
    assert nodes and edges
    for edge in edges:
        ends = set(flows[edge.get("bpmnElement")])
        points = [(float(p.get("x") or 0), float(p.get("y") or 0)) for p in edge.iter(f"{{{DI}}}waypoint")]
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2, edge.get("bpmnElement")
            for node in sorted(nodes - ends):
                x, y, w, h = shapes[node]
                inside_x = max(x1, x2) > x and min(x1, x2) < x + w
                inside_y = max(y1, y2) > y and min(y1, y2) < y + h
                assert not (inside_x and inside_y), (edge.get("bpmnElement"), node)
