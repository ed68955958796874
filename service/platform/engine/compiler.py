"""Deploy-time compilation: parse with XSD validation and refuse anything that would fail at run time."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask, MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.spiff.parser.process import VALIDATOR as SPIFF_VALIDATOR
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from service.platform.engine import camunda, pools, zeebe
from service.platform.engine.lanes import read_lane
from service.platform.engine.problems import (
    STRANDED,
    TASK_MESSAGES,
    camunda_problems,
    schema_problems,
    validation_problem,
)
from service.platform.engine.properties import form_key_of, task_properties
from service.platform.engine.routing import TaskRoute, task_routes
from service.platform.engine.sandbox import ScriptRefused, compile_expression, compile_script
from service.platform.engine.serialization import dump_specs
from service.platform.engine.stranding import strandings
from service.platform.engine.timers import literal_string, quote_bare_value, timer_value_problem
from service.platform.engine.xmlsafe import UnsafeXml, line_of, parse_untrusted
from service.platform.errors import DeployProblem, InvalidBpmn
from service.platform.forms.checks import form_definition_problems

log = logging.getLogger(__name__)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED_IDS = ("Start", "End")
# A task that waits for a person but names no form (every plain bpmn.io task) gets this built-in one.
DONE_FORM = "done"


@dataclass(frozen=True)
class CompiledDefinition:
    """What a deploy stores: the primary process, its serialized specs and what it refers to."""

    process_id: str
    name: str
    spec_json: str
    form_keys: tuple[str, ...]
    start_roles: tuple[str, ...]
    called_processes: tuple[str, ...] = field(default_factory=tuple)
    # Forms made from Camunda's formData, stored with the version like any snapshot form.
    generated_forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Usernames the diagram assigns tasks to (Camunda's assignee="…"), by task id: checked against
    # the accounts by the caller, which has the database.
    assigned_users: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # Every user or manual task of this file and where the engine will send its work (roles, a person).
    task_routes: tuple[TaskRoute, ...] = field(default_factory=tuple)

    @property
    def task_roles(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Task id → the role codes its work is sent to, as `runner.EngineTask.roles` will be."""
        return tuple((route.bpmn_id, route.roles) for route in self.task_routes)


@lru_cache(maxsize=1)
def _validator() -> Any:
    return SPIFF_VALIDATOR


class _Checker:
    """Collects every problem of one diagram instead of stopping at the first."""

    def __init__(
        self,
        tree: etree._ElementTree,
        forms: Mapping[str, Mapping[str, Any]],
        known_roles: Collection[str],
        operators: Collection[str],
        suggestion_sources: Collection[str] | None = None,
    ) -> None:
        self.tree = tree
        self.forms = forms
        self.known_roles = set(known_roles)
        self.operators = set(operators)
        self.suggestion_sources = suggestion_sources
        self.camunda = camunda.CamundaReading()
        self.generated_forms: dict[str, dict[str, Any]] = {}
        self.assigned_users: list[tuple[str, str]] = []
        self.problems: list[DeployProblem] = []
        self.form_keys: set[str] = set()
        self._lanes_read: dict[str, list[str] | None] = {}

    def add(
        self, element: str | None, message: str, line: int | None = None, code: str = "", **params: Any
    ) -> None:
        self.problems.append(
            DeployProblem(
                message,
                element,
                line or line_of(self.tree, element),
                code,
                {k: str(v) for k, v in params.items()},
            )
        )

    def script(self, element: str, source: str | None, what: str) -> None:
        if source is None:
            return
        try:
            compile_script(source)
        except ScriptRefused as err:
            base = line_of(self.tree, element)
            self.add(element, f"{what}: {err}", base, "script_refused", what=what, reason=err)

    def expression(self, element: str, source: str | None, what: str) -> None:
        if source is None or not str(source).strip():
            self.add(element, f"{what}: the expression is empty", code="expression_empty", what=what)
            return
        try:
            compile_expression(str(source))
        except ScriptRefused as err:
            self.add(element, f"{what}: {err}", code="expression_refused", what=what, reason=err)

    def check_task(self, spec: Any) -> None:
        bpmn_id = getattr(spec, "bpmn_id", None) or spec.name
        if getattr(spec, "lane", None):
            codes = self.lane_roles(bpmn_id, spec.lane)
            if codes:
                # The engine and the inbox read role codes: a lane named in words is stored as its codes.
                spec.lane = ",".join(codes)
        if getattr(spec, "manual", False) and not isinstance(spec, SubWorkflowTask):
            self._human_task(spec, bpmn_id)
        if isinstance(spec, ScriptTask):
            self.script(bpmn_id, spec.script, "script")
        for attr, label in (("prescript", "pre-script"), ("postscript", "post-script")):
            source = getattr(spec, attr, None)
            if source:
                self.script(bpmn_id, source, label)
        if isinstance(spec, ServiceTask):
            self._service_task(spec, bpmn_id)
        if isinstance(spec, (ExclusiveGateway, InclusiveGateway)):
            for condition, _target in spec.cond_task_specs:
                if condition is not None:
                    # Spiff wraps the expression in an operator whose first argument is the source.
                    source = condition.args[0] if getattr(condition, "args", None) else condition
                    self.expression(bpmn_id, str(source), "condition of an outgoing flow")
        if isinstance(spec, LoopTask) and spec.condition:
            self.expression(bpmn_id, spec.condition, "loop condition")
        if isinstance(spec, MultiInstanceTask):
            if spec.cardinality:
                self.expression(bpmn_id, spec.cardinality, "loop cardinality")
            if spec.condition:
                self.expression(bpmn_id, spec.condition, "completion condition")
        if isinstance(spec, CatchingEvent) and isinstance(spec.event_definition, TimerEventDefinition):
            self._timer(bpmn_id, spec.event_definition)

    def lane_roles(self, bpmn_id: str, lane: str) -> list[str] | None:
        """The role codes a lane names; None (and one problem per lane) when a part names no role."""
        if lane in self._lanes_read:
            return self._lanes_read[lane]
        codes: list[str] | None = []
        for part in read_lane(lane):
            if part.code is not None and part.code in self.known_roles:
                if codes is not None and part.code not in codes:
                    codes.append(part.code)
                continue
            codes = None
            hint = f" (closest: {part.suggestion})" if part.suggestion else ""
            self.add(
                self._lane_id(lane) or bpmn_id,
                f"lane '{lane}' names '{part.text}', which is not a role{hint}",
                code="unknown_role",
                lane=lane,
                role=part.text,
                suggestion=part.suggestion or "",
            )
        self._lanes_read[lane] = codes
        return codes

    def _lane_id(self, name: str) -> str | None:
        for lane in self.tree.iter("{*}lane"):
            if lane.get("name") == name and lane.get("id"):
                return str(lane.get("id"))
        return None

    def _camunda_task(self, spec: Any, bpmn_id: str) -> None:
        """Camunda's candidateGroups, assignee (or one candidate user), formKey and formData, as our lane,
        assignUser / assignTo and form."""
        info = self.camunda.tasks.get(bpmn_id)
        if info is None:
            return
        props = spec.extensions.setdefault("properties", {})
        if info.candidate_groups:
            codes = self.lane_roles(bpmn_id, ",".join(info.candidate_groups))
            if codes:
                spec.lane = ",".join(codes)  # the task's own groups win over its lane
        if info.assignee:
            props.setdefault("assignUser", info.assignee)
            self.assigned_users.append((bpmn_id, info.assignee))
        if info.assignee_variable:
            props.setdefault("assignTo", info.assignee_variable)
        for name, value in info.properties.items():
            props.setdefault(name, value)
        for code, params in info.problems:
            message = TASK_MESSAGES[code].format(**params)
            self.problems.append(DeployProblem(message, bpmn_id, line_of(self.tree, bpmn_id), code, params))
        if form_key_of(spec) is not None:
            return
        if info.form is not None:
            key = "camunda_" + re.sub(r"[^a-z0-9_]", "_", bpmn_id.lower())[:80]
            self.generated_forms[key] = info.form
            self.forms = {**self.forms, key: info.form}
            props["formJsonSchemaFilename"] = f"{key}.json"
        elif info.form_key:
            props["formJsonSchemaFilename"] = f"{info.form_key}.json"

    def _human_task(self, spec: Any, bpmn_id: str) -> None:
        label = spec.bpmn_name or bpmn_id
        self._camunda_task(spec, bpmn_id)
        props = task_properties(spec)
        if not spec.lane and not props.get("assignTo") and not props.get("assignUser"):
            self.add(
                bpmn_id,
                f"task '{label}' waits for a person but is in no lane naming a role: nobody could do it",
                code="no_lane",
                task=label,
            )
        key = form_key_of(spec)
        if key is None:
            # The built-in confirmation form; stored in the spec so the inbox and the task page see it.
            spec.extensions.setdefault("properties", {})["formJsonSchemaFilename"] = f"{DONE_FORM}.json"
            key = DONE_FORM
        if key not in self.forms:
            self.add(bpmn_id, f"form '{key}' does not exist in forms/", code="missing_form", form=key)
        else:
            self.form_keys.add(key)
            for problem in form_definition_problems(self.forms[key], self.suggestion_sources):
                # the form problem's own code and parameters ride along, so the reason is translated too
                params = {"form": key, "reason": problem.message, "reason_code": problem.code}
                params |= {f"reason_{k}": v for k, v in problem.params.items()}
                message = f"form '{key}': {problem.message}"
                self.problems.append(
                    DeployProblem(message, bpmn_id, line_of(self.tree, bpmn_id), "bad_form", params)
                )
        assign_to = props.get("assignTo")
        if assign_to is not None and not _IDENTIFIER.match(assign_to):
            self.add(
                bpmn_id,
                f"assignTo must name a data variable, not '{assign_to}'",
                code="bad_assign_to",
                value=assign_to,
            )
        due_on = props.get("dueOn")
        if due_on is not None and not _IDENTIFIER.match(due_on):
            self.add(
                bpmn_id,
                f"dueOn must name a data variable holding a date, not '{due_on}'",
                code="bad_due_on",
                value=due_on,
            )
        due_in = props.get("dueIn")
        if due_in is not None:
            try:
                TimerEventDefinition.parse_iso_duration(due_in)
                if not due_in.upper().startswith("P"):
                    raise ValueError
            except Exception:
                self.add(
                    bpmn_id,
                    f"dueIn '{due_in}' is not an ISO 8601 duration such as P3D or PT48H",
                    code="bad_due_in",
                    value=due_in,
                )

    def _service_task(self, spec: Any, bpmn_id: str) -> None:
        name = getattr(spec, "operation_name", None)
        java = any(element == bpmn_id for element, _, _ in self.camunda.problems)
        if name not in self.operators and not java:
            known = ", ".join(sorted(self.operators))
            self.add(
                bpmn_id,
                f"unknown service-task operator '{name}' (known: {known})",
                code="unknown_operator",
                operator=name,
            )
        for param, value in (getattr(spec, "operation_params", None) or {}).items():
            self.expression(bpmn_id, value.get("value"), f"parameter '{param}'")

    def _timer(self, bpmn_id: str, definition: TimerEventDefinition) -> None:
        quote_bare_value(definition)
        source = definition.expression
        literal = literal_string(source)
        if literal is None and source and str(source).strip():
            try:
                compile_expression(str(source))
                return  # computed from task data; checked when the data is validated
            except ScriptRefused:
                literal = str(source).strip()  # "2 days": neither a value nor an expression
        elif literal is None:
            self.add(bpmn_id, "timer: the expression is empty", code="expression_empty", what="timer")
            return
        if timer_value_problem(definition, literal) is not None:
            kind = _TIMER_KINDS.get(type(definition), "value")
            self.add(
                bpmn_id,
                f"timer value '{literal}' is not a valid ISO 8601 {kind}",
                code="bad_timer",
                value=literal,
                kind=kind,
            )


_TIMER_KINDS: dict[type, str] = {
    DurationTimerEventDefinition: "duration",
    TimeDateEventDefinition: "date",
    CycleTimerEventDefinition: "cycle",
}


def _refusal(
    err: ValidationException,
    tree: etree._ElementTree,
    reading: camunda.CamundaReading,
    operators: Collection[str],
) -> InvalidBpmn:
    """The library's refusal together with what Camunda's constructs tell (they say more about the
    same element: a Java service task is "has no operator" to the library)."""
    element = getattr(err, "id", None)
    line = getattr(err, "line_number", None) or line_of(tree, element)
    ours = camunda_problems(tree, reading, operators)
    covered = element in {p.element for p in ours}
    return InvalidBpmn(ours + ([] if covered else [validation_problem(err, element, line, tree)]))


def _parse(
    xml: bytes, filename: str, library: Mapping[str, bytes], operators: Collection[str], validate: bool
) -> tuple[Any, etree._ElementTree, camunda.CamundaReading]:
    tree = parse_untrusted(xml)
    # Before the engine's parser: JUEL conditions become expressions in the tree it reads.
    reading = camunda.read(tree)
    zeebe.read_into(tree, reading, operators)
    for info in reading.tasks.values():
        camunda.settle_candidate_users(info)  # once both dialects are read: one candidate is the assignee
    parser = SpiffBpmnParser(validator=_validator() if validate else None)
    try:
        parser.add_bpmn_xml(tree, filename)
    except ValidationException as err:
        raise _refusal(err, tree, reading, operators) from None
    own_ids = set(parser.get_process_ids())
    for other_name, other_xml in library.items():
        other_tree = parse_untrusted(other_xml)
        other_ids = {p.get("id") for p in other_tree.iter("{*}process")}
        if other_ids & own_ids:
            continue  # an older version of a process this file redefines
        parser.add_bpmn_xml(other_tree, other_name)
    return parser, tree, reading


def compile_definition(
    xml: bytes,
    filename: str,
    *,
    forms: Mapping[str, Mapping[str, Any]],
    known_roles: Collection[str],
    operators: Collection[str],
    library: Mapping[str, bytes] | None = None,
    suggestion_sources: Collection[str] | None = None,
) -> CompiledDefinition:
    """Check one BPMN file completely and return what to store, or raise InvalidBpmn with every problem.

    `library` holds the XML of the other deployed processes, so call activities can be resolved. A file
    that breaks the BPMN schema is refused with every schema problem and, as far as the engine can
    still read it, every problem of ours: all at once, not one per attempt.
    """
    args = (forms, known_roles, operators, library or {}, suggestion_sources)
    try:
        schema = schema_problems(parse_untrusted(xml), _validator())
    except UnsafeXml as err:
        raise InvalidBpmn([err.problem]) from None
    if not schema:
        return _compile_definition(xml, filename, *args, validate=True)
    try:
        _compile_definition(xml, filename, *args, validate=False)
    except InvalidBpmn as err:
        raise InvalidBpmn(schema + [p for p in err.problems if p.code != "invalid"]) from None
    except Exception as err:
        # The engine cannot read the file without the schema either: the schema's problems say why.
        log.info("unreadable without the schema: %s", err)
    raise InvalidBpmn(schema)


def _compile_definition(
    xml: bytes,
    filename: str,
    forms: Mapping[str, Mapping[str, Any]],
    known_roles: Collection[str],
    operators: Collection[str],
    library: Mapping[str, bytes],
    suggestion_sources: Collection[str] | None,
    *,
    validate: bool,
) -> CompiledDefinition:
    """compile_definition's checks, with or without the schema validation of the engine's parser."""
    try:
        parser, tree, reading = _parse(xml, filename, library, operators, validate)
    except UnsafeXml as err:
        raise InvalidBpmn([err.problem]) from None
    own_ids = pools.own_process_ids(tree)
    if not own_ids:
        raise InvalidBpmn([DeployProblem("the file defines no process", code="no_process")])
    called: set[str] = set()
    try:
        deps = parser.get_process_dependencies()
    except Exception:
        deps = set()
    primary_candidates = [pid for pid in own_ids if pid not in deps] or own_ids
    if len(primary_candidates) != 1:
        raise InvalidBpmn(pools.several_processes(tree, primary_candidates))
    primary = str(primary_candidates[0])
    checker = _Checker(tree, forms, known_roles, operators, suggestion_sources)
    checker.camunda = reading
    checker.problems += camunda_problems(tree, reading, operators)
    for reserved in _RESERVED_IDS:
        if tree.xpath("//*[@id=$eid]", eid=reserved):
            # The engine names its own start and end tasks so; a diagram using them silently breaks.
            checker.add(
                reserved,
                f"the id '{reserved}' is reserved by the engine; rename the element",
                code="reserved_id",
                id=reserved,
            )
    try:
        spec = parser.get_spec(primary)
        subprocess_specs = parser.get_subprocess_specs(primary)
    except ValidationException as err:
        raise _refusal(err, tree, reading, operators) from None
    except Exception as err:
        raise InvalidBpmn([DeployProblem(str(err), code="invalid", params={"reason": str(err)})]) from None
    start_roles: set[str] = set()
    for proc in [spec, *subprocess_specs.values()]:
        for task_spec in proc.task_specs.values():
            checker.check_task(task_spec)
            if isinstance(task_spec, SubWorkflowTask):
                called.add(task_spec.spec)
    nested = [t for sub in subprocess_specs.values() for t in sub.task_specs.values()]
    for stuck in strandings(spec.task_specs.values(), nested):
        code = f"{stuck.kind}_never_sent" if stuck.code == "no_sender" else stuck.code
        checker.add(
            stuck.element,
            STRANDED[stuck.code].format(name=stuck.name, kind=stuck.kind, event=stuck.event),
            code=code,
            name=stuck.name,
            event=stuck.event,
        )
    for task_spec in spec.task_specs.values():
        if type(task_spec).__name__ == "StartEvent" and task_spec.lane:
            # Already read as codes by check_task; an unknown lane was reported there.
            start_roles.update(r for r in task_spec.lane.split(",") if r in checker.known_roles)
    if checker.problems:
        raise InvalidBpmn(checker.problems)
    return CompiledDefinition(
        process_id=primary,
        name=spec.description or primary,
        spec_json=dump_specs(spec, subprocess_specs),
        form_keys=tuple(sorted(checker.form_keys)),
        start_roles=tuple(sorted(start_roles)),
        called_processes=tuple(sorted(called)),
        generated_forms=dict(checker.generated_forms),
        assigned_users=tuple(checker.assigned_users),
        task_routes=task_routes(
            [t for proc in (spec, *subprocess_specs.values()) for t in proc.task_specs.values()],
            {str(e.get("id")) for e in tree.iter(etree.Element) if e.get("id")},
        ),
    )
