"""The OpenAPI description of the yearly plan endpoints, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.plan import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)


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
            "responses": {**ok(schema_ref(schemas.Plan)), **errors(400, 401, 404)},
        }
    },
    "/plan/items/{number}": {
        "get": {
            "summary": "One item with the history of its marks",
            "parameters": [_NUMBER, _YEAR],
            "responses": {**ok(schema_ref(schemas.PlanItem)), **errors(401, 404)},
        }
    },
    "/plan/items/{number}/mark": {
        "post": {
            "summary": "Mark an item done (its responsible roles, wg_chair, director); comment required, "
            "evidence optional: order number, tool id or name, incident year/number, act code/edition",
            "parameters": [_NUMBER, _YEAR],
            "requestBody": _body("comment", "evidence_kind", "evidence_ref"),
            "responses": {**ok(schema_ref(schemas.PlanItem)), **errors(400, 401, 403, 404, 409, 422)},
        }
    },
    "/plan/items/{number}/unmark": {
        "post": {
            "summary": "Undo a mark (wg_chair, director) with a reason",
            "parameters": [_NUMBER, _YEAR],
            "requestBody": _body("reason"),
            "responses": {**ok(schema_ref(schemas.PlanItem)), **errors(400, 401, 403, 404, 409, 422)},
        }
    },
}
