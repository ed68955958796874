"""Versions are keyed by process id: Signavio's `sid-…` ids call each other, a look-alike file under an
existing id asks first (409 process_exists unless replace=true), a deploy never depends on unrelated
processes, any XML encoding is stored as UTF-8, and `flask deploy DIR` goes on after a bad file; shipped
files never override an admin's newer version."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from service.platform.persistence.models import ProcessDefinition
from service.platform.runtime import Runtime
from tests.conftest import Api, csrf_from
from tests.integration.modeler_helpers import XML, complete_as, signed_in_admin

ROOT = Path(__file__).resolve().parents[2]
HEAD = (
    '<?xml version="1.0" encoding="{enc}"?>\n<bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">'
)


def one_task(pid: str, name: str, task: str = "Task_1", enc: str = "UTF-8", extra: str = "") -> str:
    return f"""{HEAD.format(enc=enc)}
  <bpmn:process id="{pid}" name="{name}" isExecutable="true">
    <bpmn:laneSet id="LS_{task}"><bpmn:lane id="L_{task}" name="staff">
      <bpmn:flowNodeRef>S_{task}</bpmn:flowNodeRef><bpmn:flowNodeRef>{task}</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E_{task}</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S_{task}" />
    <bpmn:task id="{task}" name="{name}" />
    <bpmn:endEvent id="E_{task}" />
    <bpmn:sequenceFlow id="F1_{task}" sourceRef="S_{task}" targetRef="{task}" />
    <bpmn:sequenceFlow id="F2_{task}" sourceRef="{task}" targetRef="E_{task}" />
  </bpmn:process>{extra}
</bpmn:definitions>"""


def caller(pid: str, called_element: str, inner: str = "") -> str:
    return f"""{HEAD.format(enc="UTF-8")}
  <bpmn:process id="{pid}" name="Caller" isExecutable="true">
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="staff">
      <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>Call</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S" />
    <bpmn:callActivity id="Call" calledElement="{called_element}" />{inner}
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Call" />
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>"""


def post(api: Api, xml: str | bytes, query: str = "") -> tuple[int, dict[str, object]]:
    body = xml.encode() if isinstance(xml, str) else xml
    response = api.post(f"/processes{query}", "admin", data=body, headers=XML)
    return response.status_code, response.get_json()


def test_signavio_ids_with_hyphens_call_each_other(api: Api) -> None:
    callee = "sid-8B5C1E2F-4A1D-4F0B-9C3E-2D6A7B8C9D0E"
    assert post(api, one_task(callee, "Тексеру"))[0] == 201
    status, body = post(api, caller("sid-11AA22BB-caller", callee))
    assert status == 201, body
    instance_id = api.post("/processes/sid-11AA22BB-caller/instances", "staff1").get_json()["id"]
    complete_as(api, "staff1", instance_id, "Task_1", {"done": True})
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


def test_a_new_diagram_under_an_existing_id_asks_first(api: Api, seeded: Runtime) -> None:
    assert post(api, one_task("Process_1", "Демалыс өтініші", "Activity_0abc"))[0] == 201
    # every bpmn.io diagram starts as Process_1: another diagram must not silently become version 2
    status, body = post(api, one_task("Process_1", "Process_1", "Activity_1xyz"))
    assert status == 409 and body["error"] == "process_exists", body
    assert body["existing_name"] == "Демалыс өтініші" and body["version"] == 1
    assert "Демалыс өтініші" in str(body["message"])
    # the same process, renamed: asked too; the same name and steps: no question
    assert post(api, one_task("Process_1", "Демалыс", "Activity_0abc"))[0] == 409
    edited = one_task("Process_1", "Демалыс өтініші", "Activity_0abc").replace(
        "<bpmn:task ", "<bpmn:manualTask "
    )
    assert post(api, edited)[0] == 201
    status, body = post(api, one_task("Process_1", "Process_1", "Activity_1xyz"), "?replace=true")
    assert status == 201 and body["version"] == 3, body


def test_a_deploy_never_depends_on_unrelated_processes(api: Api) -> None:
    sub = """
    <bpmn:subProcess id="review"><bpmn:startEvent id="IS" /><bpmn:endEvent id="IE" />
      <bpmn:sequenceFlow id="IF" sourceRef="IS" targetRef="IE" /></bpmn:subProcess>"""
    # a process whose embedded sub-process has the id of a process that is not deployed yet
    inline = one_task("main_flow", "Main").replace(
        '<bpmn:endEvent id="E_Task_1" />', '<bpmn:endEvent id="E_Task_1" />' + sub
    )
    inline = inline.replace('targetRef="E_Task_1"', 'targetRef="review"').replace(
        "</bpmn:process>",
        '<bpmn:sequenceFlow id="F3" sourceRef="review" targetRef="E_Task_1" /></bpmn:process>',
    )
    assert post(api, inline)[0] == 201
    # the unrelated process "review" is deployed: the same file still deploys, as a change of nothing
    assert post(api, one_task("review", "Review"))[0] == 201
    edited = inline.replace(
        'name="Main" />', 'name="Main" ><bpmn:documentation>v2</bpmn:documentation></bpmn:task>'
    )
    status, body = post(api, edited)
    assert status == 201, body


def test_any_encoding_is_stored_as_utf8(api: Api, seeded: Runtime) -> None:
    latin = one_task("latin_process", "Épreuve à côté", enc="ISO-8859-1").encode("latin-1")
    status, body = post(api, latin)
    assert status == 201, body
    utf16 = one_task("utf16_process", "Мұғалім тексереді", enc="UTF-16").encode("utf-16")
    status, body = post(api, utf16)
    assert status == 201, body
    with seeded.db.session() as session:
        stored = dict(
            session.execute(
                select(ProcessDefinition.process_id, ProcessDefinition.bpmn_xml).where(
                    ProcessDefinition.process_id.in_(["latin_process", "utf16_process"])
                )
            ).all()
        )
    assert "Épreuve à côté" in stored["latin_process"] and "UTF-8" in stored["latin_process"][:60]
    assert "Мұғалім тексереді" in stored["utf16_process"]
    # deploying the same file again is no change
    assert post(api, utf16)[0] == 200
    assert api.post("/processes/utf16_process/instances", "staff1").status_code == 201


def test_flask_deploy_goes_on_after_a_bad_file(app: Flask, seeded: Runtime, tmp_path: Path) -> None:
    folder = tmp_path / "bpmn"
    folder.mkdir()
    (folder / "a_broken.bpmn").write_bytes(b"<bpmn:definitions")
    (folder / "b_latin.bpmn").write_bytes(one_task("b_latin", "Café", enc="ISO-8859-1").encode("latin-1"))
    (folder / "c_unknown_lane.bpmn").write_text(
        one_task("c_bad", "C").replace('name="staff"', 'name="janitor"')
    )
    (folder / "d_good.bpmn").write_text(one_task("d_good", "D"))
    result = app.test_cli_runner().invoke(args=["deploy", str(folder)])
    assert result.exit_code == 1
    assert "a_broken.bpmn" in result.output and "c_unknown_lane.bpmn" in result.output
    assert "b_latin v1 deployed" in result.output and "d_good v1 deployed" in result.output


def _active_version(rt: Runtime, process_id: str) -> int:
    with rt.db.session() as session:
        return int(
            session.execute(
                select(ProcessDefinition.version).where(
                    ProcessDefinition.process_id == process_id, ProcessDefinition.is_active.is_(True)
                )
            ).scalar_one()
        )


def test_shipped_files_never_override_an_admins_newer_version(
    api: Api, app: Flask, seeded: Runtime, tmp_path: Path
) -> None:
    shipped = (ROOT / "bpmn" / "order_drafting.bpmn").read_bytes()
    edited = shipped.replace(b'value="P5D"', b'value="P6D"')
    assert post(api, edited)[0] == 201
    assert _active_version(seeded, "order_drafting") == 2
    runner = app.test_cli_runner()
    again = runner.invoke(args=["deploy"])  # what `make run` does on every start
    assert again.exit_code == 0, again.output
    assert "order_drafting v2 unchanged" in again.output
    assert _active_version(seeded, "order_drafting") == 2
    # a shipped file whose content is new (the developers changed it) still deploys
    folder = tmp_path / "bpmn"
    shutil.copytree(ROOT / "bpmn", folder)
    (folder / "order_drafting.bpmn").write_bytes(shipped.replace(b'value="P5D"', b'value="P4D"'))
    newer = runner.invoke(args=["deploy", str(folder)])
    assert newer.exit_code == 0, newer.output
    assert _active_version(seeded, "order_drafting") == 3


def test_the_editor_asks_the_question_in_the_admins_language(api: Api, app: Flask) -> None:
    assert post(api, one_task("Process_1", "Демалыс өтініші", "Activity_0abc"))[0] == 201
    admin = signed_in_admin(app)
    token = csrf_from(admin.get("/admin/editor/new?process_id=x").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Accept": "application/json", **XML}
    other = one_task("Process_1", "Process_1", "Activity_1xyz").encode()
    asked = admin.post("/admin/editor/deploy", data=other, headers=headers)
    assert asked.status_code == 409
    body = asked.get_json()
    assert body["error"] == "process_exists" and "бұрыннан бар" in body["message"]  # Kazakh by default
    confirmed = admin.post("/admin/editor/deploy?replace=true", data=other, headers=headers)
    assert confirmed.status_code == 201 and confirmed.get_json()["version"] == 2
