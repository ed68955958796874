"""Deploy problems worded from the library's refusals, Camunda's constructs and stranded elements."""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from service.platform.engine import camunda, phrases, zeebe
from service.platform.engine.xmlsafe import line_of
from service.platform.errors import DeployProblem

CAMUNDA_MESSAGES = {
    "java_service": "the service task runs Java or calls out ({kind} '{value}'); choose one of our "
    "operators: {operators}",
    "juel_refused": "the condition {value} uses '{construct}', which cannot be translated; supported: "
    + camunda.SUPPORTED_JUEL.replace("{", "{{").replace("}", "}}"),
    "feel_refused": "the expression {value} uses '{construct}', which cannot be translated; supported: "
    + zeebe.SUPPORTED_FEEL.replace("{", "{{").replace("}", "}}"),
    "job_worker": "the service task waits for a Camunda 8 job worker of type '{value}', which does not run "
    "here; set its type to one of our operators: {operators}",
    "feel_script": "the script task computes the FEEL expression {value}, which is not run here; write the "
    "script in Python instead",
    "extension_refused": "the element uses Camunda's {construct}, which is not run here; remove it",
}
# Problems of one task read from Camunda's attributes, worded for programs and English readers.
TASK_MESSAGES = {
    "bad_assignee": "assignee '{value}' is neither a username nor ${{variable}}",
    "bad_feel_assignee": "'{value}' is neither a username, a list of roles nor =variable",
    "bad_form_js": "the embedded form '{form}' is not a Camunda Forms (form-js) document",
    # a form-js field's conditional.hide that x-visible-if cannot say exactly (form_js_conditions.py)
    "form_hide_feel": "field '{field}' is hidden by {value}, which uses '{construct}'; a hiding condition "
    "compares choice, yes/no or whole-number fields of the same form with their values "
    "(=, !=, <, >, <=, >=, and, or, not(…))",
    "form_hide_unknown_field": "field '{field}' is hidden by {value}, which names '{other}', not a field of "
    "this form",
    "form_hide_open_field": "field '{field}' is hidden by {value} on '{other}', a field without a fixed set "
    "of values (a choice with static values, a checkbox or a whole number with a narrow min and max can be "
    "named)",
    "form_hide_bad_value": "field '{field}' is hidden by {value}, which compares '{other}' with {literal}, a "
    "value it never holds (its values: {values})",
    "form_hide_inexact": "field '{field}' is hidden by {value}, which cannot be said as 'shown while each "
    "named field has one of these values' (e.g. two fields joined by and, or shown only while a field is "
    "empty)",
    "form_hide_cycle": "the conditions hiding fields depend on each other in a circle ({chain})",
    "several_candidate_users": "candidateUsers names several people ({users}); a task here goes to one "
    "person or to a role's holders: use candidateGroups or a lane, or one assignee",
    "candidate_users_and_assignee": "candidateUsers names '{users}' besides the assignee; a task given "
    "to a person here stays with that person: keep the assignee alone, or use candidateGroups or a lane",
    "candidate_users_and_groups": "candidateUsers '{user}' and candidateGroups '{groups}' together; a task "
    "here goes to one person or to a role's holders: keep one of them",
    "bad_candidate_users": "candidateUsers '{value}' is computed at run time; name one username, "
    "or use an assignee variable, candidateGroups or a lane",
}

STRANDED = {
    "no_sender": "'{name}' waits for the {kind} '{event}', which nothing in this diagram sends",
    "start_waits": "the process would start by waiting at '{name}' for a message or signal nobody can send",
    "parallel_start": "'{name}' waits for several events at once (parallel multiple): they cannot arrive",
    "business_rule": "'{name}' is a business-rule (DMN) task; no decision tables are deployed here",
}


def camunda_problems(
    tree: etree._ElementTree, reading: camunda.CamundaReading, operators: Collection[str]
) -> list[DeployProblem]:
    problems = []
    for where, code, params in reading.problems:
        if code in ("java_service", "job_worker"):
            params = {**params, "operators": ", ".join(sorted(operators))}
        message = CAMUNDA_MESSAGES[code].format(**params)
        problems.append(DeployProblem(message, where, line_of(tree, where), code, params))
    return problems


def _as_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def validation_problem(
    err: ValidationException, element: str | None, line: Any, tree: etree._ElementTree | None = None
) -> DeployProblem:
    message = _validation_message(err)
    name = _name_of(tree, element) if tree is not None else element or ""
    code, found = phrases.library_reading(message)
    # the reason stays for English readers and programs; kk/ru texts say it from the code alone
    params = phrases.merged({"name": name or element or "", "reason": message}, found)
    return DeployProblem(message, element, _as_int(line), code, params)


_MEMORY_ADDRESS = re.compile(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-fA-F]+>")


def _name_of(tree: etree._ElementTree, element: str | None) -> str:
    if not element:
        return ""
    found = tree.xpath("//*[@id=$eid]", eid=element)
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return str(found[0].get("name") or element)
    return element


def _validation_message(err: ValidationException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else "invalid BPMN"
    return _MEMORY_ADDRESS.sub(r"\1", text)


_NAMESPACES = {
    "http://www.omg.org/spec/BPMN/20100524/MODEL": "bpmn",
    "http://www.omg.org/spec/BPMN/20100524/DI": "bpmndi",
    "http://www.omg.org/spec/DD/20100524/DC": "dc",
    "http://www.omg.org/spec/DD/20100524/DI": "di",
}


def _element_at(tree: etree._ElementTree, line: int) -> etree._Element | None:
    """The first element with an id that starts on this line, else the nearest one above it."""
    best: etree._Element | None = None
    for node in tree.getroot().iter("{*}*"):
        if not node.get("id") or not isinstance(node.sourceline, int):
            continue
        if node.sourceline == line:
            return node
        if node.sourceline < line:
            best = node
    return best


def schema_problems(tree: etree._ElementTree, validator: Any) -> list[DeployProblem]:
    """Every place the file breaks the BPMN 2.0 schema, not only the first the library would raise."""
    root = copy.deepcopy(tree.getroot())
    validator.preprocess(root)
    if validator.validator.validate(root):
        return []
    problems = []
    for error in validator.validator.error_log:
        message = error.message
        for uri, prefix in _NAMESPACES.items():
            message = message.replace("{" + uri + "}", prefix + ":")
        node = _element_at(tree, int(error.line or 0))
        element = str(node.get("id")) if node is not None else None
        name = str(node.get("name") or element) if node is not None else ""
        code, found = phrases.schema_reading(message)
        where = {"name": name or "-", "line": str(error.line or ""), "reason": message}
        params = phrases.merged(where, found)
        problems.append(
            DeployProblem(f"line {error.line}: {message}", element, error.line or None, code, params)
        )
    return problems
