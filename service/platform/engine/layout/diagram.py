"""Builds the whole BPMNDiagram of a file, keeping whatever the file drew itself."""

from __future__ import annotations

from lxml import etree

from service.platform.engine.di_keep import own_drawing, put_back
from service.platform.engine.layout.artifacts import draw_connections, place_artifacts
from service.platform.engine.layout.container import layout_container
from service.platform.engine.layout.shapes import (
    ARTIFACT_SIZES,
    BPMN,
    BPMNDI,
    DC,
    DI,
    DIAGRAM_X,
    DIAGRAM_Y,
    Box,
    Plane,
    bpmn_children,
    local,
    q,
)
from service.platform.engine.xmlsafe import parse_untrusted


def is_complete(root: etree._Element) -> bool:
    """True when every flow node, lane and participant already has a shape and every flow an edge."""
    drawn = {s.get("bpmnElement") for s in root.iter(q(BPMNDI, "BPMNShape"))}
    drawn |= {e.get("bpmnElement") for e in root.iter(q(BPMNDI, "BPMNEdge"))}
    if not drawn:
        return False
    for process in root.findall(q(BPMN, "process")):
        for el in process.iter():
            if not isinstance(el.tag, str) or etree.QName(el).namespace != BPMN or not el.get("id"):
                continue
            name = local(el)
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


def write_diagram(root: etree._Element, diagram_id: str, plane: Plane) -> None:
    diagram = etree.SubElement(root, q(BPMNDI, "BPMNDiagram"), id=diagram_id)
    plane_el = etree.SubElement(
        diagram, q(BPMNDI, "BPMNPlane"), id=f"{diagram_id}_plane", bpmnElement=plane.element
    )
    for element, box, attrs in plane.shapes:
        shape = etree.SubElement(plane_el, q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element)
        for key, value in attrs.items():
            shape.set(key, value)
        etree.SubElement(
            shape, q(DC, "Bounds"), x=str(box.x), y=str(box.y), width=str(box.w), height=str(box.h)
        )
    for element, points in plane.edges:
        edge = etree.SubElement(plane_el, q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
        for px, py in points:
            etree.SubElement(edge, q(DI, "waypoint"), x=str(px), y=str(py))


def subprocess_planes(container: etree._Element, root: etree._Element) -> None:
    """Collapsed sub-processes get their own plane, as bpmn-js draws them on drill-down."""
    for sub in container:
        if isinstance(sub.tag, str) and local(sub) in ("subProcess", "transaction", "adHocSubProcess"):
            plane = Plane(f"{sub.get('id')}")
            layout_container(sub, plane, DIAGRAM_X, DIAGRAM_Y, None)
            draw_connections(sub, plane)
            write_diagram(root, f"Diagram_{sub.get('id')}", plane)
            subprocess_planes(sub, root)


def add_layout(xml: bytes) -> bytes:
    """The same file with diagram interchange for every element, computed when any is missing."""
    tree = parse_untrusted(xml)
    root = tree.getroot()
    if is_complete(root):
        return xml
    own = own_drawing(root)  # whatever the file drew itself stays as drawn
    for old in root.findall(q(BPMNDI, "BPMNDiagram")):
        root.remove(old)
    processes = root.findall(q(BPMN, "process"))
    collaboration = root.find(q(BPMN, "collaboration"))
    if collaboration is None and any(p.findall(q(BPMN, "laneSet")) for p in processes[:1]):
        # bpmn-js edits lanes only inside a pool: wrap the lane-bearing process in one participant.
        first = processes[0]
        collaboration = etree.Element(q(BPMN, "collaboration"), id=f"Collaboration_{first.get('id')}")
        etree.SubElement(
            collaboration,
            q(BPMN, "participant"),
            id=f"Participant_{first.get('id')}",
            name=first.get("name") or first.get("id") or "",
            processRef=first.get("id") or "",
        )
        first.addprevious(collaboration)
    by_process = {p.get("id"): p for p in processes}
    if collaboration is not None:
        plane = Plane(collaboration.get("id") or "Collaboration")
        y = DIAGRAM_Y
        for participant in collaboration.findall(q(BPMN, "participant")):
            process = by_process.get(participant.get("processRef"))
            if process is None:
                plane.shapes.append(
                    (participant.get("id") or "", Box(DIAGRAM_X, y, 600, 100), {"isHorizontal": "true"})
                )
                y += 140
                continue
            _, height = layout_container(process, plane, DIAGRAM_X, y, participant.get("id") or "")
            y += height + 40
        loose = [el for el in bpmn_children(collaboration) if local(el) in ARTIFACT_SIZES and el.get("id")]
        plane.shapes.extend(place_artifacts(loose, collaboration, plane.box_of, DIAGRAM_X, y))
        draw_connections(root, plane)
        write_diagram(root, "BPMNDiagram_1", plane)
        drawn = {p.get("processRef") for p in collaboration.findall(q(BPMN, "participant"))}
        for process in processes:
            if process.get("id") in drawn:
                subprocess_planes(process, root)
    else:
        drawn = set()
    for index, process in enumerate(p for p in processes if p.get("id") not in drawn):
        plane = Plane(process.get("id") or "")
        layout_container(process, plane, DIAGRAM_X, DIAGRAM_Y, None)
        draw_connections(process, plane)
        write_diagram(root, f"BPMNDiagram_{process.get('id') or index}", plane)
        subprocess_planes(process, root)
    put_back(root, own)
    for prefix, ns in (("bpmndi", BPMNDI), ("dc", DC), ("di", DI)):
        if prefix not in (root.nsmap or {}):
            etree.cleanup_namespaces(root, top_nsmap={prefix: ns})
    out: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return out
