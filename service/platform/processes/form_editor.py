"""Editing forms in the browser: JSON Schema checked before saving, each save a revision in the database.

A saved form is what the next deploy snapshots into its process version; versions already deployed (and
their running instances) keep the forms they were deployed with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.platform import engine
from service.platform.audit import log as audit
from service.platform.errors import NotFound
from service.platform.forms.checks import FormProblem, form_definition_problems
from service.platform.forms.schema import localized
from service.platform.persistence.models import FormRevision
from service.platform.processes import queries as editor_queries
from service.platform.runtime import Actor, Runtime

FORM_KEY = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
MAX_FORM_CHARS = 200_000
BLANK_FORM: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Жаңа форма",
    "x-title": {"kk": "Жаңа форма", "ru": "Новая форма", "en": "New form"},
    "properties": {
        "comment": {
            "title": "Пікір",
            "x-title": {"kk": "Пікір", "ru": "Комментарий", "en": "Comment"},
            "type": "string",
            "maxLength": 2000,
        }
    },
}


@dataclass(frozen=True)
class FormUse:
    """A step of an active process version that shows the form."""

    process_id: str
    process_name: str
    version: int
    element_id: str
    task_name: str


@dataclass(frozen=True)
class FormRow:
    key: str
    revision: int  # 0: only the shipped file in forms/
    title: str  # in Kazakh, the school's language; the key when the form has no title
    uses: tuple[FormUse, ...] = ()


@dataclass(frozen=True)
class ParsedForm:
    schema: dict[str, Any] | None
    problems: list[FormProblem]  # codes and parameters; the web layer says them in the reader's language


def current_forms(rt: Runtime, session: Session) -> dict[str, dict[str, Any]]:
    """forms/ with the newest saved revision of each edited form on top: what a deploy snapshots."""
    forms = rt.load_forms()
    for key, (_revision, schema) in editor_queries.latest_forms(session).items():
        forms[key] = json.loads(schema)
    return forms


def list_forms(rt: Runtime, actor: Actor) -> list[FormRow]:
    """Every form by its Kazakh title, with the steps of the active process versions that show it."""
    actor.require_admin()
    with rt.db.session() as session:
        edited = editor_queries.latest_forms(session)
        forms = current_forms(rt, session)
        uses = form_uses(session)
    rows = [
        FormRow(
            key,
            edited[key][0] if key in edited else 0,
            localized(forms[key], "title", "kk") or key,
            tuple(uses.get(key, ())),
        )
        for key in forms
    ]
    return sorted(rows, key=lambda r: (r.title.casefold(), r.key))


def form_uses(session: Session) -> dict[str, list[FormUse]]:
    """{form key: the steps of active process versions that show it}."""
    found: dict[str, list[FormUse]] = {}
    for row in editor_queries.active_diagrams(session):
        for element_id, task_name, key in engine.form_uses(row.bpmn_xml.encode("utf-8")):
            found.setdefault(key, []).append(
                FormUse(row.process_id, row.name, row.version, element_id, task_name or element_id)
            )
    return found


def get_form(rt: Runtime, actor: Actor, key: str) -> dict[str, Any]:
    actor.require_admin()
    with rt.db.session() as session:
        forms = current_forms(rt, session)
    if key not in forms:
        raise NotFound("no such form")
    return forms[key]


def parse(text: str, suggestion_sources: Collection[str] | None = None) -> ParsedForm:
    """The text as a form definition, or the reasons it is not one (JSON, JSON Schema, our rules)."""
    if len(text) > MAX_FORM_CHARS:
        message = f"the form is longer than {MAX_FORM_CHARS} characters"
        return ParsedForm(None, [FormProblem(message, "too_long", {"limit": str(MAX_FORM_CHARS)})])
    try:
        schema = json.loads(text)
    except ValueError as err:
        return ParsedForm(None, [FormProblem(f"not valid JSON: {err}", "not_json", {"reason": str(err)})])
    if not isinstance(schema, dict):
        return ParsedForm(None, [FormProblem("the form must be a JSON object", "not_object")])
    return ParsedForm(schema, form_definition_problems(schema, suggestion_sources))


def save_form(rt: Runtime, actor: Actor, key: str, text: str) -> ParsedForm:
    """Stores a new revision when the form is valid; returns the problems otherwise (nothing stored)."""
    actor.require_admin()
    if not FORM_KEY.match(key):
        message = "the form name uses lowercase Latin letters, digits and _"
        return ParsedForm(None, [FormProblem(message, "bad_name", {"name": key})])
    parsed = parse(text, tuple(rt.features.suggestion_sources))
    if parsed.schema is None or parsed.problems:
        return parsed
    with rt.db.session() as session:
        revision = editor_queries.next_form_revision(session, key)
        session.add(
            FormRevision(
                form_key=key,
                revision=revision,
                schema_json=json.dumps(parsed.schema, ensure_ascii=False, indent=2),
                saved_by_id=actor.id,
            )
        )
        audit.append(session, actor.username, "form.save", detail={"form": key, "revision": revision})
    return parsed
