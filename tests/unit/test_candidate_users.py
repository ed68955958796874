"""`candidateUsers` of Camunda 7 and 8 user tasks: one person is the assignee, anything more is refused on
the task (a task here goes to one person or to a role's holders), never dropped."""

from __future__ import annotations

import pytest

from service.platform.engine import camunda, zeebe
from service.platform.engine.camunda import CamundaTask, settle_candidate_users
from service.platform.engine.xmlsafe import parse_untrusted

TASK = {
    # Camunda 7: attributes on the task
    "c7": '<bpmn:userTask id="T" {attributes}/>',
    # Camunda 8: attributes of zeebe:assignmentDefinition
    "c8": '<bpmn:userTask id="T"><bpmn:extensionElements><zeebe:assignmentDefinition {attributes}/>'
    "</bpmn:extensionElements></bpmn:userTask>",
}
DIAGRAM = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'id="d"><bpmn:process id="p">{task}</bpmn:process></bpmn:definitions>'
)


def read_task(dialect: str, attributes: str) -> CamundaTask:
    """The task as the compiler sees it: both dialects read, then its candidate users settled."""
    tree = parse_untrusted(DIAGRAM.format(task=TASK[dialect].format(attributes=attributes)).encode())
    reading = camunda.read(tree)
    zeebe.read_into(tree, reading, ())
    task = reading.tasks["T"]
    settle_candidate_users(task)
    return task


@pytest.mark.parametrize(
    ("dialect", "attributes"),
    [
        ("c7", 'camunda:candidateUsers=" staff3 "'),
        ("c7", 'camunda:candidateUsers="staff3, staff3"'),
        ("c7", 'camunda:candidateUsers="staff3" camunda:assignee="staff3"'),
        ("c8", 'candidateUsers="staff3"'),
        ("c8", 'candidateUsers="=[&quot;staff3&quot;]"'),
        ("c8", 'candidateUsers="=&quot;staff3&quot;"'),
    ],
)
def test_one_candidate_user_is_the_assignee(dialect: str, attributes: str) -> None:
    task = read_task(dialect, attributes)
    assert (task.assignee, task.assignee_variable, task.problems) == ("staff3", None, [])


@pytest.mark.parametrize(
    ("dialect", "attributes", "code", "params"),
    [
        (
            "c7",
            'camunda:candidateUsers="staff2, staff3"',
            "several_candidate_users",
            {"users": "staff2, staff3"},
        ),
        (
            "c8",
            'candidateUsers="=[&quot;staff2&quot;, &quot;staff3&quot;]"',
            "several_candidate_users",
            {"users": "staff2, staff3"},
        ),
        (
            "c7",
            'camunda:candidateUsers="staff3" camunda:candidateGroups="director"',
            "candidate_users_and_groups",
            {"user": "staff3", "groups": "director"},
        ),
        (
            "c8",
            'candidateUsers="staff3" candidateGroups="ict"',
            "candidate_users_and_groups",
            {"user": "staff3", "groups": "ict"},
        ),
        (
            "c7",
            'camunda:candidateUsers="staff3" camunda:assignee="${initiator}"',
            "candidate_users_and_assignee",
            {"users": "staff3"},
        ),
        (
            "c8",
            'candidateUsers="staff3" assignee="staff1"',
            "candidate_users_and_assignee",
            {"users": "staff3"},
        ),
        ("c7", 'camunda:candidateUsers="${reviewers}"', "bad_candidate_users", {"value": "${reviewers}"}),
        ("c8", 'candidateUsers="=reviewers"', "bad_candidate_users", {"value": "=reviewers"}),
        (
            "c8",
            'candidateUsers="=if a then [&quot;x&quot;] else []"',
            "bad_candidate_users",
            {"value": '=if a then ["x"] else []'},
        ),
    ],
)
def test_what_we_cannot_do_with_candidate_users_is_refused_on_the_task(
    dialect: str, attributes: str, code: str, params: dict[str, str]
) -> None:
    task = read_task(dialect, attributes)
    assert task.problems == [(code, params)]
    assert task.candidate_users == []
    assert task.assignee in (None, "staff1")  # a refused candidate never becomes the assignee
