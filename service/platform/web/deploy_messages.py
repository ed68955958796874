"""Deploy problems in the reader's language: the engine gives a code and parameters, this says it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from service.platform.errors import DeployProblem
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
        "The process is marked as not executable. Set isExecutable=\"true\" on the process (the "
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
    "several_processes": lazy_gettext("The file must have exactly one top-level process."),
    "too_large": lazy_gettext("The file is too large."),
    "doctype": lazy_gettext("A DOCTYPE (DTD or entity declarations) is not allowed in a diagram."),
    "entity": lazy_gettext("Entity references are not allowed in a diagram."),
    "not_xml": lazy_gettext("The file is not well-formed XML: %(reason)s"),
    "invalid": lazy_gettext("The diagram is not valid BPMN: %(reason)s"),
}


def problem_text(problem: DeployProblem) -> str:
    """The problem in the current language; the English message when its code is unknown."""
    template = _TEXTS.get(problem.code)
    if template is None:
        return problem.message
    params = {k: str(v) for k, v in problem.params.items()}
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
    return text


def problem_rows(problems: list[DeployProblem]) -> list[dict[str, Any]]:
    """The API's {"element", "line", "message"} plus the translated text for the editor."""
    return [
        {"element": p.element, "line": p.line, "message": p.message, "code": p.code, "text": problem_text(p)}
        for p in problems
    ]
