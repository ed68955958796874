"""The layout draws what a modeler draws besides the flow: text annotations and their associations,
data objects and stores with their data associations, groups, and message flows between pools — and
leaves every shape and edge the file drew itself as it was."""

from __future__ import annotations

from lxml import etree

from service.platform.engine.layout import BPMNDI, DC, DI, add_layout

TWO_POOLS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:collaboration id="C">
    <bpmn:participant id="P_school" name="Mektep" processRef="school" />
    <bpmn:participant id="P_parent" name="Ata-ana" processRef="parent" />
    <bpmn:messageFlow id="M1" sourceRef="T_send" targetRef="T_read" />
    <bpmn:textAnnotation id="A_pool"><bpmn:text>Ata-anaga hat</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="As_pool" sourceRef="P_parent" targetRef="A_pool" />
  </bpmn:collaboration>
  <bpmn:process id="school" isExecutable="true">
    <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T_send" />
    <bpmn:task id="T_send" name="Hat zhiberu">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:dataInputAssociation id="DI_in">
        <bpmn:sourceRef>DO_letter</bpmn:sourceRef></bpmn:dataInputAssociation>
      <bpmn:dataOutputAssociation id="DI_out">
        <bpmn:targetRef>DS_archive</bpmn:targetRef></bpmn:dataOutputAssociation>
    </bpmn:task>
    <bpmn:sequenceFlow id="F2" sourceRef="T_send" targetRef="E" />
    <bpmn:endEvent id="E"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:dataObject id="DataObject_1" />
    <bpmn:dataObjectReference id="DO_letter" name="Hat" dataObjectRef="DataObject_1" />
    <bpmn:dataStoreReference id="DS_archive" name="Muragat" />
    <bpmn:textAnnotation id="A_task"><bpmn:text>Bir aptada</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="As_task" sourceRef="T_send" targetRef="A_task" />
    <bpmn:group id="G_1" />
  </bpmn:process>
  <bpmn:process id="parent" isExecutable="false">
    <bpmn:task id="T_read" name="Oqu" />
  </bpmn:process>
</bpmn:definitions>
"""

SHAPED = (
    "P_school",
    "P_parent",
    "S",
    "T_send",
    "E",
    "T_read",
    "DO_letter",
    "DS_archive",
    "A_task",
    "A_pool",
    "G_1",
)
EDGED = ("F1", "F2", "M1", "As_pool", "As_task", "DI_in", "DI_out")


def _drawn(xml: bytes, tag: str) -> dict[str, etree._Element]:
    root = etree.fromstring(xml)
    return {str(n.get("bpmnElement")): n for n in root.iter(f"{{{BPMNDI}}}{tag}")}


def _box(shape: etree._Element) -> tuple[float, float, float, float]:
    b = shape.find(f"{{{DC}}}Bounds")
    assert b is not None
    return tuple(float(b.get(k) or 0) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def test_annotations_data_groups_and_message_flows_are_drawn() -> None:
    laid = add_layout(TWO_POOLS)
    shapes, edges = _drawn(laid, "BPMNShape"), _drawn(laid, "BPMNEdge")
    assert set(SHAPED) <= set(shapes), set(SHAPED) - set(shapes)
    assert set(EDGED) <= set(edges), set(EDGED) - set(edges)
    for edge in edges.values():
        assert len(edge.findall(f"{{{DI}}}waypoint")) >= 2
    # the artifacts of the school's pool sit inside it, beside one another, none on another
    pool = _box(shapes["P_school"])
    artifacts = [_box(shapes[a]) for a in ("DO_letter", "DS_archive", "A_task", "G_1")]
    for x, y, w, h in artifacts:
        assert pool[0] <= x and x + w <= pool[0] + pool[2] and pool[1] <= y and y + h <= pool[1] + pool[3]
    for (x1, _, w1, _), (x2, _, _, _) in zip(sorted(artifacts), sorted(artifacts)[1:], strict=False):
        assert x1 + w1 <= x2


def test_a_drawing_of_its_own_stays_and_only_the_missing_artifact_is_added() -> None:
    laid = add_layout(TWO_POOLS)
    root = etree.fromstring(laid)
    # remove the annotation's shape and its association's edge, as if the author never drew them
    for node in list(root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")):
        if node.get("bpmnElement") in ("A_task", "As_task"):
            node.getparent().remove(node)
    moved = etree.tostring(root)
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):  # the author moved every shape a little
        bounds = shape.find(f"{{{DC}}}Bounds")
        bounds.set("x", str(float(bounds.get("x")) + 7))
    moved = etree.tostring(root)
    again = add_layout(moved)
    before, after = _drawn(moved, "BPMNShape"), _drawn(again, "BPMNShape")
    for element, shape in before.items():
        assert etree.tostring(after[element]) == etree.tostring(shape), element
    assert "A_task" in after and "As_task" in _drawn(again, "BPMNEdge")
