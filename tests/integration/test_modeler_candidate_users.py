"""`candidateUsers` from Camunda Modeler (7 and 8): one candidate user gets the running task like an
assignee; several, with roles besides, or computed at run time are refused at deploy on the task, in
Kazakh, Russian and English. Before, the attribute was dropped: the task went to the lane's or the
candidate groups' holders instead of the person drawn."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Api
from tests.integration.modeler_helpers import (
    assert_said_in_every_language,
    check,
    complete_as,
    deploy,
)
from tests.integration.test_modeler_diagrams import BPMNIO, CAMUNDA, CAMUNDA8, REQUEST

REVIEW_GROUPS = b'camunda:candidateGroups="director"'
ICT_GROUPS = b'candidateGroups="ict"'


def c7_review(attributes: bytes) -> bytes:
    """The Camunda 7 leave request whose director's review has `attributes` instead of its group."""
    xml = CAMUNDA.replace(REVIEW_GROUPS, attributes)
    assert xml != CAMUNDA
    return xml


def c8_ict(attributes: bytes) -> bytes:
    """The Camunda 8 AI-tool request whose ICT assessment has `attributes` instead of its group."""
    xml = CAMUNDA8.replace(ICT_GROUPS, attributes)
    assert xml != CAMUNDA8
    return xml


def _not_offered_to(api: Api, user: str, instance_id: int, bpmn_id: str) -> None:
    rows = api.get(f"/tasks?scope=roles&instance_id={instance_id}", user).get_json()["tasks"]
    assert not [r for r in rows if r["bpmn_id"] == bpmn_id], rows


def test_one_camunda7_candidate_user_gets_the_task(api: Api, admin: FlaskClient) -> None:
    xml = c7_review(b'camunda:candidateUsers="staff3"')
    assert check(admin, xml) == []
    assert deploy(api, xml).status_code == 201
    instance_id = api.post("/processes/leave_request/instances", "staff1").get_json()["id"]
    complete_as(api, "staff1", instance_id, "Task_submit", {"title": "Демалыс", "days": 3}, scope="mine")
    review = api.open_task("staff3", instance_id, "Task_review")  # in staff3's own tasks
    assert (review["assignee"], review["candidate_roles"]) == ("staff3", [])
    _not_offered_to(api, "director", instance_id, "Task_review")
    complete_as(api, "staff3", instance_id, "Task_review", {"decision": "approve"}, scope="mine")
    complete_as(api, "lawyer", instance_id, "Task_register", {"done": True})
    assert api.get(f"/instances/{instance_id}", "admin").get_json()["status"] == "completed"


def test_one_candidate_user_in_a_lane_gets_the_task_not_the_lanes_role(api: Api) -> None:
    """Camunda ignores lanes: the candidate user alone may do it, as with an assignee in a lane here."""
    xml = BPMNIO.replace(
        b"<bpmn:definitions ", b'<bpmn:definitions xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    ).replace(
        b'<bpmn:userTask id="Activity_1legal"',
        b'<bpmn:userTask id="Activity_1legal" camunda:candidateUsers="staff3"',
    )
    assert b"candidateUsers" in xml
    assert deploy(api, xml).status_code == 201
    instance_id = api.post("/processes/Process_lesson_plan/instances", "staff1").get_json()["id"]
    complete_as(api, "staff1", instance_id, "Activity_0prepare", {"done": True})
    complete_as(api, "director", instance_id, "Activity_0review", {"done": True})
    legal = api.open_task("staff3", instance_id, "Activity_1legal")
    assert legal["assignee"] == "staff3"
    _not_offered_to(api, "lawyer", instance_id, "Activity_1legal")


@pytest.mark.parametrize(
    "users", [b'candidateUsers="staff3"', b'candidateUsers="=[&#34;staff3&#34;]"'], ids=["static", "feel"]
)
def test_one_camunda8_candidate_user_gets_the_task(api: Api, admin: FlaskClient, users: bytes) -> None:
    xml = c8_ict(users)
    assert check(admin, xml) == []
    assert deploy(api, xml).status_code == 201
    instance_id = api.post("/processes/ai_tool_request/instances", "staff1").get_json()["id"]
    complete_as(api, "staff1", instance_id, "Task_request", REQUEST, scope="mine")
    ict = api.open_task("staff3", instance_id, "Task_ict")
    assert (ict["assignee"], ict["candidate_roles"]) == ("staff3", [])
    _not_offered_to(api, "ict", instance_id, "Task_ict")


def test_a_candidate_user_without_an_account_is_refused_like_an_assignee(admin: FlaskClient) -> None:
    assert_said_in_every_language(
        admin, c7_review(b'camunda:candidateUsers="aigerim.s"'), "unknown_user", "Task_review"
    )


@pytest.mark.parametrize(
    ("xml", "code", "element"),
    [
        (c7_review(b'camunda:candidateUsers="staff2, staff3"'), "several_candidate_users", "Task_review"),
        (c8_ict(b'candidateUsers="staff2, staff3"'), "several_candidate_users", "Task_ict"),
        (
            c8_ict(b'candidateUsers="=[&#34;staff2&#34;, &#34;staff3&#34;]"'),
            "several_candidate_users",
            "Task_ict",
        ),
        (
            c7_review(REVIEW_GROUPS + b' camunda:candidateUsers="staff3"'),
            "candidate_users_and_groups",
            "Task_review",
        ),
        (c8_ict(ICT_GROUPS + b' candidateUsers="staff3"'), "candidate_users_and_groups", "Task_ict"),
        (
            CAMUNDA.replace(
                b'camunda:assignee="${initiator}"',
                b'camunda:assignee="${initiator}" camunda:candidateUsers="staff3"',
            ),
            "candidate_users_and_assignee",
            "Task_submit",
        ),
        (
            CAMUNDA8.replace(b'assignee="=initiator"', b'assignee="=initiator" candidateUsers="staff3"', 1),
            "candidate_users_and_assignee",
            "Task_request",
        ),
        (c7_review(b'camunda:candidateUsers="${reviewers}"'), "bad_candidate_users", "Task_review"),
        (c8_ict(b'candidateUsers="=reviewers"'), "bad_candidate_users", "Task_ict"),
        (c8_ict(b'candidateUsers="=append(a, &#34;x&#34;)"'), "bad_candidate_users", "Task_ict"),
    ],
)
def test_what_candidate_users_ask_and_we_cannot_do_is_refused(
    admin: FlaskClient, xml: bytes, code: str, element: str
) -> None:
    assert_said_in_every_language(admin, xml, code, element)


def test_several_candidate_users_are_named_in_each_language(admin: FlaskClient) -> None:
    xml = c7_review(b'camunda:candidateUsers="staff2, staff3"')
    texts = {}
    for lang in ("kk", "ru", "en"):
        problems = [p for p in check(admin, xml, lang) if p["code"] == "several_candidate_users"]
        assert [p["element"] for p in problems] == ["Task_review"]
        texts[lang] = problems[0]["text"]
        assert "«staff2, staff3»" in texts[lang]
    assert "бірнеше адамға" in texts["kk"] and "рөл" in texts["kk"]  # says what to do instead: a role
    assert "нескольким людям" in texts["ru"] and "роль" in texts["ru"]
    assert "several people" in texts["en"]
