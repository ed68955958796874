"""Hardened XML parsing of uploaded diagrams: no DTDs, no entities, no network, no local files."""

from __future__ import annotations

import re

from lxml import etree

from service.platform.engine import phrases
from service.platform.errors import DeployProblem, InvalidBpmn

MAX_BPMN_BYTES = 2 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXml(Exception):
    def __init__(self, problem: DeployProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _parser() -> etree.XMLParser:
    # resolve_entities=False keeps &xxe; as an unexpanded node; load_dtd/no_network stop any fetch.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_untrusted(xml: bytes) -> etree._ElementTree:
    """Parse bytes into a tree, refusing anything that could read files or expand entities."""
    if len(xml) > MAX_BPMN_BYTES:
        raise UnsafeXml(
            DeployProblem(f"the file is larger than {MAX_BPMN_BYTES // 1024} KiB", code="too_large")
        )
    # Refuse declarations before any parser sees them: a diagram never needs a DTD or entities.
    declaration = _DECLARATION.search(xml)
    if declaration is not None:
        line = xml.count(b"\n", 0, declaration.start()) + 1
        raise UnsafeXml(
            DeployProblem("a DOCTYPE (DTD or entity declarations) is not allowed", line=line, code="doctype")
        )
    try:
        root = etree.fromstring(xml, parser=_parser())
    except etree.XMLSyntaxError as err:
        code, found = phrases.xml_reading(err.msg or "")
        params = {"reason": err.msg or "", "line": str(err.lineno or ""), **found}
        raise UnsafeXml(
            DeployProblem(f"not well-formed XML: {err.msg}", line=err.lineno, code=code, params=params)
        ) from None
    tree = root.getroottree()
    docinfo = tree.docinfo
    if getattr(docinfo, "doctype", None) or getattr(docinfo, "internalDTD", None) is not None:
        raise UnsafeXml(
            DeployProblem("a DOCTYPE (DTD or entity declarations) is not allowed", line=1, code="doctype")
        )
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeXml(
                DeployProblem(
                    f"entity reference &{node.name}; is not allowed", line=node.sourceline, code="entity"
                )
            )
    return tree


_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def as_utf8(xml: bytes) -> bytes:
    """The same document in UTF-8, as it is stored; a UTF-8 file comes back byte for byte.

    A diagram declared ISO-8859-1 or UTF-16 passes every check (lxml reads any encoding it knows)
    and was then refused when stored as text; it is re-encoded once here, before the checks.
    """
    declared = _ENCODING.match(xml)
    try:
        xml.decode("utf-8")
        if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
            return xml
    except UnicodeDecodeError:
        pass
    try:
        tree = parse_untrusted(xml)
    except UnsafeXml as err:
        raise InvalidBpmn([err.problem]) from None
    return bytes(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))


def line_of(tree: etree._ElementTree, element_id: str | None) -> int | None:
    """The source line of the element with this id, for error messages."""
    if not element_id:
        return None
    found = tree.xpath("//*[@id=$eid]", eid=element_id)
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        line = found[0].sourceline
        return int(line) if isinstance(line, int) else None
    return None


def process_references(xml: bytes) -> tuple[frozenset[str], frozenset[str]]:
    """(process ids the file defines, process ids its call activities call); empty when unreadable.

    Only the deploy order needs this, so a file that does not parse reports nothing here and is
    refused with its real problems by the full check when it is deployed.
    """
    try:
        tree = parse_untrusted(xml)
    except Exception:
        return frozenset(), frozenset()
    defined = frozenset(str(p.get("id")) for p in tree.iter("{*}process") if p.get("id"))
    called = frozenset(
        str(c.get("calledElement")) for c in tree.iter("{*}callActivity") if c.get("calledElement")
    )
    return defined, called - defined


_NOT_STEPS = {"sequenceFlow", "laneSet", "lane", "flowNodeRef", "documentation", "extensionElements"}


def step_ids(xml: bytes) -> frozenset[str]:
    """The ids of a file's steps (events, tasks, gateways…) inside its processes; empty when unreadable."""
    try:
        tree = parse_untrusted(xml)
    except Exception:
        return frozenset()
    return frozenset(
        str(node.get("id"))
        for process in tree.iter("{*}process")
        for node in process.iter("{*}*")
        if node is not process and node.get("id") and etree.QName(node).localname not in _NOT_STEPS
    )


_FORM_PROPERTY = "formJsonSchemaFilename"


def form_uses(xml: bytes) -> list[tuple[str, str, str]]:
    """(element id, element name, form key) of each step of a file naming a form; empty when unreadable."""
    try:
        tree = parse_untrusted(xml)
    except Exception:
        return []
    uses = []
    for node in tree.iter("{*}userTask", "{*}manualTask", "{*}task", "{*}startEvent"):
        key = next(
            (
                str(prop.get("value") or "")
                for prop in node.iter("{*}property")
                if prop.get("name") == _FORM_PROPERTY
            ),
            "",
        )
        camunda = next((v for k, v in node.attrib.items() if etree.QName(k).localname == "formKey"), "")
        # "review.json", Camunda's "review" or "embedded:app:forms/review.html": the last segment's stem.
        key = re.split(r"[/:]", key or str(camunda))[-1].rsplit(".", 1)[0]
        if key:
            uses.append((str(node.get("id") or ""), str(node.get("name") or ""), key))
    return uses
