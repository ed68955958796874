"""Camunda 8 diagrams: Zeebe's assignments, forms, FEEL conditions and job types, read into our conventions.

Camunda Modeler 5 draws for Camunda 8 by default: people in `zeebe:assignmentDefinition` (candidate
groups and users, an assignee), forms as
`zeebe:formDefinition` (a linked form id, or form-js JSON embedded in the process as
`zeebe:userTaskForm`), conditions in FEEL (`=decision = "approve"`), service tasks as job types
(`zeebe:taskDefinition type="…"`). They are read into the same `CamundaReading` as Camunda 7's
attributes, before the engine's parser sees the tree: FEEL conditions are rewritten in place, a job type
naming one of our operators becomes that operator, and what has no equivalent here (job workers, FEEL
scripts, variable mappings, listeners) is refused on the element that holds it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from lxml import etree

from service.platform.engine import form_js_conditions as conditions
from service.platform.engine.camunda import CamundaReading, CamundaTask, generated_form
from service.platform.engine.rewrite import Dialect, Untranslatable, rewrite

ZEEBE = "http://camunda.org/schema/zeebe/1.0"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_TASKS = ("userTask", "task", "manualTask")
EMBEDDED_FORM = "camunda-forms:bpmn:"
# Extensions that change what runs or which variables a task sees: ignoring them would run the diagram
# differently from what its author drew, so they are refused where they stand.
REFUSED = ("ioMapping", "executionListeners", "taskListeners", "calledDecision")
SUPPORTED_FEEL = '=x, =x = "v", =x != "v", =n > 3, and, or, not(…), numbers, true/false/null'


FeelRefused = Untranslatable  # a FEEL construct with no safe translation


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>!=|<=|>=|==|[=<>()])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<other>\S+)
    )""",
    re.VERBOSE,
)
_WORDS = {"and": "and", "or": "or", "true": "True", "false": "False", "null": "None"}
_OPS = {"=": "==", "==": "=="}
_DIALECT = Dialect(_TOKEN, _WORDS, _OPS, not_call=True)


def is_feel(text: str | None) -> bool:
    return bool(text) and str(text).lstrip().startswith("=")


def translate_feel(text: str) -> str:
    """`=decision = "approve" and days <= 30` → `decision == "approve" and days <= 30`.

    Raises FeelRefused for anything beyond names, literals, comparisons, and/or and not(…): FEEL's
    functions, paths, arithmetic, lists and ranges have no safe equivalent in the engine's expressions.
    """
    body = text.lstrip()[1:]
    if not body.strip():
        raise Untranslatable(text.strip())  # quoted whole: `=` alone
    return rewrite(body, _DIALECT)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _zeebe(node: etree._Element, name: str) -> etree._Element | None:
    return node.find(f"{{{BPMN}}}extensionElements/{{{ZEEBE}}}{name}")


_NAME = re.compile(r"^\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
_LITERAL = re.compile(r'^\s*=\s*"([^"\\]*)"\s*$')
_LIST = re.compile(r'^\s*=\s*\[\s*("[^"\\]*"(?:\s*,\s*"[^"\\]*")*)?\s*\]\s*$')
_DUE_IN = re.compile(r'^\s*=\s*now\(\)\s*\+\s*duration\(\s*"(P[0-9A-Z]+)"\s*\)\s*$', re.IGNORECASE)


def _groups(value: str) -> list[str] | None:
    """`director, lawyer` or `=["director", "lawyer"]` → the names (of roles or of users); None for any
    other FEEL."""
    if not is_feel(value):
        return [g.strip() for g in value.split(",") if g.strip()]
    listed = _LIST.match(value)
    if listed is not None:
        return re.findall(r'"([^"\\]*)"', listed.group(1) or "")
    literal = _LITERAL.match(value)
    return [g.strip() for g in literal.group(1).split(",") if g.strip()] if literal else None


def _assignment(node: etree._Element, info: CamundaTask) -> None:
    assignment = _zeebe(node, "assignmentDefinition")
    if assignment is None:
        return
    groups = (assignment.get("candidateGroups") or "").strip()
    if groups:
        names = _groups(groups)
        if names is None:
            info.problems.append(("bad_feel_assignee", {"value": groups}))
        else:
            info.candidate_groups = names
    users = (assignment.get("candidateUsers") or "").strip()
    if users:
        named = _groups(users)  # written like candidateGroups: `a, b`, `=["a", "b"]` or `="a"`
        if named is None:
            # a variable or any other FEEL: computed at run time, it could name several people or nobody
            info.problems.append(("bad_candidate_users", {"value": users}))
        else:
            info.candidate_users = named
    assignee = (assignment.get("assignee") or "").strip()
    if not assignee:
        return
    variable = _NAME.match(assignee)
    literal = _LITERAL.match(assignee)
    if not is_feel(assignee):
        info.assignee = assignee
    elif variable is not None:
        info.assignee_variable = variable.group(1)
    elif literal is not None:
        info.assignee = literal.group(1)
    else:
        info.problems.append(("bad_feel_assignee", {"value": assignee}))


def _schedule(node: etree._Element, info: CamundaTask, reading: CamundaReading, element: str) -> None:
    """`dueDate="=deadline"` names a variable holding the date; `=now() + duration("P3D")` is a delay."""
    schedule = _zeebe(node, "taskSchedule")
    due = (schedule.get("dueDate") or "").strip() if schedule is not None else ""
    if not due:
        return
    variable, delay = _NAME.match(due), _DUE_IN.match(due)
    if variable is not None:
        info.properties["dueOn"] = variable.group(1)
    elif delay is not None:
        info.properties["dueIn"] = delay.group(1).upper()
    else:
        reading.problems.append((element, "feel_refused", {"construct": due, "value": due}))


def _form(node: etree._Element, info: CamundaTask, embedded: dict[str, etree._Element]) -> None:
    definition = _zeebe(node, "formDefinition")
    if definition is None:
        return
    key = (definition.get("formKey") or definition.get("formId") or "").strip()
    if not key:
        return
    form_id = key[len(EMBEDDED_FORM) :] if key.startswith(EMBEDDED_FORM) else key
    if form_id in embedded:
        title = node.get("name") or str(node.get("id"))
        info.form, problems = form_js_schema(embedded[form_id].text or "", title)
        if info.form is None:
            info.problems.append(("bad_form_js", {"form": form_id}))
        info.problems += problems  # conditions the form's fields could not keep: refused on the task
    else:
        # a linked form (formId) or a custom key: the form of that name in forms/ or the form editor
        info.form_key = re.split(r"[:/]", form_id)[-1].rsplit(".", 1)[0]


def _service(node: etree._Element, element: str, reading: CamundaReading, operators: Collection[str]) -> None:
    """A job type that names one of our operators runs it; any other would wait for a worker forever."""
    definition = _zeebe(node, "taskDefinition")
    if definition is None:
        return
    job = (definition.get("type") or "").strip()
    if job not in operators:
        reading.problems.append((element, "job_worker", {"value": job}))
        return
    extensions = node.find(f"{{{BPMN}}}extensionElements")
    if extensions is None or extensions.find(f"{{{SPIFF}}}serviceTaskOperator") is not None:
        return
    operator = etree.SubElement(extensions, f"{{{SPIFF}}}serviceTaskOperator", id=job)
    parameters = etree.SubElement(operator, f"{{{SPIFF}}}parameters")
    for header in node.iterfind(f".//{{{ZEEBE}}}taskHeaders/{{{ZEEBE}}}header"):
        name, value = header.get("key") or "", header.get("value") or ""
        if name == "resultVariable":
            operator.set("resultVariable", value)
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            # a header is a constant text: passed as a string literal, never evaluated
            etree.SubElement(parameters, f"{{{SPIFF}}}parameter", id=name, type="str", value=repr(value))


def _refused(node: etree._Element, element: str, reading: CamundaReading) -> None:
    extensions = node.find(f"{{{BPMN}}}extensionElements")
    for child in extensions if extensions is not None else []:
        if isinstance(child.tag, str) and etree.QName(child).namespace == ZEEBE and _local(child) in REFUSED:
            reading.problems.append((element, "extension_refused", {"construct": f"zeebe:{_local(child)}"}))
    script = _zeebe(node, "script") if _local(node) == "scriptTask" else None
    if script is not None:
        reading.problems.append((element, "feel_script", {"value": script.get("expression", "")}))


def read_into(tree: etree._ElementTree, reading: CamundaReading, operators: Collection[str]) -> None:
    """Read the Zeebe extensions of a diagram into `reading` and translate its FEEL conditions in place."""
    root = tree.getroot()
    embedded = {str(f.get("id")): f for f in root.iter(f"{{{ZEEBE}}}userTaskForm") if f.get("id")}
    for node in root.iter(f"{{{BPMN}}}*"):
        name = _local(node)
        element = str(node.get("id") or "")
        if name in _TASKS and node.find(f"{{{BPMN}}}extensionElements/{{{ZEEBE}}}*") is not None:
            info = reading.tasks.setdefault(element, CamundaTask())
            _assignment(node, info)
            _form(node, info, embedded)
            _schedule(node, info, reading, element)
        elif name == "serviceTask" or name == "sendTask":
            _service(node, element, reading, operators)
        elif name == "conditionExpression" and is_feel(node.text):
            owner = node.getparent()
            flow = str(owner.get("id")) if owner is not None else element
            try:
                node.text = translate_feel(str(node.text))
            except FeelRefused as err:
                params = {"construct": err.construct, "value": str(node.text).strip()}
                reading.problems.append((flow, "feel_refused", params))
                node.text = "False"  # keeps the engine's parser quiet: the problem above refuses the file
            continue
        if name == "multiInstanceLoopCharacteristics" and _zeebe(node, "loopCharacteristics") is not None:
            # Zeebe's FEEL input collection: our multi-instance reads the BPMN loop data references
            owner = node.getparent()
            where = str(owner.get("id")) if owner is not None else element
            reading.problems.append((where, "extension_refused", {"construct": "zeebe:loopCharacteristics"}))
        elif element and name not in ("definitions", "extensionElements"):
            _refused(node, element, reading)


# form-js component types that hold no value (layout, text, buttons) or that we cannot show as a field
_LAYOUT = frozenset(
    {"text", "html", "image", "spacer", "separator", "button", "iframe", "table", "expression"}
)


def form_js_schema(text: str, title: str) -> tuple[dict[str, Any] | None, list[conditions.Problem]]:
    """A form-js (Camunda Forms) document as our JSON schema (None when it is not form-js JSON), with the
    problems of its fields' `conditional.hide` expressions, which become `x-visible-if` and allOf rules."""
    try:
        document = json.loads(text)
    except ValueError:
        return None, []
    if not isinstance(document, dict) or not isinstance(document.get("components"), list):
        return None, []
    props: dict[str, Any] = {}
    required: list[str] = []
    hides: dict[str, list[str]] = {}
    keys: set[str] = set()
    for component, hidden_by in _fields(document["components"], ()):
        key = str(component.get("key") or "")
        keys.add(key)
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
            continue  # a nested path (a.b) or no key: nothing we could store it under
        prop = _field(component, key)
        if prop is None:
            continue
        if _rules(component).get("required") is True:
            required.append(key)
        props[key] = prop
        if hidden_by:
            hides[key] = list(hidden_by)
    read = conditions.apply(props, required, hides, keys, translate_feel)
    schema = generated_form(title, props, required)
    if read.rules:
        schema["allOf"] = read.rules
    return schema, read.problems


def _hide(component: dict[str, Any]) -> list[str]:
    """The component's `conditional.hide` expression, if it has one (a value that is no text is kept as
    JSON, to be refused as written)."""
    conditional = component.get("conditional")
    hide = conditional.get("hide") if isinstance(conditional, dict) else None
    if hide is None or (isinstance(hide, str) and not hide.strip()):
        return []
    return [hide if isinstance(hide, str) else json.dumps(hide)]


Hidden = tuple[str, ...]  # the hide expressions over a component: its groups', then its own


def _fields(components: list[Any], hidden_by: Hidden) -> list[tuple[dict[str, Any], Hidden]]:
    """Every component of the form in order, groups opened (their children store at the top level), each
    with the hide expressions over it: its groups' first, then its own."""
    found: list[tuple[dict[str, Any], Hidden]] = []
    for component in components:
        if not isinstance(component, dict):
            continue
        hides = (*hidden_by, *_hide(component))
        if component.get("type") in ("group", "dynamiclist") and isinstance(
            component.get("components"), list
        ):
            found += _fields(component["components"], hides)
        elif component.get("type") not in _LAYOUT:
            found.append((component, hides))
    return found


def _rules(component: dict[str, Any]) -> dict[str, Any]:
    """A component's `validate` block (required, minLength, maxLength, min, max), empty when absent."""
    rules = component.get("validate")
    return rules if isinstance(rules, dict) else {}


def _three(text: str) -> dict[str, str]:
    return {"kk": text, "ru": text, "en": text}


def _choices(component: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, str]]]:
    values = [
        v for v in component.get("values") or [] if isinstance(v, dict) and v.get("value") not in (None, "")
    ]
    ids = [str(v["value"]) for v in values]
    return ids, {str(v["value"]): _three(str(v.get("label") or v["value"])) for v in values}


def _field(component: dict[str, Any], key: str) -> dict[str, Any] | None:
    kind = component.get("type")
    label = str(component.get("label") or key)
    prop: dict[str, Any] = {"title": label, "x-title": _three(label)}
    validate = _rules(component)
    if kind in ("textfield", "textarea"):
        prop |= {"type": "string", "maxLength": int(validate.get("maxLength") or 5000)}
        if validate.get("minLength"):
            prop["minLength"] = int(validate["minLength"])
        if kind == "textarea":
            prop["x-widget"] = "textarea"
    elif kind == "number":
        whole = component.get("decimalDigits") == 0
        prop |= {"type": "integer" if whole else "number"}
        for ours, theirs in (("minimum", "min"), ("maximum", "max")):
            if isinstance(validate.get(theirs), (int, float)):
                prop[ours] = validate[theirs]
    elif kind == "checkbox":
        prop |= {"type": "boolean", "x-widget": "checkbox"}
    elif kind in ("radio", "select"):
        ids, titles = _choices(component)
        if not ids:
            return None  # options filled at run time (valuesKey): nothing to offer here
        prop |= {"type": "string", "enum": ids, "x-widget": kind, "x-enum-titles": titles}
    elif kind in ("checklist", "taglist"):
        ids, titles = _choices(component)
        if not ids:
            return None
        items = {"type": "string", "enum": ids}
        prop |= {"type": "array", "items": items, "x-widget": "checkbox", "x-enum-titles": titles}
    elif kind == "datetime" and component.get("subtype", "date") == "date":
        prop |= {"type": "string", "format": "date"}
    elif kind == "datetime":
        prop |= {"type": "string", "maxLength": 100}
    else:
        return None
    default = component.get("defaultValue")
    if isinstance(default, (str, bool, int, float)) and default != "":
        prop["default"] = default
    return prop
