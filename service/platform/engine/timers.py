"""Timer values as modelers write them: ISO 8601 durations, dates and cycles, quoted or not."""

from __future__ import annotations

import ast
import json
import re

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

# Camunda Modeler and the MIWG files write `P2D`, `R6/P1D` or `2026-05-01T09:00:00Z` bare, where the
# engine evaluates a Python expression: `P2D` would be an unknown name at run time (a 500 on start).
_DURATION = r"P(?:\d+(?:[.,]\d+)?[YMWD])*(?:T(?:\d+(?:[.,]\d+)?[HMS])+)?"
_DATE = r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_BARE = re.compile(rf"^(?:R\d*/)?(?:{_DURATION}|{_DATE})(?:/(?:{_DURATION}|{_DATE}))?$", re.IGNORECASE)


def literal_string(source: str | None) -> str | None:
    """The timer's value when its expression is a plain string literal such as "PT48H"."""
    if not source:
        return None
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def quote_bare_value(definition: TimerEventDefinition) -> bool:
    """Turn a bare ISO 8601 value into the string literal the engine evaluates; True when changed."""
    source = (definition.expression or "").strip()
    if source and _BARE.match(source) and literal_string(source) is None:
        definition.expression = json.dumps(source.upper() if source[0] in "pPrR" else source)
        return True
    return False


def timer_value_problem(definition: TimerEventDefinition, literal: str) -> str | None:
    """Why a literal timer value would fail when the timer starts, or None when it is fine."""
    try:
        if isinstance(definition, DurationTimerEventDefinition):
            if not literal.upper().startswith("P") or len(literal) < 3:
                return "a duration starts with P, e.g. P2D"
            TimerEventDefinition.parse_iso_duration(literal)
        elif isinstance(definition, TimeDateEventDefinition):
            TimerEventDefinition.get_datetime(literal)
        elif isinstance(definition, CycleTimerEventDefinition):
            if not literal.upper().startswith("R"):
                return "a cycle starts with R, e.g. R3/PT24H"
            TimerEventDefinition.parse_iso_recurring_interval(literal)
    except Exception:
        return "not ISO 8601"
    return None
