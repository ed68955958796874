"""A diagram's own layout is kept element for element: from the stored version, from the editor, and when
only some elements lack a drawing (those alone are laid out)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from
from tests.integration.modeler_helpers import XML, deploy, signed_in_admin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"


def drawing(xml: bytes) -> dict[str, bytes]:
    """Every shape and edge, canonicalised, by the element it draws."""
    root = etree.fromstring(xml)
    return {
        f"{node.tag}|{node.get('bpmnElement')}": etree.tostring(node, method="c14n")
        for tag in ("BPMNShape", "BPMNEdge")
        for node in root.iter(f"{DI}{tag}")
    }


@pytest.mark.parametrize(
    ("name", "process_id"),
    [("bpmnio_kazakh_lanes.bpmn", "Process_lesson_plan"), ("camunda_leave_request.bpmn", "leave_request")],
)
def test_the_stored_version_and_the_editor_give_back_every_shape_unchanged(
    api: Api, app: Flask, seeded: Runtime, name: str, process_id: str
) -> None:
    original = (FIXTURES / name).read_bytes()
    assert deploy(api, original).status_code == 201
    admin = signed_in_admin(app)
    served = admin.get(f"/admin/editor/{process_id}/v1.bpmn")
    assert served.status_code == 200
    assert served.data == original  # byte for byte
    assert drawing(served.data) == drawing(original)


def test_only_the_elements_without_a_drawing_are_laid_out(app: Flask, seeded: Runtime) -> None:
    original = (FIXTURES / "bpmnio_kazakh_lanes.bpmn").read_bytes()
    # a modeler that forgot one task and its two flows (as some exporters do)
    partial = re.sub(
        rb'<bpmndi:(BPMNShape|BPMNEdge) id="(Activity_1legal_di|Flow_0a3_di|Flow_0a4_di)".*?</bpmndi:\1>',
        b"",
        original,
        flags=re.S,
    )
    assert b"Activity_1legal_di" not in partial
    admin = signed_in_admin(app)
    token = csrf_from(admin.get("/admin/editor/new?process_id=x").get_data(as_text=True))
    laid = admin.post("/admin/editor/layout", data=partial, headers={"X-CSRFToken": token, **XML})
    assert laid.status_code == 200
    before, after = drawing(partial), drawing(laid.data)
    for key, node in before.items():
        assert after.get(key) == node, key  # the annotation and its association included
    added = set(after) - set(before)
    assert {k.split("|")[1] for k in added} == {"Activity_1legal", "Flow_0a3", "Flow_0a4"}
