"""Names of codes for readers: timeline actions, decisions, statuses, and a diagram's names.

The platform names its own audit actions here; each feature names its own through
`Feature.timeline_words`. A page never prints a code: an action nobody named reads "recorded a step"
(the code stays in the row's title for the admin), a decision reads as its form offered it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g
from flask_babel import force_locale, lazy_gettext
from lxml import etree

from service.platform.inbox import instances as instance_cases
from service.platform.roles import parse_lane, role_name
from service.platform.web.context import runtime
from service.platform.web.i18n import current_language

CORE_ACTIONS: dict[str, Any] = {
    "instance.start": lazy_gettext("started the process"),
    "task.complete": lazy_gettext("completed the step"),
    "task.claim": lazy_gettext("claimed"),
    "task.unclaim": lazy_gettext("released"),
    "task.reassign": lazy_gettext("reassigned"),
    "task.orphaned": lazy_gettext(
        "closed the account of the person holding the task; it waits to be handed on"
    ),
    "comment.add": lazy_gettext("commented"),
    "timer.fire": lazy_gettext("a deadline or reminder fired"),
    "instance.error": lazy_gettext("an error stopped the process"),
    "instance.retry": lazy_gettext("ran the process again"),
    "instance.cancel": lazy_gettext("cancelled the process"),
    "campaign.open": lazy_gettext("asked people to acknowledge"),
    "campaign.respond": lazy_gettext("acknowledged"),
    "campaign.end": lazy_gettext("the acknowledgement ended"),
    "campaign.remind": lazy_gettext("reminded those who have not acknowledged"),
    "campaign.extend": lazy_gettext("extended the acknowledgement deadline"),
}
CORE_FLOWS: dict[str, Any] = {
    "approve": lazy_gettext("approved"),
    "return": lazy_gettext("returned for rework"),
    "reject": lazy_gettext("rejected"),
}
CORE_STATUSES: dict[str, Any] = {
    "running": lazy_gettext("running"),
    "completed": lazy_gettext("completed"),
    "cancelled": lazy_gettext("cancelled"),
    "error": lazy_gettext("error"),
    "open": lazy_gettext("open"),
}


def action_name(code: str) -> str:
    words = runtime().features.action_words
    word = CORE_ACTIONS.get(code) or words.get(code)
    return str(word) if word is not None else str(lazy_gettext("recorded a step"))


def status_name(code: str | None) -> str:
    if not code:
        return "—"
    word = CORE_STATUSES.get(code) or runtime().features.status_words.get(code)
    return str(word) if word is not None else code


def process_name(process_id: str) -> str:
    """A process by its name in the reader's language (the feature's word, else the diagram's name)."""
    word = runtime().features.process_words.get(process_id)
    if word is not None:
        return str(word)
    if "process_names" not in g:
        g.process_names = instance_cases.process_names(runtime())
    return str(g.process_names.get(process_id, process_id))


def instance_title(instance: Any) -> str:
    """An instance's title for the reader (see `matter_title`)."""
    return matter_title(instance.title, instance.process_id)


def matter_title(title: str | None, process_id: str | None) -> str:
    """An instance's title for the reader: the one its steps gave it (an order's title), else — the
    diagram's process name, stored when it started — the process's name in the reader's language."""
    title = str(title or "")
    if not process_id:
        return title
    if "process_names" not in g:
        g.process_names = instance_cases.process_names(runtime())
    if not title or title == g.process_names.get(process_id):
        return process_name(process_id)
    return title


def in_language(titles: Mapping[str, str] | None, fallback: str | None = "") -> str:
    """A title by language (kk, ru, en) in the reader's; Kazakh when the reader's is missing."""
    titles = titles or {}
    lang = current_language()
    return titles.get(lang) or titles.get("kk") or (fallback or "")


def decision_name(entry: Any) -> str:
    """A timeline entry's decision: the three common ones in the past tense ("approved"), others as the
    step's form offered them ("Қолдаймын"), else as a flow label, else a generic word."""
    if not entry.decision:
        return ""
    word = CORE_FLOWS.get(entry.decision)
    if word is not None:
        return str(word)
    titled = in_language(entry.decision_titles)
    if titled:
        return titled
    word = runtime().features.flow_words.get(entry.decision)
    return str(word) if word is not None else str(lazy_gettext("a decision was recorded"))


BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def localized_diagram(xml: str, forms: Mapping[str, Any], lang: str) -> str:
    """The diagram as a reader sees it: lanes named by their roles, flows by what they mean, user tasks
    by their form's title, every other element its feature names (events, gateways, service and script
    tasks, call activities, the pool) by the feature's word — all in `lang`. The stored BPMN keeps its
    codes (they are its contract); a diagram no feature names (an admin's) keeps its own names."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return xml
    _name_elements(root, lang)
    flows = {**runtime().features.flow_words, **CORE_FLOWS}
    options = _option_titles(forms, lang)
    for lane in root.iter(f"{{{BPMN}}}lane"):
        codes = parse_lane(lane.get("name"))
        if codes:
            lane.set("name", ", ".join(role_name(code, lang) for code in codes))
    for flow in root.iter(f"{{{BPMN}}}sequenceFlow"):
        name = flow.get("name")
        if name:
            word = flows.get(name)
            flow.set("name", str(word) if word is not None else options.get(name, name))
    for task in root.iter(f"{{{BPMN}}}userTask"):
        form_key = _form_key(task)
        title = _form_title(forms.get(form_key or ""), lang)
        if title:
            task.set("name", title)
    return etree.tostring(root, encoding="unicode")


def _name_elements(root: Any, lang: str) -> None:
    """Rename the elements of the processes a feature names (`TimelineWords.elements`), each only while
    its name in the diagram is the word's Kazakh: a name an admin changed in a new version stays theirs."""
    tables = runtime().features.element_words
    if not tables:
        return
    pools = {pool.get("processRef"): pool for pool in root.iter(f"{{{BPMN}}}participant")}
    for process in root.iter(f"{{{BPMN}}}process"):
        process_id = process.get("id") or ""
        words = tables.get(process_id)
        if not words:
            continue
        with force_locale("kk"):
            shipped = {key: _plain(str(word)) for key, word in words.items()}
        elements = list(process.iter())
        if pools.get(process_id) is not None:
            elements.append(pools[process_id])
        renamed: list[tuple[Any, Any]] = []
        for element in elements:
            key, name = element.get("id"), element.get("name")
            if key in words and name and _plain(name) == shipped[key]:
                renamed.append((element, words[key]))
        with force_locale(lang):
            for element, word in renamed:
                element.set("name", str(word))


def _plain(name: str) -> str:
    return " ".join(name.split())


def _form_key(task: Any) -> str | None:
    for prop in task.iter(f"{{{SPIFF}}}property"):
        if prop.get("name") in ("formJsonSchemaFilename", "formKey"):
            value = prop.get("value") or ""
            return value[:-5] if value.endswith(".json") else value
    return None


def _form_title(form: Any, lang: str) -> str:
    if not isinstance(form, Mapping):
        return ""
    titles = form.get("x-title")
    if isinstance(titles, Mapping):
        return str(titles.get(lang) or titles.get("kk") or "")
    return ""


def _option_titles(forms: Mapping[str, Any], lang: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for form in forms.values():
        for prop in (form.get("properties", {}) if isinstance(form, Mapping) else {}).values():
            titles = prop.get("x-enum-titles") if isinstance(prop, Mapping) else None
            if isinstance(titles, Mapping):
                for value, by_lang in titles.items():
                    if isinstance(by_lang, Mapping) and (by_lang.get(lang) or by_lang.get("kk")):
                        options.setdefault(str(value), str(by_lang.get(lang) or by_lang.get("kk")))
    return options
