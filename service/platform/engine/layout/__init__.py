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

from service.platform.engine.layout.diagram import add_layout
from service.platform.engine.layout.shapes import BPMN, BPMNDI, DC, DI

__all__ = ["BPMN", "BPMNDI", "DC", "DI", "add_layout"]
