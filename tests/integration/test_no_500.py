"""No 500 from check, deploy or start for any diagram of the modeler set: each fixture, and each with the
mistakes admins make (unquoted values, words in lanes, Camunda constructs, other encodings, broken XML)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from
from tests.integration.modeler_helpers import XML, signed_in_admin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BPMNIO = (FIXTURES / "modelers" / "bpmnio_kazakh_lanes.bpmn").read_bytes()
CAMUNDA = (FIXTURES / "modelers" / "camunda_leave_request.bpmn").read_bytes()

VARIANTS: dict[str, bytes] = {
    **{f"fixture:{p.name}": p.read_bytes() for p in sorted(FIXTURES.rglob("*.bpmn"))},
    "not executable": BPMNIO.replace(b'isExecutable="true"', b'isExecutable="false"'),
    "utf-16": BPMNIO.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
    "latin-1 declared, utf-8 bytes": BPMNIO.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
    "broken xml": BPMNIO[: len(BPMNIO) // 2],
    "empty": b"",
    "not bpmn": b"<html><body>hello</body></html>",
    "no process": re.sub(rb"<bpmn:process .*</bpmn:process>", b"", BPMNIO, flags=re.S),
    "juel everywhere": CAMUNDA.replace(
        b"${decision == 'approve' &amp;&amp; days &lt;= 30}", b"${a.b(c) ? d : e}"
    ),
    "assignee expression": CAMUNDA.replace(b"${initiator}", b"${users[0].name}"),
    "timer cycle forever": CAMUNDA.replace(b">P2D<", b">R/P1D<"),
    "timer date naive": CAMUNDA.replace(b">P2D<", b">2026-09-01T09:00<"),
    "timer garbage": CAMUNDA.replace(b">P2D<", b">every other day<"),
    "empty condition": CAMUNDA.replace(b"${decision != 'approve' || days &gt; 30}", b"${}"),
    "hyphen ids": BPMNIO.replace(b"Process_lesson_plan", b"sid-0A1B-lesson"),
    "empty lane": BPMNIO.replace("заңгер".encode(), b""),
    "lane of commas": BPMNIO.replace("заңгер".encode(), b", ,"),
    "start in no lane": BPMNIO.replace(b"<bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef>", b""),
    "task without id": BPMNIO.replace(b'<bpmn:task id="Activity_0prepare"', b"<bpmn:task"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_no_500_from_check_deploy_or_start(app: Flask, api: Api, seeded: Runtime, name: str) -> None:
    xml = VARIANTS[name]
    admin = signed_in_admin(app)
    token = csrf_from(admin.get("/admin/editor/new?process_id=x").get_data(as_text=True))
    checked = admin.post("/admin/editor/check", data=xml, headers={"X-CSRFToken": token, **XML})
    assert checked.status_code == 200, (name, checked.status_code)
    laid = admin.post("/admin/editor/layout", data=xml, headers={"X-CSRFToken": token, **XML})
    assert laid.status_code < 500, (name, laid.status_code)
    deployed = api.post("/processes?replace=true", "admin", data=xml, headers=XML)
    assert deployed.status_code in (200, 201, 422), (name, deployed.status_code, deployed.get_json())
    if deployed.status_code in (200, 201):
        started = api.post(f"/processes/{deployed.get_json()['id']}/instances", "admin")
        assert started.status_code < 500, (name, started.status_code, started.get_json())
