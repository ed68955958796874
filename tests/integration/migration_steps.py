"""Shared steps of the migration tests: a second order-drafting version and instances at every step."""

# ruff: noqa: E501  (BPMN lines as the modeler writes them)
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORDER = ROOT / "bpmn" / "order_drafting.bpmn"
OLD_LABEL = "Директордың бекітуі"
NEW_LABEL = "Директордың бекітуі (бұйрық)"

_REMINDER = """
    <bpmn:boundaryEvent id="Timer_director_reminder" name="Директорға еске салу" cancelActivity="false" attachedToRef="Task_director_approval">
      <bpmn:outgoing>Flow_director_reminder</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerDef_director_reminder">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">settings["legal_review_reminder"]</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="Flow_director_reminder" sourceRef="Timer_director_reminder" targetRef="Service_director_reminder" />
    <bpmn:serviceTask id="Service_director_reminder" name="Директорға еске салу">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="remind_open_tasks" resultVariable="director_reminder_sent">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="task" type="str" value="&quot;Task_director_approval&quot;" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_director_reminder</bpmn:incoming>
      <bpmn:outgoing>Flow_director_reminder_end</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="Flow_director_reminder_end" sourceRef="Service_director_reminder" targetRef="End_director_reminder" />
    <bpmn:endEvent id="End_director_reminder">
      <bpmn:incoming>Flow_director_reminder_end</bpmn:incoming>
    </bpmn:endEvent>
"""
_ANCHOR = '<bpmn:sequenceFlow id="Flow_director_done"'
_LANE_ANCHOR = '<bpmn:lane id="Lane_director" name="director">'
_LANE_REFS = (
    "\n        <bpmn:flowNodeRef>Timer_director_reminder</bpmn:flowNodeRef>"
    "\n        <bpmn:flowNodeRef>Service_director_reminder</bpmn:flowNodeRef>"
    "\n        <bpmn:flowNodeRef>End_director_reminder</bpmn:flowNodeRef>"
)


def order_v2() -> bytes:
    """The shipped order process with the director's step renamed and a reminder timer added to it."""
    xml = ORDER.read_text(encoding="utf-8")
    assert xml.count(f'name="{OLD_LABEL}"') == 1 and _ANCHOR in xml and _LANE_ANCHOR in xml
    xml = xml.replace(f'name="{OLD_LABEL}"', f'name="{NEW_LABEL}"')
    xml = xml.replace(_ANCHOR, _REMINDER.strip() + "\n    " + _ANCHOR, 1)
    xml = xml.replace(_LANE_ANCHOR, _LANE_ANCHOR + _LANE_REFS, 1)
    return xml.encode("utf-8")


def order_renaming(step: str, new_id: str) -> bytes:
    """The shipped order process where `step` is gone and a step `new_id` stands in its place."""
    xml = ORDER.read_text(encoding="utf-8")
    assert f'id="{step}"' in xml
    return xml.replace(step, new_id).encode("utf-8")


def order_without_rework() -> bytes:
    """The shipped order process without the drafter's rework step: a returned draft goes straight back
    to the lawyer (the step is gone, not renamed)."""
    xml = ORDER.read_text(encoding="utf-8")
    start = xml.index('    <bpmn:userTask id="Task_rework"')
    end = xml.index('<bpmn:sequenceFlow id="Flow_rework_done"')
    end = xml.index("\n", end) + 1
    xml = xml[:start] + xml[end:]
    xml = xml.replace("        <bpmn:flowNodeRef>Task_rework</bpmn:flowNodeRef>\n", "")
    xml = xml.replace(
        'sourceRef="Service_status_draft" targetRef="Task_rework"',
        'sourceRef="Service_status_draft" targetRef="Gateway_to_review"',
    )
    xml = xml.replace(
        "<bpmn:incoming>Flow_rework_done</bpmn:incoming>", "<bpmn:incoming>Flow_to_rework</bpmn:incoming>"
    )
    assert "Task_rework" not in xml
    return xml.encode("utf-8")
