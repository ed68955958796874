"""The register of AI tools' part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.features.tools import schemas
from service.features.tools.usecases import TOOL_STATUSES
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

PATHS: dict[str, Any] = {
    "/tools": {
        "get": {
            "summary": "The register of AI tools (staff: permitted tools only)",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(TOOL_STATUSES)}}
            ],
            "responses": {
                **ok(schema_ref(schemas.ToolList)),
                **errors(401, 422),
            },
        },
    },
    "/tools/{tool_id}": {
        "get": {
            "summary": "A register entry with its memo; the evaluation for its readers",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(schema_ref(schemas.Tool)), **errors(401, 404)},
        },
    },
    "/tools/{tool_id}/conclusion.pdf": {
        "get": {
            "summary": "The commission's conclusion as PDF (its SHA-256 is in the audit log)",
            "parameters": [path_param("tool_id")],
            "responses": {
                "200": {"description": "PDF", "content": {"application/pdf": {}}},
                **errors(401, 404),
            },
        },
    },
}
