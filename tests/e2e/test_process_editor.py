"""The admin's process editor in a real browser: the admin opens order_drafting in the bpmn-js modeler,
adds a user task "Deputy director review" in a new `deputy_director` lane between the legal review and the
director, checks (the missing form is shown on the diagram), picks the form, checks clean and deploys
through the page's own buttons. An instance started before keeps the old path; a new one passes through
the new task; the instance page's diagram marks done and current steps. Finally the admin rolls back.

The diagram is edited through the bpmn-js API in page.evaluate (dragging is brittle); the properties panel,
Check and Deploy are the page's own controls. Screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from tests.e2e.conftest import PROJECT_ROOT, sign_in
from tests.e2e.test_acknowledgement import api_token
from tests.e2e.test_browser import NewContext, Shot

pytestmark = pytest.mark.browser

BUNDLE = PROJECT_ROOT / "service" / "platform" / "web" / "static" / "editor" / "modeler.js"
DRAFT = {"title": "ЖИ туралы бұйрық", "order_type": "ai_ethics", "body": "Ереже", "basis": "Жоспар"}


@pytest.fixture(scope="module", autouse=True)
def editor_bundle() -> None:
    """`make test` builds the bundle first; a bare pytest run builds it here the same way."""
    if BUNDLE.exists():
        return
    for command in (["npm", "ci", "--no-audit", "--no-fund"], ["npm", "run", "--silent", "build"]):
        done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr


class Api:
    """The JSON API with one person's Bearer token, through the page's request context."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.headers = {"Authorization": f"Bearer {api_token(page)}"}

    def call(self, method: str, path: str, data: Any = None) -> Any:
        answer = self.page.request.fetch(
            f"/api/v1{path}", method=method, headers=self.headers, data=data if data is not None else None
        )
        assert answer.status in (200, 201), f"{method} {path}: {answer.status} {answer.text()}"
        return answer.json()

    def task(self, instance_id: int, bpmn_id: str, scope: str) -> dict[str, Any]:
        rows = self.call("GET", f"/tasks?scope={scope}&instance_id={instance_id}")["tasks"]
        found = [t for t in rows if t["bpmn_id"] == bpmn_id]
        assert found, f"no {bpmn_id} in {scope} of #{instance_id}: {[t['bpmn_id'] for t in rows]}"
        return dict(found[0])

    def claim_and_complete(self, instance_id: int, bpmn_id: str, data: dict[str, Any]) -> None:
        task = self.task(instance_id, bpmn_id, "roles")
        self.call("POST", f"/tasks/{task['id']}/claim")
        self.call("POST", f"/tasks/{task['id']}/complete", {"data": data})


def _open_steps(api: Api, instance_id: int) -> list[str]:
    return sorted(t["bpmn_id"] for t in api.call("GET", f"/instances/{instance_id}")["tasks"])


def _start_and_draft(drafter: Api) -> int:
    iid = int(drafter.call("POST", "/processes/order_drafting/instances", {"data": {}})["id"])
    draft = drafter.task(iid, "Task_draft", "mine")
    drafter.call("POST", f"/tasks/{draft['id']}/complete", {"data": DRAFT})
    return iid


ADD_LANE_AND_TASK = """
() => {
  const m = window.bpmnModeler;
  const reg = m.get('elementRegistry'), modeling = m.get('modeling'), factory = m.get('elementFactory');
  const lane = modeling.addLane(reg.get('Lane_director'), 'bottom');
  const legal = reg.get('Task_legal_review'), director = reg.get('Task_director_approval');
  const task = modeling.createShape(
    factory.createShape({type: 'bpmn:UserTask'}),
    {x: director.x + director.width / 2, y: lane.y + lane.height / 2},
    reg.get('Participant_school'));
  modeling.updateLabel(task, 'Deputy director review');
  modeling.reconnectEnd(reg.get('Flow_legal_approve'), task, {x: task.x, y: task.y + task.height / 2});
  modeling.connect(task, director);
  return {lane: lane.id, task: task.id, legal: legal.id};
}
"""


def _select(page: Any, element_id: str) -> None:
    page.evaluate(
        "id => window.bpmnModeler.get('selection').select(window.bpmnModeler.get('elementRegistry').get(id))",
        element_id,
    )


def test_admin_adds_a_deputy_director_review_and_only_new_instances_take_it(
    new_context: NewContext, shot: Shot
) -> None:
    drafter = Api(sign_in(new_context(), "wg_deputy"))
    lawyer = Api(sign_in(new_context(), "lawyer"))
    deputy = Api(sign_in(new_context(), "deputy_director"))
    director = Api(sign_in(new_context(), "director"))
    old_instance = _start_and_draft(drafter)  # started on version 1, waiting for the legal review

    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/processes")
    admin.locator("[data-testid='edit-order_drafting-1']").click()
    admin.wait_for_url(re.compile(r"/admin/editor/order_drafting"))
    editor = admin.locator("[data-testid=editor][data-ready='1']")
    editor.wait_for()
    assert admin.locator(".djs-element[data-element-id=Task_legal_review]").count() == 1
    assert admin.locator(".djs-element[data-element-id=Lane_lawyer]").count() == 1
    shot(admin, "editor-01-opened")

    ids = admin.evaluate(ADD_LANE_AND_TASK)
    shot(admin, "editor-02-task-added")

    # Check before the new lane names a role: nobody could do the new task, which is highlighted on the
    # diagram with the reason (a task without a form is fine: it gets the built-in "done" form).
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=problems]").wait_for()
    marked = admin.locator(f".djs-element.has-problem[data-element-id={ids['task']}]")
    assert marked.count() == 1, admin.locator("[data-testid=problems]").inner_text()
    assert admin.locator(f"[data-testid=problems] li[data-element={ids['task']}]").count() == 1
    shot(admin, "editor-03-problem-on-diagram")

    _select(admin, ids["lane"])
    admin.locator("[data-testid=lane-roles] input[value=deputy_director]").check()
    _select(admin, ids["task"])
    admin.locator("#properties select[name=form]").select_option("order_director_approval")
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=clean]").wait_for()
    admin.locator("#deploy-note").fill("Deputy director review before the director")
    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed='2']").wait_for()
    shot(admin, "editor-04-deployed")

    # The instance started before keeps version 1: after the legal review it goes straight to the director.
    lawyer.claim_and_complete(old_instance, "Task_legal_review", {"decision": "approve"})
    assert _open_steps(drafter, old_instance) == ["Task_director_approval"]
    assert drafter.call("GET", f"/instances/{old_instance}")["version"] == 1

    # A new instance runs on version 2 and passes through the deputy director's review.
    new_instance = _start_and_draft(drafter)
    assert drafter.call("GET", f"/instances/{new_instance}")["version"] == 2
    lawyer.claim_and_complete(new_instance, "Task_legal_review", {"decision": "approve"})
    assert _open_steps(drafter, new_instance) == [ids["task"]]

    # The instance page's diagram marks the current step with its holder and the done ones.
    page = drafter.page
    page.goto(f"/instances/{new_instance}")
    page.locator("[data-testid=instance-diagram][data-ready='1']").wait_for()
    assert page.locator(f".djs-element.step-current[data-element-id={ids['task']}]").count() == 1
    assert page.locator(".djs-element.step-done[data-element-id=Task_legal_review]").count() == 1
    page.locator(".djs-element[data-element-id=Task_legal_review]").click()
    assert page.locator("[data-testid=step-history] li").count() >= 1
    shot(page, "editor-05-instance-diagram")

    deputy.claim_and_complete(new_instance, ids["task"], {"decision": "approve"})
    assert _open_steps(drafter, new_instance) == ["Task_director_approval"]
    director.claim_and_complete(new_instance, "Task_director_approval", {"decision": "approve"})

    # Versions: who and how many instances; the diff colours the new task; rollback restores v1 as v3.
    admin.goto("/admin/editor/order_drafting/versions")
    assert admin.locator("tr[data-version='2'] [data-testid=total]").inner_text() == "1"
    # other browser tests share the server and may have started instances on version 1 too
    assert int(admin.locator("tr[data-version='1'] [data-testid=total]").inner_text()) >= 1
    shot(admin, "editor-06-versions")
    admin.locator("tr[data-version='2'] [data-testid=diff-link]").click()
    admin.locator("[data-testid=version-diff][data-ready='1']").wait_for()
    assert admin.locator(f"#diff-new .djs-element.diff-added[data-element-id={ids['task']}]").count() == 1
    shot(admin, "editor-07-diff")
    admin.goto("/admin/editor/order_drafting/versions")
    with admin.expect_navigation():
        admin.locator("tr[data-version='1'] [data-testid=rollback]").click()
    assert admin.locator("tr[data-version='3']").count() == 1
    rolled = _start_and_draft(drafter)
    assert drafter.call("GET", f"/instances/{rolled}")["version"] == 3
    lawyer.claim_and_complete(rolled, "Task_legal_review", {"decision": "approve"})
    assert _open_steps(drafter, rolled) == ["Task_director_approval"]


CAMUNDA_NO_DI = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1"
  targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0">
  <bpmn:process id="camunda_upload" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_1" name="staff">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef><bpmn:flowNodeRef>Activity_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_1</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Activity_1" name="Read"><bpmn:incoming>Flow_1</bpmn:incoming></bpmn:task>
    <bpmn:endEvent id="Event_1" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_1" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_1" targetRef="Event_1" />
  </bpmn:process>
</bpmn:definitions>
"""

SAVED_XML = "async () => (await window.bpmnModeler.saveXML({format: true})).xml"


def test_properties_panel_download_upload_and_a_blank_process(
    new_context: NewContext, shot: Shot, tmp_path: Any
) -> None:
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/editor/order_drafting")
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()

    _select(admin, "Timer_review_reminder")
    admin.locator("#properties [name=timer-amount]").fill("2")
    admin.locator("#properties [name=timer-unit]").select_option("D")
    admin.locator("#properties [name=timer-amount]").dispatch_event("change")
    _select(admin, "Flow_legal_return")
    admin.locator("#properties select[name=decision]").select_option("reject")
    _select(admin, "Service_acknowledged")
    admin.locator("#properties select[name=operator]").select_option("set_order_status")
    admin.locator("#properties [name=new-param-name]").fill("status")
    admin.locator("#properties [name=new-param-value]").fill('"acknowledged"')
    admin.locator("[data-testid=add-parameter]").click()
    admin.locator("#properties [name=param-outcome]").fill('"done"')
    admin.locator("#properties [name=param-outcome]").dispatch_event("change")
    _select(admin, "Task_draft")
    admin.locator("#properties [name=due-amount]").fill("4")
    admin.locator("#properties [name=due-amount]").dispatch_event("change")
    shot(admin, "editor-08-properties")
    xml = admin.evaluate(SAVED_XML)
    assert '"P2D"' in xml and 'decision == "reject"' in xml
    assert re.search(r'serviceTaskOperator id="set_order_status" resultVariable="outcome"', xml)
    assert 'parameter id="status" type="str" value="&#34;acknowledged&#34;"' in xml or (
        'parameter id="status" type="str" value="&quot;acknowledged&quot;"' in xml
    ), xml[xml.index("set_order_status") :][:600]
    assert 'id="outcome" type="str" value="&#34;done&#34;"' in xml or 'value="&quot;done&quot;"' in xml
    assert 'name="dueIn" value="P4D"' in xml
    assert 'name="waitsForCampaign" value="true"' in xml  # kept on the round trip

    with admin.expect_download() as download:
        admin.locator("[data-testid=download]").click()
    saved = tmp_path / "order.bpmn"
    download.value.save_as(saved)
    assert '"P2D"' in saved.read_text()

    upload = tmp_path / "camunda.bpmn"
    upload.write_bytes(CAMUNDA_NO_DI)
    admin.locator("[data-testid=upload]").set_input_files(str(upload))
    admin.locator(".djs-element[data-element-id=Activity_1]").wait_for()
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=clean]").wait_for()
    shot(admin, "editor-09-uploaded")

    admin.goto("/admin/processes")
    admin.locator("#new-process-id").fill("leave_request")
    admin.locator("[data-testid=new-process] button").click()
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()
    assert admin.locator(".djs-element[data-element-id=StartEvent_leave_request]").count() == 1
    assert admin.locator(".djs-element[data-element-id=Lane_staff]").count() == 1


def test_form_editor_previews_as_typed_and_refuses_an_invalid_schema(
    new_context: NewContext, shot: Shot
) -> None:
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/forms")
    admin.locator("[data-testid='edit-form-order_rework']").click()
    admin.wait_for_url(re.compile(r"/admin/forms/order_rework$"))
    admin.locator("[data-testid=tab-json]").click()  # the expert view (the builder: test_form_builder)
    schema = admin.locator("[data-testid=form-schema]")
    text = schema.input_value()
    assert admin.locator("[data-testid=form-preview] [name=title]").count() == 1
    schema.fill(text.replace('"title": {', '"headline": {', 1))
    admin.locator("[data-testid=form-preview] [name=headline]").wait_for()
    shot(admin, "editor-10-form-preview")
    schema.fill(text.replace('"type": "object"', '"type": "objekt"', 1))
    admin.locator("[data-testid=preview-problems]").wait_for()
    with admin.expect_navigation():
        admin.locator("[data-testid=save-form]").click()
    assert admin.locator("[data-testid=form-problems]").count() == 1


def _leaving_asks(page: Any) -> bool:
    """Clicks the header's home link and answers "stay": True when the browser asked before leaving."""
    url = page.url
    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_event("dialog") as asked:
        page.locator("a.brand").click(no_wait_after=True)
    return bool(asked.value.type == "beforeunload" and page.url == url)


def _leaves_without_asking(page: Any) -> bool:
    """Clicks the header's home link: True when the page was left and nothing was asked."""
    asked: list[str] = []

    def note(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", note)
    with page.expect_navigation():
        page.locator("a.brand").click()
    page.remove_listener("dialog", note)
    return not asked


def test_leaving_the_modeler_asks_while_the_diagram_is_not_deployed(new_context: NewContext) -> None:
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/processes")
    admin.locator("#new-process-id").fill("unsaved_warning")
    admin.locator("[data-testid=new-process] button").click()
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()
    editor_url = admin.url

    _select(admin, "StartEvent_unsaved_warning")
    admin.locator("#properties input[name=name]").fill("Өтініш беру")
    admin.locator("#properties input[name=name]").press("Tab")
    admin.locator("[data-testid=editor][data-unsaved=true]").wait_for()
    assert _leaving_asks(admin)
    assert admin.url == editor_url  # "stay" keeps the page and the change
    assert admin.locator("[data-testid=editor][data-unsaved=true]").count() == 1

    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed='1']").wait_for()
    assert admin.locator("[data-testid=editor][data-unsaved=false]").count() == 1
    assert _leaves_without_asking(admin)
    assert "/admin/editor" not in admin.url


def test_leaving_the_form_editor_asks_while_the_text_is_not_saved(new_context: NewContext) -> None:
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/forms/order_rework")
    admin.locator("[data-testid=tab-json]").click()  # the expert view (the builder: test_form_builder)
    schema = admin.locator("[data-testid=form-schema]")
    text = schema.input_value()
    assert _leaves_without_asking(admin)  # nothing typed
    admin.goto("/admin/forms/order_rework")
    admin.locator("[data-testid=tab-json]").click()

    schema.press("End")
    schema.type(" ")  # whitespace only: the saved revision is the same form
    assert _leaving_asks(admin)
    assert admin.url.endswith("/admin/forms/order_rework")

    schema.fill(text.replace('"type": "object"', '"type": "objekt"', 1))
    with admin.expect_navigation():
        admin.locator("[data-testid=save-form]").click()  # saving leaves the page without a question
    assert admin.locator("[data-testid=form-problems]").count() == 1
    assert _leaving_asks(admin)  # the refused text was never stored

    schema.fill(text + " ")
    with admin.expect_navigation():
        admin.locator("[data-testid=save-form]").click()
    assert admin.locator("[data-testid=form-problems]").count() == 0
    assert _leaves_without_asking(admin)
    assert "/admin/forms" not in admin.url


def test_a_bpmnio_file_is_made_executable_in_the_editor_and_replacing_a_process_asks_first(
    new_context: NewContext, shot: Shot, tmp_path: Any
) -> None:
    """bpmn.io marks a new diagram as not executable: the admin ticks the switch on the pool and deploys.
    The same id deployed again from another diagram asks before it becomes the next version."""
    fixture = PROJECT_ROOT / "tests" / "fixtures" / "modelers" / "bpmnio_kazakh_lanes.bpmn"
    upload = tmp_path / "lesson.bpmn"
    upload.write_bytes(fixture.read_bytes().replace(b'isExecutable="true"', b'isExecutable="false"'))
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/editor/new?process_id=x")
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()
    admin.locator("[data-testid=upload]").set_input_files(str(upload))
    admin.locator(".djs-element[data-element-id=Activity_0prepare]").wait_for()
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=problems]").wait_for()
    _select(admin, "Participant_1c4r7tz")
    switch = admin.locator("#properties [data-testid=executable]")
    assert not switch.is_checked()
    switch.check()
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=clean]").wait_for()
    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed='1']").wait_for()
    shot(admin, "editor-12-executable")

    # another diagram under the same id: the editor asks; declining keeps version 1
    other = tmp_path / "other.bpmn"
    other.write_bytes(
        fixture.read_bytes().replace(
            b'name="\xd0\xa1\xd0\xb0\xd0\xb1\xd0\xb0\xd2\x9b',
            b'name="X\xd0\xa1\xd0\xb0\xd0\xb1\xd0\xb0\xd2\x9b',
        )
    )
    admin.locator("[data-testid=upload]").set_input_files(str(other))
    admin.locator(".djs-element[data-element-id=Activity_0prepare]").wait_for()
    questions: list[str] = []
    admin.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed=refused]").wait_for()
    assert questions and "Process_lesson_plan" in questions[0]
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed='2']").wait_for()


ADD_UNHELD_LANE_AND_TASK = """
() => {
  const m = window.bpmnModeler;
  const reg = m.get('elementRegistry'), modeling = m.get('modeling'), factory = m.get('elementFactory');
  const lane = modeling.addLane(reg.get('Lane_staff'), 'bottom');
  modeling.updateLabel(lane, 'region_admin');
  const start = reg.get('StartEvent_unheld_demo'), end = reg.get('End_unheld_demo');
  const task = modeling.createShape(
    factory.createShape({type: 'bpmn:UserTask'}),
    {x: (start.x + end.x) / 2 + 20, y: lane.y + lane.height / 2},
    reg.get('Participant_unheld_demo'));
  modeling.updateLabel(task, 'Басқарманың қарауы');
  modeling.reconnectEnd(reg.get('Flow_unheld_demo'), task, {x: task.x, y: task.y + task.height / 2});
  modeling.connect(task, end);
  return {lane: lane.id, task: task.id};
}
"""


def test_check_warns_of_a_role_nobody_in_the_school_holds(new_context: NewContext, shot: Shot) -> None:
    """No school person holds the education department's administrator role: Check passes the diagram
    (it can be deployed) and warns, in orange, on the step that would wait with nobody to do it."""
    admin = sign_in(new_context(), "admin")
    admin.goto("/admin/editor/new?process_id=unheld_demo")
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()
    ids = admin.evaluate(ADD_UNHELD_LANE_AND_TASK)
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=warnings]").wait_for()
    assert "flash-warning" in (admin.locator("[data-testid=editor-status]").get_attribute("class") or "")
    warning = admin.locator("[data-testid=warnings] li[data-code=role_unheld]")
    assert warning.count() == 1 and warning.get_attribute("data-element") == ids["task"]
    text = warning.inner_text()
    assert "Білім басқармасының әкімшісі" in text and "«Басқарманың қарауы»" in text, text
    assert "region_admin" not in text
    assert admin.locator(f".djs-element.has-warning[data-element-id={ids['task']}]").count() == 1
    assert admin.locator("[data-testid=problems]").is_hidden()
    shot(admin, "editor-13-warning")
