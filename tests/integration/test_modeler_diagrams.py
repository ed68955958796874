"""Diagrams as admins draw them in bpmn.io and Camunda Modeler: they deploy, run to their end through the
API, and what cannot run is refused at deploy naming the element, in Kazakh, Russian and English."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import Api
from tests.integration.instance_probe import snapshot
from tests.integration.modeler_helpers import (
    assert_said_in_every_language,
    check,
    complete_as,
    deploy,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "modelers"
BPMNIO = (FIXTURES / "bpmnio_kazakh_lanes.bpmn").read_bytes()


def test_a_bpmnio_diagram_with_kazakh_lanes_and_no_forms_runs_to_its_end(api: Api) -> None:
    response = deploy(api, BPMNIO)
    assert response.status_code == 201, response.get_json()
    started = api.post("/processes/Process_lesson_plan/instances", "staff1")
    assert started.status_code == 201, started.get_json()
    instance_id = started.get_json()["id"]
    task = api.open_task("staff1", instance_id, "Activity_0prepare", scope="roles")
    assert task["candidate_roles"] == ["staff"]  # the lane «Мұғалім» is the teachers' role
    detail = api.get(f"/tasks/{task['id']}", "staff1").get_json()
    assert detail["form"]["key"] == "done"
    assert detail["form"]["schema"]["x-title"] == {"kk": "Орындалды", "ru": "Выполнено", "en": "Done"}
    refused = api.post(f"/tasks/{task['id']}/complete", "staff1", json={"data": {}})
    assert refused.status_code == 422  # the confirmation is required
    complete_as(api, "staff1", instance_id, "Activity_0prepare", {"done": True, "comment": "дайын"})
    review = complete_as(api, "director", instance_id, "Activity_0review", {"done": True})
    assert review["candidate_roles"] == ["director"]  # «Директор»: a manual task of the lane's role
    legal = complete_as(api, "lawyer", instance_id, "Activity_1legal", {"done": True})
    assert legal["candidate_roles"] == ["lawyer"]  # «заңгер», lower case
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


def test_a_task_outside_any_lane_is_refused_naming_it(admin: FlaskClient) -> None:
    xml = re.sub(rb'<bpmn:lane id="Lane_1director".*?</bpmn:lane>', b"", BPMNIO, flags=re.S)
    assert b"Lane_1director" not in xml.split(b"<bpmndi:")[0]
    assert_said_in_every_language(admin, xml, "no_lane", "Activity_0review")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Мектеп директоры", ["director"]),
        ("директор", ["director"]),
        ("Учителя", ["staff"]),
        ("Zangger", None),
        ("Заңгер / құжаттанушы", ["lawyer"]),
        ("Зангер", ["lawyer"]),
        ("ICT specialist, Юрист", ["ict", "lawyer"]),
        ("wg_deputy,wg_chair", ["wg_deputy", "wg_chair"]),
        ("Председатель рабочей группы", ["wg_chair"]),
        ("Диретор", ["director"]),
    ],
)
def test_lanes_name_roles_in_any_of_three_languages(name: str, codes: list[str] | None) -> None:
    from service.platform.engine.lanes import lane_codes, read_lane

    if codes is None:
        assert any(p.code is None for p in read_lane(name))
    else:
        assert lane_codes(name) == codes


def test_an_unknown_lane_lists_the_roles_and_the_closest(admin: FlaskClient) -> None:
    xml = BPMNIO.replace("заңгер".encode(), "Заңгерлер кеңсесі".encode())
    assert_said_in_every_language(admin, xml, "unknown_role", "Lane_2lawyer")
    kk = next(p for p in check(admin, xml, "kk") if p["code"] == "unknown_role")["text"]
    assert "Мектеп директоры" in kk and "Заңгер / құжаттанушы (lawyer)" in kk
    ru = next(p for p in check(admin, xml, "ru") if p["code"] == "unknown_role")["text"]
    assert "Директор школы" in ru


CAMUNDA = (FIXTURES / "camunda_leave_request.bpmn").read_bytes()


def test_a_camunda_modeler_diagram_runs_to_its_end(api: Api, admin: FlaskClient) -> None:
    assert check(admin, CAMUNDA) == []
    response = deploy(api, CAMUNDA)
    assert response.status_code == 201, response.get_json()
    started = api.post("/processes/leave_request/instances", "staff1")
    assert started.status_code == 201, started.get_json()  # the bare P2D timer no longer breaks a start
    instance_id = started.get_json()["id"]
    # camunda:assignee="${initiator}": the person who started it
    submit = api.open_task("staff1", instance_id, "Task_submit")
    assert submit["assignee"] == "staff1"
    form = api.get(f"/tasks/{submit['id']}", "staff1").get_json()["form"]
    schema = form["schema"]
    assert schema["required"] == ["title"] and schema["properties"]["days"]["type"] == "integer"
    assert schema["properties"]["kind"]["enum"] == ["vacation", "sick"]
    assert schema["properties"]["kind"]["x-enum-titles"]["sick"]["kk"] == "Ауру"
    assert schema["properties"]["urgent"]["type"] == "boolean"
    missing = api.post(f"/tasks/{submit['id']}/complete", "staff1", json={"data": {"days": 3}})
    assert missing.status_code == 422  # formData's required constraint
    data = {"title": "Жазғы демалыс", "days": 14, "kind": "vacation", "urgent": False}
    assert api.post(f"/tasks/{submit['id']}/complete", "staff1", json={"data": data}).status_code == 200
    # camunda:candidateGroups="director"; ${decision == 'approve' && days <= 30} takes the first flow
    review = complete_as(api, "director", instance_id, "Task_review", {"decision": "approve"})
    assert review["candidate_roles"] == ["director"]
    # camunda:formKey="embedded:app:forms/done.html" names our built-in form
    register = api.open_task("lawyer", instance_id, "Task_register", scope="roles")
    assert api.get(f"/tasks/{register['id']}", "lawyer").get_json()["form"]["key"] == "done"
    complete_as(api, "lawyer", instance_id, "Task_register", {"done": True})
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


def test_the_camunda_rejection_path(api: Api) -> None:
    assert deploy(api, CAMUNDA).status_code == 201
    instance_id = api.post("/processes/leave_request/instances", "staff2").get_json()["id"]
    complete_as(api, "staff2", instance_id, "Task_submit", {"title": "Ұзақ", "days": 45}, scope="mine")
    complete_as(api, "director", instance_id, "Task_review", {"decision": "approve"})  # 45 > 30 days
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


JAVA_TASK = re.sub(
    rb'<bpmn:userTask id="Task_register"(.*?)</bpmn:userTask>',
    rb'<bpmn:serviceTask id="Task_register" camunda:class="kz.school.Register"\1</bpmn:serviceTask>',
    CAMUNDA,
    flags=re.S,
)


@pytest.mark.parametrize(
    ("xml", "code", "element"),
    [
        (
            CAMUNDA.replace(b"${decision != 'approve' ||", b"${execution.getVariable('d') != 'approve' ||"),
            "juel_refused",
            "Flow_no",
        ),
        (JAVA_TASK, "java_service", "Task_register"),
        (
            CAMUNDA.replace(b'camunda:candidateGroups="director"', b'camunda:candidateGroups="dean"'),
            "unknown_role",
            "Task_review",
        ),
        (
            CAMUNDA.replace(
                b"<camunda:formData>",
                b'<camunda:taskListener class="kz.school.Notify" event="create" /><camunda:formData>',
                1,
            ),
            "extension_refused",
            "Task_submit",
        ),
    ],
)
def test_what_camunda_means_and_we_cannot_do_is_refused(
    admin: FlaskClient, xml: bytes, code: str, element: str
) -> None:
    assert xml != CAMUNDA
    assert_said_in_every_language(admin, xml, code, element)


def test_a_camunda_assignee_is_a_person_with_an_account(api: Api, admin: FlaskClient) -> None:
    unknown = CAMUNDA.replace(b"${initiator}", b"aigerim.s")
    assert_said_in_every_language(admin, unknown, "unknown_user", "Task_submit")
    named = CAMUNDA.replace(b"${initiator}", b"staff3")
    assert deploy(api, named).status_code == 201
    instance_id = api.post("/processes/leave_request/instances", "staff1").get_json()["id"]
    assert api.open_task("staff3", instance_id, "Task_submit")["assignee"] == "staff3"


CAMUNDA8 = (FIXTURES / "camunda8_ai_tool_request.bpmn").read_bytes()
REQUEST = {"tool": "ChatGPT Edu", "lessons": 4, "grade": "senior", "personal_data": False, "purpose": "эссе"}


def test_a_camunda8_diagram_runs_to_its_end(api: Api, admin: FlaskClient) -> None:
    """Camunda Modeler 5's default (Camunda 8): Zeebe assignments, form-js forms, FEEL, a job type."""
    assert check(admin, CAMUNDA8) == []
    response = deploy(api, CAMUNDA8)
    assert response.status_code == 201, response.get_json()
    instance_id = api.post("/processes/ai_tool_request/instances", "staff1").get_json()["id"]
    request = api.open_task("staff1", instance_id, "Task_request")  # assignee="=initiator"
    schema = api.get(f"/tasks/{request['id']}", "staff1").get_json()["form"]["schema"]
    # the embedded form-js form: text, button and group are layout; the group's fields stay in order
    assert schema["x-order"] == ["tool", "lessons", "grade", "personal_data", "purpose", "start_on"]
    assert schema["required"] == ["tool", "grade"]
    fields = schema["properties"]
    assert fields["tool"]["maxLength"] == 200 and fields["tool"]["x-title"]["kk"] == "Құралдың атауы"
    assert (fields["lessons"]["type"], fields["lessons"]["minimum"], fields["lessons"]["maximum"]) == (
        "integer",
        1,
        40,
    )
    assert fields["grade"]["enum"] == ["middle", "senior"] and fields["grade"]["x-widget"] == "select"
    assert fields["grade"]["x-enum-titles"]["senior"]["ru"] == "10–11 сынып"
    assert fields["personal_data"]["type"] == "boolean" and fields["purpose"]["x-widget"] == "textarea"
    assert fields["start_on"]["format"] == "date"
    refused = api.post(f"/tasks/{request['id']}/complete", "staff1", json={"data": {"lessons": 99}})
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) >= {"tool", "grade", "lessons"}
    complete_as(api, "staff1", instance_id, "Task_request", REQUEST, scope="mine")
    ict = complete_as(api, "ict", instance_id, "Task_ict", {"risk": "low"})
    assert ict["candidate_roles"] == ["ict"]
    assert ict["due_at"] is not None  # dueDate="=now() + duration("P3D")"
    director = complete_as(api, "director", instance_id, "Task_director", {"decision": "approve"})
    assert director["candidate_roles"] == ["director"]  # candidateGroups="=["director"]"
    # FEEL `=decision = "approve" and risk != "high" and not(personal_data)` led to the job type
    # `set_outcome`, one of our operators, with its headers as parameters
    inform = api.open_task("staff1", instance_id, "Task_inform")
    assert api.get(f"/tasks/{inform['id']}", "staff1").get_json()["form"]["key"] == "done"  # formId="done"
    complete_as(api, "staff1", instance_id, "Task_inform", {"done": True}, scope="mine")
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"
    assert _data(api, instance_id)["outcome"] == "approved"


def test_the_camunda8_rejection_path(api: Api) -> None:
    assert deploy(api, CAMUNDA8).status_code == 201
    instance_id = api.post("/processes/ai_tool_request/instances", "staff2").get_json()["id"]
    complete_as(api, "staff2", instance_id, "Task_request", {**REQUEST, "personal_data": True}, scope="mine")
    complete_as(api, "ict", instance_id, "Task_ict", {"risk": "low"})
    complete_as(api, "director", instance_id, "Task_director", {"decision": "approve"})
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"
    assert "outcome" not in _data(api, instance_id)  # `or personal_data = true` ended it unpermitted


def _data(api: Api, instance_id: int) -> dict[str, Any]:
    """The finished instance's variables, as stored."""
    state = json.loads(snapshot(api.rt, instance_id)[0])
    return dict(state["data"])


# the job type replaced by a Zeebe FEEL script, as Camunda Modeler writes a script task
SCRIPT_TASK = re.sub(
    rb'<bpmn:serviceTask id="Task_outcome"(.*?)<bpmn:extensionElements>.*?</bpmn:extensionElements>(.*?)'
    rb"</bpmn:serviceTask>",
    rb'<bpmn:scriptTask id="Task_outcome"\1<bpmn:extensionElements><zeebe:script expression="=if risk = '
    rb'&#34;low&#34; then 1 else 2" resultVariable="level" /></bpmn:extensionElements>\2</bpmn:scriptTask>',
    CAMUNDA8,
    flags=re.S,
)
FIRST_ASSIGNEE = b'<zeebe:assignmentDefinition assignee="=initiator" />'
ICT_FORM = b'<zeebe:userTaskForm id="UserTaskForm_ict">{\n  "components"'


@pytest.mark.parametrize(
    ("xml", "code", "element"),
    [
        (CAMUNDA8.replace(b'or risk = "high"', b'or contains(note, "no")'), "feel_refused", "Flow_no"),
        (CAMUNDA8.replace(b'type="set_outcome"', b'type="send-email"'), "job_worker", "Task_outcome"),
        (CAMUNDA8.replace(b'candidateGroups="ict"', b'candidateGroups="dean"'), "unknown_role", "Task_ict"),
        (
            CAMUNDA8.replace(
                FIRST_ASSIGNEE,
                FIRST_ASSIGNEE + b'<zeebe:ioMapping><zeebe:output source="=tool" '
                b'target="t" /></zeebe:ioMapping>',
                1,
            ),
            "extension_refused",
            "Task_request",
        ),
        (SCRIPT_TASK, "feel_script", "Task_outcome"),
        (
            CAMUNDA8.replace(
                FIRST_ASSIGNEE, b'<zeebe:assignmentDefinition assignee="=if a then b else c" />', 1
            ),
            "bad_feel_assignee",
            "Task_request",
        ),
        (CAMUNDA8.replace(ICT_FORM, ICT_FORM.replace(b"components", b"parts")), "bad_form_js", "Task_ict"),
    ],
)
def test_what_camunda8_means_and_we_cannot_do_is_refused(
    admin: FlaskClient, xml: bytes, code: str, element: str
) -> None:
    assert xml != CAMUNDA8
    assert_said_in_every_language(admin, xml, code, element)


def test_a_task_for_a_person_who_left_reaches_the_admins(api: Api, admin: FlaskClient) -> None:
    """`assignee="=initiator"`, and the initiator's account was closed meanwhile: the admin is told."""
    from sqlalchemy import update

    from service.platform.persistence.models import User

    assert deploy(api, CAMUNDA8).status_code == 201
    instance_id = api.post("/processes/ai_tool_request/instances", "staff1").get_json()["id"]
    complete_as(api, "staff1", instance_id, "Task_request", REQUEST, scope="mine")
    complete_as(api, "ict", instance_id, "Task_ict", {"risk": "low"})
    with api.rt.db.session() as session:
        session.execute(update(User).where(User.username == "staff1").values(is_active=False))
    complete_as(api, "director", instance_id, "Task_director", {"decision": "approve"})
    page = admin.get("/notifications").get_data(as_text=True)
    assert "мұнда белсенді тіркелгісі жоқ" in page and "«staff1»" not in page
    assert "Арман Болатұлы" in page  # staff1, named as pages name people
