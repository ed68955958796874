"""Elements the engine cannot complete here, found at deploy so that no instance waits forever."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin


@dataclass(frozen=True)
class Stranding:
    """One element an instance could wait on forever: its id, name, a code and the event's name."""

    element: str
    name: str
    code: str  # no_sender, start_waits, parallel_start, business_rule
    kind: str = ""  # message or signal
    event: str = ""  # the message's or signal's name


def _simple(definition: Any) -> Iterator[Any]:
    if isinstance(definition, MultipleEventDefinition):
        for inner in definition.event_definitions:
            yield from _simple(inner)
    else:
        yield definition


def _key(definition: Any) -> tuple[str, str] | None:
    if isinstance(definition, MessageEventDefinition):
        return "message", str(definition.name)
    if isinstance(definition, SignalEventDefinition):
        return "signal", str(definition.name)
    return None


def strandings(top_level: Iterable[Any], nested: Iterable[Any]) -> list[Stranding]:
    """What cannot complete in the task specs of the primary process (`top_level`) and of its
    sub-processes and called processes (`nested`).

    Nobody outside an instance sends it messages or signals (there is no endpoint for them): a
    catch event, receive task or event sub-process start waits forever unless a throw event, send task
    or end event of the same diagram throws that name. A start event of the process itself cannot
    wait for anything but a timer, since the instance begins there. DMN tables are not deployed.
    """
    top = list(top_level)
    every = top + list(nested)
    thrown = {
        key
        for spec in every
        if isinstance(spec, ThrowingEvent)
        for definition in _simple(spec.event_definition)
        if (key := _key(definition)) is not None
    }
    top_ids = {id(spec) for spec in top}
    found: list[Stranding] = []
    for spec in every:
        element = str(getattr(spec, "bpmn_id", None) or spec.name)
        label = str(getattr(spec, "bpmn_name", None) or element)
        if isinstance(spec, BusinessRuleTaskMixin):
            found.append(Stranding(element, label, "business_rule"))
            continue
        if not isinstance(spec, CatchingEvent):
            continue
        definition = spec.event_definition
        if isinstance(spec, StartEvent) and id(spec) in top_ids:
            if isinstance(definition, MultipleEventDefinition) and definition.parallel:
                found.append(Stranding(element, label, "parallel_start"))
            elif not isinstance(definition, (NoneEventDefinition, TimerEventDefinition)):
                key = next((k for d in _simple(definition) if (k := _key(d))), ("", ""))
                found.append(Stranding(element, label, "start_waits", *key))
            continue
        if isinstance(definition, MultipleEventDefinition) and definition.parallel:
            found.append(Stranding(element, label, "parallel_start"))
            continue
        keys = [k for d in _simple(definition) if (k := _key(d)) is not None]
        others = [d for d in _simple(definition) if _key(d) is None]
        if keys and not others and not any(k in thrown for k in keys):
            # every trigger is a message or signal nobody in this diagram sends
            found.append(Stranding(element, label, "no_sender", *keys[0]))
    return found
