"""The OpenAPI description of the yearly plan endpoints, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.plan.evidence import KINDS
from service.features.plan.rules import DEADLINE_KINDS, STATUSES
from service.platform.web.openapi_parts import errors, ok, ref

_EVIDENCE = {
    "type": ["object", "null"],
    "required": ["kind", "ref"],
    "properties": {
        "kind": {"type": "string", "enum": list(KINDS)},
        # null for an incident the reader may not see
        "ref": {"type": ["string", "null"]},
    },
}
_ITEM = {
    "type": "object",
    "required": [
        "number",
        "stage",
        "activity",
        "responsible",
        "roles",
        "deadline",
        "deadline_kind",
        "status",
    ],
    "properties": {
        "number": {"type": "integer"},
        "stage": {"type": "integer"},
        "activity": {"type": "string"},
        "responsible": {"type": "string", "description": "as the plan writes it"},
        "roles": {"type": "array", "items": {"type": "string"}, "description": "role codes it maps to"},
        "participants": {"type": "string"},
        "deadline": {"type": "string"},
        "deadline_kind": {"type": "string", "enum": list(DEADLINE_KINDS)},
        "due_on": {"type": ["string", "null"], "format": "date", "description": "null: no single date"},
        "result": {"type": "string"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "may_mark": {"type": "boolean"},
        "mark": {
            "type": ["object", "null"],
            "properties": {
                "at": {"type": "string", "format": "date-time"},
                "by": {"type": ["string", "null"]},
                "by_name": {"type": ["string", "null"]},
                "comment": {"type": "string"},
                "evidence": {"$ref": "#/components/schemas/PlanEvidence"},
            },
        },
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["action", "at"],
                "properties": {
                    "action": {"type": "string", "enum": ["mark", "unmark"]},
                    "at": {"type": "string", "format": "date-time"},
                    "by": {"type": ["string", "null"]},
                    "comment": {"type": "string", "description": "a mark's comment or an unmark's reason"},
                    "evidence": {"$ref": "#/components/schemas/PlanEvidence"},
                },
            },
        },
    },
}
_PLAN = {
    "type": "object",
    "required": ["school_year", "title", "done", "total", "stages", "items"],
    "properties": {
        "school_year": {"type": "integer", "description": "the year it starts in: 2025 for 2025-2026"},
        "title": {"type": "string"},
        "approval": {"type": "string"},
        "today": {"type": "string", "format": "date", "description": "in the school's time zone"},
        "done": {"type": "integer"},
        "total": {"type": "integer"},
        "stages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "title", "done", "total"],
                "properties": {
                    "number": {"type": "integer"},
                    "title": {"type": "string"},
                    "done": {"type": "integer"},
                    "total": {"type": "integer"},
                },
            },
        },
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}},
    },
}

SCHEMAS: dict[str, Any] = {"PlanEvidence": _EVIDENCE, "PlanItem": _ITEM, "Plan": _PLAN}


_YEAR = {"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}
_NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}


def _body(*fields: str) -> dict[str, Any]:
    data = {"type": "object", "properties": {f: {"type": "string"} for f in fields}}
    return {"content": {"application/json": {"schema": {"type": "object", "properties": {"data": data}}}}}


PATHS: dict[str, Any] = {
    "/plan": {
        "get": {
            "summary": "The yearly plan: every item with its status and the progress by stage (everyone)",
            "parameters": [_YEAR],
            "responses": {**ok(ref("Plan")), **errors(400, 401, 404)},
        }
    },
    "/plan/items/{number}": {
        "get": {
            "summary": "One item with the history of its marks",
            "parameters": [_NUMBER, _YEAR],
            "responses": {**ok(ref("PlanItem")), **errors(401, 404)},
        }
    },
    "/plan/items/{number}/mark": {
        "post": {
            "summary": "Mark an item done (its responsible roles, wg_chair, director); comment required, "
            "evidence optional: order number, tool id or name, incident year/number, act code/edition",
            "parameters": [_NUMBER, _YEAR],
            "requestBody": _body("comment", "evidence_kind", "evidence_ref"),
            "responses": {**ok(ref("PlanItem")), **errors(400, 401, 403, 404, 409, 422)},
        }
    },
    "/plan/items/{number}/unmark": {
        "post": {
            "summary": "Undo a mark (wg_chair, director) with a reason",
            "parameters": [_NUMBER, _YEAR],
            "requestBody": _body("reason"),
            "responses": {**ok(ref("PlanItem")), **errors(400, 401, 403, 404, 409, 422)},
        }
    },
}
