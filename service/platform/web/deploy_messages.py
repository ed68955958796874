"""Deploy problems in the reader's language: the engine gives a code and parameters, this says it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from service.platform.errors import DeployProblem
from service.platform.processes.deploy import DeployWarning
from service.platform.roles import ROLES, role_name
from service.platform.web.form_messages import form_problem_from_params, form_problem_text
from service.platform.web.i18n import current_language

_WHAT: dict[str, LazyString] = {
    "script": lazy_gettext("script"),
    "pre-script": lazy_gettext("pre-script"),
    "post-script": lazy_gettext("post-script"),
    "timer": lazy_gettext("timer"),
    "condition of an outgoing flow": lazy_gettext("condition of an outgoing flow"),
    "loop condition": lazy_gettext("loop condition"),
    "loop cardinality": lazy_gettext("loop cardinality"),
    "completion condition": lazy_gettext("completion condition"),
}

_TEXTS: dict[str, LazyString] = {
    "script_refused": lazy_gettext("The %(what)s is refused by the sandbox: %(reason)s"),
    "expression_refused": lazy_gettext("The %(what)s is refused by the sandbox: %(reason)s"),
    "expression_empty": lazy_gettext("The %(what)s is empty."),
    "no_lane": lazy_gettext(
        "The task «%(task)s» waits for a person but is not in a lane that names a role, so nobody could "
        "do it. Put it in a lane named after a role."
    ),
    "unknown_role": lazy_gettext(
        "The lane «%(lane)s» names «%(role)s», which is not a role of the school. Name the lane after "
        "one of the roles: %(roles)s."
    ),
    "unknown_start_role": lazy_gettext("The start event's lane names «%(role)s», which is not a role."),
    "no_form": lazy_gettext("The task «%(task)s» has no form; choose one in the properties."),
    "missing_form": lazy_gettext("The form «%(form)s» does not exist."),
    "bad_form": lazy_gettext("The form «%(form)s» is not valid: %(reason)s"),
    "bad_assign_to": lazy_gettext("«Assign to» must name a data variable, not «%(value)s»."),
    "bad_due_on": lazy_gettext("«Due on» must name a data variable holding a date, not «%(value)s»."),
    "bad_due_in": lazy_gettext("The deadline «%(value)s» is not a duration such as P3D (3 days) or PT48H."),
    "bad_timer": lazy_gettext(
        "The timer «%(value)s» is not valid: write a duration such as P3D (3 days) or PT48H, a date such "
        "as 2026-05-01T09:00:00+05:00, or a cycle such as R3/P1D."
    ),
    "message_never_sent": lazy_gettext(
        "«%(name)s» waits for the message «%(event)s», but nothing in this diagram sends it and the "
        "service cannot receive messages from outside, so the process would wait forever. Remove the "
        "event or send the message from a throw event of this diagram."
    ),
    "signal_never_sent": lazy_gettext(
        "«%(name)s» waits for the signal «%(event)s», but nothing in this diagram throws it, so the "
        "process would wait forever. Remove the event or throw the signal in this diagram."
    ),
    "start_waits": lazy_gettext(
        "The process would start by waiting at «%(name)s» for a message or signal nobody can send. "
        "Use a plain start event (or a timer start event)."
    ),
    "parallel_start": lazy_gettext(
        "«%(name)s» waits for several events at once (parallel multiple), which cannot be delivered "
        "here. Use a plain start event."
    ),
    "business_rule": lazy_gettext(
        "«%(name)s» is a business-rule (DMN) task, but no decision tables run here. Use a script task "
        "or a gateway with conditions instead."
    ),
    "data_store": lazy_gettext(
        "«%(name)s» reads or writes a data store, which this service does not keep. Remove the data "
        "store association (a data object inside the process works)."
    ),
    "not_executable": lazy_gettext(
        'The process is marked as not executable. Set isExecutable="true" on the process (the '
        "«Executable» checkbox in Camunda Modeler and bpmn.io) and deploy again."
    ),
    "java_service": lazy_gettext(
        "The service task runs Java code or calls out (%(kind)s «%(value)s»), which this service cannot "
        "do. Choose one of our operators instead: %(operators)s."
    ),
    "juel_refused": lazy_gettext(
        "The condition %(value)s uses «%(construct)s», which cannot be translated. Write it with "
        "variables, quoted texts, numbers, ==, !=, <, >, &&, || and !, e.g. ${decision == 'approve'}."
    ),
    "bad_assignee": lazy_gettext(
        "The assignee «%(value)s» is neither a username nor ${variable} naming one."
    ),
    "feel_refused": lazy_gettext(
        "The expression %(value)s uses «%(construct)s», which cannot be translated. Write it with "
        "variables, quoted texts, numbers, =, !=, <, >, <=, >=, and, or and not(…), "
        'e.g. =decision = "approve".'
    ),
    "job_worker": lazy_gettext(
        "The service task waits for a Camunda 8 job worker of type «%(value)s», which does not run here. "
        "Set its type to one of our operators: %(operators)s."
    ),
    "feel_script": lazy_gettext(
        "The script task computes the FEEL expression «%(value)s», which is not run here. Write the script "
        "in Python in the script task's text instead."
    ),
    "extension_refused": lazy_gettext(
        "The element uses the Camunda extension «%(construct)s», which this service does not run. Remove "
        "it in Camunda Modeler's properties panel and deploy again."
    ),
    "bad_feel_assignee": lazy_gettext(
        "«%(value)s» names neither a username, a list of roles nor a variable (=name) holding a username."
    ),
    "several_candidate_users": lazy_gettext(
        "The task is offered to several people by name («candidateUsers»: «%(users)s»), but here a task "
        "goes either to one person or to everyone who holds a role. Use a role instead («candidateGroups» "
        "or a lane named after the role), or give the task to one person («assignee»)."
    ),
    "candidate_users_and_assignee": lazy_gettext(
        "The task is given to its assignee and also offered to «%(users)s» («candidateUsers»), but here "
        "a task given to a person stays with that person. Keep only the assignee, or use a role "
        "(«candidateGroups» or a lane) for everyone who may do it."
    ),
    "candidate_users_and_groups": lazy_gettext(
        "The task is offered both to «%(user)s» by name («candidateUsers») and to the roles "
        "«%(groups)s» («candidateGroups»), but here a task goes either to one person or to everyone who "
        "holds its roles. Remove «candidateUsers» to leave it to the roles, or «candidateGroups» to give "
        "it to that person."
    ),
    "bad_candidate_users": lazy_gettext(
        "The candidate users «%(value)s» would be computed only when the process runs, so nobody can "
        "check here who they are. Name one user by username, give the task to the user a variable holds "
        "(«assignee»), or use a role («candidateGroups» or a lane)."
    ),
    "bad_form_js": lazy_gettext(
        "The embedded form «%(form)s» is not a Camunda Forms document; open it in Camunda Modeler and save "
        "it again, or link a form of this service by its key."
    ),
    "form_hide_feel": lazy_gettext(
        "The field «%(field)s» is hidden by the condition «%(value)s», which uses «%(construct)s». A "
        "condition that hides a field can only compare choice, yes/no or whole-number fields of the same "
        "form with their values («=», «!=», «<», «>», «<=», «>=», «and», «or», «not(…)»), e.g. "
        '«=decision = "approve"».'
    ),
    "form_hide_unknown_field": lazy_gettext(
        "The field «%(field)s» is hidden by the condition «%(value)s», which names «%(other)s», but this "
        "form has no such field. A condition can name only fields of the same form, not process data; "
        "correct the key in Camunda Modeler."
    ),
    "form_hide_open_field": lazy_gettext(
        "The field «%(field)s» is hidden by the condition «%(value)s» on «%(other)s», which has no fixed "
        "list of values (free text, a date, a number without narrow limits, several choices, or options "
        "filled while the process runs). Here a field can be hidden only by a choice with fixed options, a "
        "checkbox, or a whole number with a minimum and a maximum and at most 50 values."
    ),
    "form_hide_bad_value": lazy_gettext(
        "The field «%(field)s» is hidden by the condition «%(value)s», which compares «%(other)s» with "
        "«%(literal)s», a value that field never has (its values: «%(values)s»), so the condition would "
        "never change. Correct the value in the condition."
    ),
    "form_hide_inexact": lazy_gettext(
        "The field «%(field)s» is hidden by the condition «%(value)s», which cannot be said here as «shown "
        "while each named field has one of these values»: for example, a condition on two fields joined by "
        "«and», or one that shows the field only while another field is still empty. Write it as "
        'comparisons joined by «or», each on one field, e.g. «=decision = "approve" or not(agreed)».'
    ),
    "form_hide_cycle": lazy_gettext(
        "The conditions that hide fields depend on each other in a circle («%(chain)s»), so none of these "
        "fields could be shown first. Let one of them depend on a field that has no condition."
    ),
    "xsd": lazy_gettext(
        "Line %(line)s («%(name)s»): the file does not follow the BPMN 2.0 standard here. Open the "
        "diagram in the editor and draw or correct this element; the technical detail is in English "
        "in the message."
    ),
    "unknown_user": lazy_gettext(
        "The task is assigned to «%(user)s», who has no active account here. Name an existing username "
        "or use candidateGroups (a role) instead."
    ),
    "unknown_operator": lazy_gettext("«%(operator)s» is not a registered service-task operator."),
    "reserved_id": lazy_gettext("The id «%(id)s» is reserved by the engine; rename the element."),
    "no_process": lazy_gettext("The file defines no process."),
    "several_processes": lazy_gettext(
        "Besides the process «%(first)s», this file has another executable process: «%(name)s». One file "
        "deploys one process. Deploy each pool (participant) as its own file, or keep «%(name)s» as an "
        "outside party: turn it into an empty (collapsed) pool, or switch off «Executable» on it "
        '(«isExecutable="false"»).'
    ),
    "too_large": lazy_gettext("The file is too large."),
    "doctype": lazy_gettext("A DOCTYPE (DTD or entity declarations) is not allowed in a diagram."),
    "entity": lazy_gettext("Entity references are not allowed in a diagram."),
    "xsd_attribute_unknown": lazy_gettext(
        "The element «%(name)s» («%(tag)s») has the attribute «%(attribute)s», which BPMN 2.0 "
        "does not know. Remove it or move it into extensionElements."
    ),
    "xsd_attribute_missing": lazy_gettext(
        "The element «%(name)s» («%(tag)s») lacks the required attribute «%(attribute)s». Add it "
        "in the editor."
    ),
    "xsd_attribute_value": lazy_gettext(
        "The attribute «%(attribute)s» of «%(name)s» has the value «%(value)s», which the "
        "standard does not allow there (an id starts with a letter and has no spaces)."
    ),
    "xsd_text_value": lazy_gettext(
        "The text «%(value)s» inside «%(name)s» («%(tag)s») is not a value the standard allows there."
    ),
    "xsd_unexpected": lazy_gettext(
        "Line %(line)s: the element «%(tag)s» may not stand at this place of «%(name)s» (wrong "
        "order or wrong container). Redraw it in the editor."
    ),
    "xsd_missing_child": lazy_gettext(
        "The element «%(name)s» («%(tag)s») lacks a part the standard requires inside it. Open it "
        "in the editor and complete it."
    ),
    "xsd_text_not_allowed": lazy_gettext(
        "The element «%(name)s» («%(tag)s») contains text where the standard allows none. Remove the text."
    ),
    "xsd_duplicate_id": lazy_gettext(
        "The id «%(value)s» is used by two elements; every id must be unique. Rename one of them."
    ),
    "xsd_no_target": lazy_gettext(
        "«%(name)s» refers to «%(value)s», which is not in the file. Reconnect it in the editor."
    ),
    "no_start": lazy_gettext(
        "The process «%(name)s» has no start event. Draw one (a thin circle) where the work begins."
    ),
    "flow_without_condition": lazy_gettext(
        "The flow «%(name)s» leaves an exclusive gateway without a condition and is not its "
        "default. Give it a condition or mark it as the gateway's default."
    ),
    "empty_script": lazy_gettext(
        "The script task «%(name)s» has no script. Write one, or make it a plain task."
    ),
    "subprocess_no_end": lazy_gettext("The subprocess «%(name)s» has no end event. Draw one inside it."),
    "adhoc_events": lazy_gettext(
        "The free-order subprocess «%(name)s» may not contain start or end events. Remove them."
    ),
    "adhoc_sequential": lazy_gettext(
        "The free-order subprocess «%(name)s» is set to sequential ordering, which is not "
        "supported here; set it to parallel."
    ),
    "unsupported_element": lazy_gettext(
        "The element «%(name)s» is of a kind this service cannot run. Replace it with a task, a "
        "gateway or an event from the editor's palette."
    ),
    "bad_timer_text": lazy_gettext(
        "The timer of «%(name)s» cannot be read. Write a duration such as P3D (3 days), a date "
        "such as 2026-05-01T09:00:00+05:00, or a cycle such as R3/P1D."
    ),
    "conditional_no_condition": lazy_gettext("The conditional event «%(name)s» has no condition. Write one."),
    "missing_reference": lazy_gettext(
        "«%(name)s» refers to a message, signal, error or escalation that the file does not "
        "define. Choose or create it in the editor."
    ),
    "bad_output_expression": lazy_gettext(
        "An output of «%(name)s» is written wrongly. Correct its expression."
    ),
    "missing_called_process": lazy_gettext(
        "A call activity calls the process «%(value)s», which is not deployed here. Deploy that "
        "process first, or correct the called element."
    ),
    "missing_data_object": lazy_gettext("«%(name)s» refers to a data object that the file does not define."),
    "invalid": lazy_gettext(
        "The engine cannot read the element «%(name)s». Open it in the editor and redraw it; the "
        "technical detail (in English) is in the problem's message."
    ),
    "not_xml": lazy_gettext(
        "Line %(line)s: the file is not well-formed XML. Open it in a modeler and save it again."
    ),
    "xml_tag_mismatch": lazy_gettext(
        "Line %(line)s: the tag «%(tag)s» is closed by «%(other)s». The file is damaged; save it "
        "again from the modeler."
    ),
    "xml_truncated": lazy_gettext(
        "Line %(line)s: the file ends in the middle of an element, so it was cut off. Save it "
        "again from the modeler."
    ),
    "xml_extra_content": lazy_gettext(
        "Line %(line)s: there is content after the end of the diagram. Remove it or save the file again."
    ),
    "xml_not_xml": lazy_gettext(
        "The file is not an XML diagram (perhaps a picture or a PDF). Upload the .bpmn file that "
        "the modeler saved."
    ),
    "xml_attribute_twice": lazy_gettext(
        "Line %(line)s: the attribute «%(attribute)s» is written twice in one element."
    ),
    "xml_attribute_syntax": lazy_gettext(
        "Line %(line)s: an attribute is written wrongly (its value must stand in quotes)."
    ),
    "xml_ampersand": lazy_gettext("Line %(line)s: a lone «&» stands in a text; write it as «&amp;»."),
    "xml_unknown_prefix": lazy_gettext(
        "Line %(line)s: the prefix «%(prefix)s» is used without declaring its namespace."
    ),
    "xml_characters": lazy_gettext(
        "Line %(line)s: the file contains characters that are not valid in its encoding. Save it as UTF-8."
    ),
    "xml_duplicate_id": lazy_gettext(
        "Line %(line)s: the id «%(value)s» is used twice; every id must be unique."
    ),
    "cancel_outside_transaction": lazy_gettext(
        "«%(name)s» is a cancel event, which may only stand in a transaction subprocess. Use an "
        "end or error event instead."
    ),
    "multi_instance_input": lazy_gettext(
        "The repeated task «%(name)s» must say how many times it runs: either a number "
        "(cardinality) or a list to go through, not both and not neither."
    ),
    "loop_without_condition": lazy_gettext(
        "The loop task «%(name)s» needs a loop condition or a maximum number of rounds."
    ),
    "service_without_operator": lazy_gettext(
        "The service task «%(name)s» names no operator. Choose one of the operators in the editor's panel."
    ),
}


_WHOLE_FILE = lazy_gettext(
    "The engine cannot read this diagram. Open it in the editor and save it again; the technical "
    "detail (in English) is in the problem's message."
)
# Codes whose text says the cause in general words: English readers also get the library's sentence.
_ENGLISH_DETAIL = frozenset({"invalid", "not_xml", "xsd"})


def problem_text(problem: DeployProblem) -> str:
    """The problem in the current language; the English message when its code is unknown."""
    template = _TEXTS.get(problem.code)
    if template is None:
        return problem.message
    params = {k: str(v) for k, v in problem.params.items()}
    params.setdefault("name", problem.element or "")
    params.setdefault("line", str(problem.line or "?"))
    if problem.code == "invalid" and not params["name"]:
        template = _WHOLE_FILE
    form_problem = form_problem_from_params(problem.params, "reason_")
    if form_problem is not None:
        params["reason"] = form_problem_text(form_problem)
    if "what" in params and params["what"] in _WHAT:
        params["what"] = str(_WHAT[params["what"]])
    elif "what" in params and params["what"].startswith("parameter "):
        params["what"] = _("parameter %(name)s", name=params["what"].removeprefix("parameter ").strip("'"))
    if problem.code == "unknown_role":
        lang = current_language()
        params["roles"] = "; ".join(f"{role_name(r.code, lang)} ({r.code})" for r in ROLES)
    try:
        text = str(template)
        text = text % params if params else text
    except KeyError:
        return problem.message
    suggestion = problem.params.get("suggestion")
    if problem.code == "unknown_role" and suggestion:
        closest = f"{role_name(str(suggestion), current_language())} ({suggestion})"
        text += " " + _("The closest is «%(role)s».", role=closest)
    if problem.code in _ENGLISH_DETAIL and params.get("reason") and current_language() == "en":
        text += f" ({params['reason']})"  # the library's own words, useful only to an English reader
    return text


def problem_rows(problems: list[DeployProblem]) -> list[dict[str, Any]]:
    """The API's {"element", "line", "message"} plus the translated text for the editor."""
    return [
        {"element": p.element, "line": p.line, "message": p.message, "code": p.code, "text": problem_text(p)}
        for p in problems
    ]


_WARNINGS: dict[str, LazyString] = {
    "role_unheld": lazy_gettext(
        "Nobody active here holds the role «%(role)s», so these steps would wait with nobody to do them: "
        "%(tasks)s. Give the role to someone on the users page; the diagram can be deployed all the same."
    ),
}


# The same warnings about one school of the region (a publication), for the region's administrator.
_SCHOOL_WARNINGS: dict[str, LazyString] = {
    "role_unheld": lazy_gettext(
        "In %(school)s nobody active holds the role «%(role)s», so these steps would wait with nobody to "
        "do them: %(tasks)s. The school's admin can give the role to someone on the school's users page."
    ),
}


def warning_text(warning: DeployWarning, school: str | None = None) -> str:
    """The warning in the current language: the role by its name, the steps by theirs; with `school`,
    as the region's administrator reads it about that school."""
    template = (_SCHOOL_WARNINGS if school is not None else _WARNINGS).get(warning.code)
    if template is None:
        return warning.message
    tasks = ", ".join(f"«{name}»" for _, name in warning.tasks)
    role = role_name(warning.role, current_language())
    return str(template) % {"role": role, "tasks": tasks, "school": school}


def warning_rows(warnings: Iterable[DeployWarning], school: str | None = None) -> list[dict[str, Any]]:
    """Warnings as the editor and the API send them: on the first affected step (`element`), with every
    step, the role's code and name, the English `message` and the `text` in the reader's language."""
    lang = current_language()
    return [
        {
            "code": w.code,
            "element": w.tasks[0][0] if w.tasks else None,
            "role": w.role,
            "role_name": role_name(w.role, lang),
            "tasks": [{"id": bpmn_id, "name": name} for bpmn_id, name in w.tasks],
            "message": w.message,
            "text": warning_text(w, school),
        }
        for w in warnings
    ]
