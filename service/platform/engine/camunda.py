"""Camunda 7 diagrams: who works on a task, its form, and `${…}` conditions, read into our conventions.

Camunda Modeler writes the people (`candidateGroups`, `candidateUsers`, `assignee`), forms (`formKey`,
`formData`) and JUEL conditions that SpiffWorkflow ignores or cannot evaluate. They are read from the
XML before the engine's parser sees it: conditions are rewritten in the tree (so a problem lands on the
flow that holds it, once), the rest is handed to the checks per task id. What has no equivalent here (Java
classes, delegate expressions, connectors, external tasks) is refused by the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from service.platform.engine.rewrite import Dialect, Untranslatable, rewrite

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
_BPMN_TASKS = ("userTask", "task", "manualTask")
_SERVICE_LIKE = ("serviceTask", "sendTask", "businessRuleTask", "scriptTask")
# Attributes on service-like tasks that run Java or call out: nothing here can execute them.
JAVA_ATTRIBUTES = ("class", "delegateExpression", "expression", "type", "topic")
# Extensions that run code or remap variables around an element: ignoring them would run the diagram
# differently from what its author drew, so they are refused on the element that holds them.
REFUSED = ("executionListener", "taskListener", "inputOutput")


@dataclass
class CamundaTask:
    """What Camunda Modeler said about one user task."""

    candidate_groups: list[str] = field(default_factory=list)
    # Usernames offered the task (`candidateUsers`), until `settle_candidate_users` turns one into the
    # assignee or refuses what we cannot do.
    candidate_users: list[str] = field(default_factory=list)
    assignee: str | None = None  # a username
    assignee_variable: str | None = None  # `${name}`: a process variable holding a username
    form_key: str | None = None
    form: dict[str, Any] | None = None  # generated from camunda:formData or a Camunda 8 form-js form
    properties: dict[str, str] = field(default_factory=dict)  # our task properties (dueOn, dueIn)
    problems: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@dataclass
class CamundaReading:
    tasks: dict[str, CamundaTask] = field(default_factory=dict)
    # (element id, code, params): conditions that could not be translated, Java on service tasks
    problems: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


JuelRefused = Untranslatable  # a JUEL construct with no safe translation


_JUEL = re.compile(r"^\s*\$\{(.*)\}\s*$", re.DOTALL)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<op>==|!=|<=|>=|&&|\|\||[<>!()])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<other>\S+)
    )""",
    re.VERBOSE,
)
_WORDS = {
    "and": "and",
    "or": "or",
    "not": "not",
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "gt": ">",
    "le": "<=",
    "ge": ">=",
    "true": "True",
    "false": "False",
    "null": "None",
}
_OPS = {"&&": "and", "||": "or", "!": "not"}
_DIALECT = Dialect(_TOKEN, _WORDS, _OPS)
SUPPORTED_JUEL = "${x}, ${x == 'v'}, ${x != 'v'}, ${n > 3}, &&, ||, !, numbers, true/false"


def translate_juel(text: str) -> str | None:
    """`${approved && decision == 'approve'}` → `approved and decision == 'approve'`; None when `text` is
    not JUEL. Raises JuelRefused for anything beyond names, literals, comparisons and and/or/not."""
    match = _JUEL.match(text)
    if match is None:
        return None
    if not match.group(1).strip():
        raise Untranslatable(text.strip())  # quoted whole: `${}`
    return rewrite(match.group(1), _DIALECT)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _form_data(task: etree._Element, task_id: str, label: str) -> dict[str, Any] | None:
    fields = task.findall(f".//{{{CAMUNDA}}}formData/{{{CAMUNDA}}}formField")
    if not fields:
        return None
    props: dict[str, Any] = {}
    required: list[str] = []
    for node in fields:
        name = node.get("id") or ""
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            continue  # refused by the form check through the empty form below if nothing remains
        title = node.get("label") or name
        kind = (node.get("type") or "string").lower()
        prop: dict[str, Any] = {"title": title, "x-title": {"kk": title, "ru": title, "en": title}}
        if kind == "boolean":
            prop |= {"type": "boolean", "x-widget": "checkbox"}
        elif kind in ("long", "integer"):
            prop |= {"type": "integer"}
        elif kind == "date":
            prop |= {"type": "string", "format": "date"}
        elif kind == "enum":
            values = node.findall(f"{{{CAMUNDA}}}value")
            ids = [v.get("id") or "" for v in values if v.get("id")]
            prop |= {
                "type": "string",
                "enum": ids,
                "x-widget": "radio",
                "x-enum-titles": {
                    v.get("id"): {lang: v.get("name") or v.get("id") for lang in ("kk", "ru", "en")}
                    for v in values
                    if v.get("id")
                },
            }
        else:
            prop |= {"type": "string", "maxLength": 5000}
        if node.get("defaultValue") not in (None, "") and kind in ("string", "enum"):
            prop["default"] = node.get("defaultValue")
        for constraint in node.findall(f".//{{{CAMUNDA}}}constraint"):
            if constraint.get("name") == "required":
                required.append(name)
        props[name] = prop
    return generated_form(label or task_id, props, required)


def generated_form(title: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """Our form schema around fields read from a modeler's form (Camunda 7 formData, Camunda 8 form-js):
    the modeler's texts are in one language, so each title stands for all three."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": title,
        "x-title": {"kk": title, "ru": title, "en": title},
        "properties": props,
        "x-order": list(props),
    }
    if required:
        schema["required"] = required
    return schema


def _user_task(node: etree._Element) -> CamundaTask:
    info = CamundaTask()
    groups = node.get(f"{{{CAMUNDA}}}candidateGroups")
    if groups:
        info.candidate_groups = [g.strip() for g in groups.split(",") if g.strip()]
    users = (node.get(f"{{{CAMUNDA}}}candidateUsers") or "").strip()
    if users and ("${" in users or "#{" in users):
        # a list computed at run time: it could name several people or nobody, which no check here sees
        info.problems.append(("bad_candidate_users", {"value": users}))
    elif users:
        info.candidate_users = [u.strip() for u in users.split(",") if u.strip()]
    assignee = (node.get(f"{{{CAMUNDA}}}assignee") or "").strip()
    if assignee:
        expression = _JUEL.match(assignee)
        if expression is None:
            info.assignee = assignee
        elif re.match(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*$", expression.group(1)):
            info.assignee_variable = expression.group(1).strip()
        else:
            info.problems.append(("bad_assignee", {"value": assignee}))
    form_key = (node.get(f"{{{CAMUNDA}}}formKey") or "").strip()
    if form_key:
        # "embedded:app:forms/review.html", "camunda-forms:deployment:review.form", "review" → review
        info.form_key = re.split(r"[:/]", form_key)[-1].rsplit(".", 1)[0]
    info.form = _form_data(node, str(node.get("id")), node.get("name") or "")
    return info


def settle_candidate_users(info: CamundaTask) -> None:
    """`candidateUsers` (Camunda 7 or 8) in our terms. A task here goes to one person (its assignee, who
    alone may do it: `inbox/access.py`) or to every holder of its roles, never to a list of named people.
    So one candidate user is the assignee, and whatever would offer the task to someone else besides is
    refused rather than dropped: dropped, the work would reach other people than the diagram names."""
    named = list(dict.fromkeys(info.candidate_users))
    info.candidate_users = []
    others = [n for n in named if n != info.assignee]
    if not others:
        return  # none, or only the assignee themself
    if len(named) > 1:
        info.problems.append(("several_candidate_users", {"users": ", ".join(named)}))
    elif info.assignee or info.assignee_variable:
        # Camunda lets candidates take a task its assignee hands back; a task given here stays given
        info.problems.append(("candidate_users_and_assignee", {"users": others[0]}))
    elif info.candidate_groups:
        # offered to a person and to roles at once: an assignee would shut the roles' holders out
        groups = ", ".join(info.candidate_groups)
        info.problems.append(("candidate_users_and_groups", {"user": others[0], "groups": groups}))
    else:
        info.assignee = others[0]


def read(tree: etree._ElementTree) -> CamundaReading:
    """Read the Camunda attributes of a diagram and translate its JUEL conditions in place."""
    reading = CamundaReading()
    root = tree.getroot()
    for node in root.iter("{*}*"):
        name = _local(node)
        element = str(node.get("id") or "")
        camunda_attributes = any(str(k).startswith(f"{{{CAMUNDA}}}") for k in node.attrib)
        if name in _BPMN_TASKS and (camunda_attributes or node.find(f".//{{{CAMUNDA}}}formData") is not None):
            reading.tasks[element] = _user_task(node)
        elif name in _SERVICE_LIKE:
            for attribute in JAVA_ATTRIBUTES:
                value = node.get(f"{{{CAMUNDA}}}{attribute}")
                if value:
                    reading.problems.append((element, "java_service", {"kind": attribute, "value": value}))
            if node.find(f".//{{{CAMUNDA}}}connector") is not None:
                connector = {"kind": "connector", "value": "camunda:connector"}
                reading.problems.append((element, "java_service", connector))
        elif etree.QName(node).namespace == CAMUNDA and name in REFUSED:
            owner = next((a for a in node.iterancestors() if a.get("id")), None)
            where = str(owner.get("id")) if owner is not None else element
            reading.problems.append((where, "extension_refused", {"construct": f"camunda:{name}"}))
        elif name == "conditionExpression" and node.text and "${" in node.text:
            owner = node.getparent()
            flow = str(owner.get("id")) if owner is not None else element
            try:
                translated = translate_juel(node.text)
            except JuelRefused as err:
                params = {"construct": err.construct, "value": node.text.strip()}
                reading.problems.append((flow, "juel_refused", params))
                node.text = "False"  # keeps the engine's parser quiet: the problem above refuses the file
                continue
            if translated is not None:
                node.text = translated
    return reading
