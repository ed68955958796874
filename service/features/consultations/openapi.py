"""The OpenAPI description of the consultations journal, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.consultations import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param


def _body(required: list[str], props: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": props}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_RECORD = {
    "held_on": {**_DATE, "description": "not in the future"},
    "topic": _TEXT,
    "duty": _TEXT,
    "advice": _TEXT,
    "tool_id": {"type": ["integer", "null"]},
    "material": {"type": ["string", "null"], "description": "sha256:<hex> of a file the caller uploaded"},
}
_ONE = path_param("consultation_id")
_FILTERS = [
    {"name": "from", "in": "query", "schema": _DATE},
    {"name": "to", "in": "query", "schema": _DATE},
    {"name": "status", "in": "query", "schema": {"type": "string"}},
    {"name": "q", "in": "query", "schema": _TEXT},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
]
_KEEPER = " (the responsible person only)"

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

PATHS: dict[str, Any] = {
    "/consultations": {
        "get": {
            "summary": "The journal (responsible, wg_chair, director), else the caller's own consultations",
            "parameters": _FILTERS,
            "responses": {**ok(schema_ref(schemas.ConsultationJournal)), **errors(400, 401, 422)},
        },
        "post": {
            "summary": "Request a consultation for oneself",
            "requestBody": _body(
                ["topic", "duty", "preferred_on"],
                {
                    "topic": _TEXT,
                    "duty": _TEXT,
                    "preferred_on": {**_DATE, "description": "not past"},
                    "note": _TEXT,
                },
            ),
            "responses": {**ok(schema_ref(schemas.Consultation), 201), **errors(401, 422)},
        },
    },
    "/consultations/record": {
        "post": {
            "summary": "Record a consultation nobody requested" + _KEEPER,
            "requestBody": _body(
                ["staff_member", "held_on", "topic", "advice"], {"staff_member": _TEXT, **_RECORD}
            ),
            "responses": {**ok(schema_ref(schemas.Consultation), 201), **errors(401, 403, 422)},
        },
    },
    "/consultations/{consultation_id}": {
        "get": {
            "summary": "One consultation (its staff member or the journal's readers; else 404)",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.Consultation)), **errors(401, 404)},
        },
    },
    "/consultations/{consultation_id}/schedule": {
        "post": {
            "summary": "Set the date of a requested consultation" + _KEEPER,
            "parameters": [_ONE],
            "requestBody": _body(["scheduled_on"], {"scheduled_on": _DATE}),
            "responses": {**ok(schema_ref(schemas.Consultation)), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/consultations/{consultation_id}/record": {
        "post": {
            "summary": "Record a requested consultation as held" + _KEEPER,
            "parameters": [_ONE],
            "requestBody": _body(["held_on", "topic", "advice"], _RECORD),
            "responses": {**ok(schema_ref(schemas.Consultation)), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/consultations/{consultation_id}/cancel": {
        "post": {
            "summary": "Cancel with a reason (the responsible person, or the staff member their own request)",
            "parameters": [_ONE],
            "requestBody": _body(["reason"], {"reason": _TEXT}),
            "responses": {**ok(schema_ref(schemas.Consultation)), **errors(401, 403, 404, 409, 422)},
        },
    },
}
