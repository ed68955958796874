"""Deploy problems in the reader's language: the engine gives a code and parameters, this says it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from service.domain.errors import DeployProblem

_WHAT: dict[str, Callable[[], str]] = {
    "script": lambda: _("script"),
    "pre-script": lambda: _("pre-script"),
    "post-script": lambda: _("post-script"),
    "timer": lambda: _("timer"),
    "condition of an outgoing flow": lambda: _("condition of an outgoing flow"),
    "loop condition": lambda: _("loop condition"),
    "loop cardinality": lambda: _("loop cardinality"),
    "completion condition": lambda: _("completion condition"),
}

_TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "script_refused": lambda p: _("The %(what)s is refused by the sandbox: %(reason)s", **p),
    "expression_refused": lambda p: _("The %(what)s is refused by the sandbox: %(reason)s", **p),
    "expression_empty": lambda p: _("The %(what)s is empty.", **p),
    "no_lane": lambda p: _("The task «%(task)s» is not in a lane that names a role.", **p),
    "unknown_role": lambda p: _(
        "The lane «%(lane)s» names «%(role)s», which is not a role of the school.", **p
    ),
    "unknown_start_role": lambda p: _("The start event's lane names «%(role)s», which is not a role.", **p),
    "no_form": lambda p: _("The task «%(task)s» has no form; choose one in the properties.", **p),
    "missing_form": lambda p: _("The form «%(form)s» does not exist.", **p),
    "bad_form": lambda p: _("The form «%(form)s» is not valid: %(reason)s", **p),
    "bad_assign_to": lambda p: _("«Assign to» must name a data variable, not «%(value)s».", **p),
    "bad_due_on": lambda p: _("«Due on» must name a data variable holding a date, not «%(value)s».", **p),
    "bad_due_in": lambda p: _(
        "The deadline «%(value)s» is not a duration such as P3D (3 days) or PT48H.", **p
    ),
    "bad_timer": lambda p: _("The timer «%(value)s» is not a duration such as P3D (3 days) or PT48H.", **p),
    "unknown_operator": lambda p: _("«%(operator)s» is not a registered service-task operator.", **p),
    "reserved_id": lambda p: _("The id «%(id)s» is reserved by the engine; rename the element.", **p),
    "no_process": lambda p: _("The file defines no process."),
    "several_processes": lambda p: _("The file must have exactly one top-level process."),
    "too_large": lambda p: _("The file is too large."),
    "doctype": lambda p: _("A DOCTYPE (DTD or entity declarations) is not allowed in a diagram."),
    "entity": lambda p: _("Entity references are not allowed in a diagram."),
    "not_xml": lambda p: _("The file is not well-formed XML: %(reason)s", **p),
    "invalid": lambda p: _("The diagram is not valid BPMN: %(reason)s", **p),
}


def problem_text(problem: DeployProblem) -> str:
    """The problem in the current language; the English message when its code is unknown."""
    render = _TEXTS.get(problem.code)
    if render is None:
        return problem.message
    params = {k: str(v) for k, v in problem.params.items()}
    if "what" in params and params["what"] in _WHAT:
        params["what"] = _WHAT[params["what"]]()
    elif "what" in params and params["what"].startswith("parameter "):
        params["what"] = _("parameter %(name)s", name=params["what"].removeprefix("parameter ").strip("'"))
    try:
        return render(params)
    except KeyError:
        return problem.message


def problem_rows(problems: list[DeployProblem]) -> list[dict[str, Any]]:
    """The API's {"element", "line", "message"} plus the translated text for the editor."""
    return [
        {"element": p.element, "line": p.line, "message": p.message, "code": p.code, "text": problem_text(p)}
        for p in problems
    ]
