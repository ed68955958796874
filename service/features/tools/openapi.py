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
            "summary": "The register of AI tools (staff: permitted tools only), then the tools the region "
            "permits (source region, with the school's adoption and further restrictions)",
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
            "summary": "A register entry with its memo; the evaluation for its readers; a region tool with "
            "the school's adoption",
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
    "/tools/{tool_id}/adopt": {
        "post": {
            "summary": "The school adopts a region tool without its own evaluation (responsible, wg_chair, "
            "director; audited)",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(schema_ref(schemas.Tool)), **errors(401, 403, 404)},
        },
    },
    "/tools/{tool_id}/unadopt": {
        "post": {
            "summary": "The school gives up a region tool it adopted and its further restrictions (audited)",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(schema_ref(schemas.Tool)), **errors(401, 403, 404)},
        },
    },
    "/tools/{tool_id}/restrict": {
        "post": {
            "summary": "The school's further restrictions of an adopted region tool, one per line (audited)",
            "parameters": [path_param("tool_id")],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": schema_ref(schemas.RestrictionsIn)}},
            },
            "responses": {**ok(schema_ref(schemas.Tool)), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/tools/school-evaluations": {
        "get": {
            "summary": "Schools' permitted evaluations the region may adopt (the region's administrator)",
            "responses": {**ok(schema_ref(schemas.SchoolEvaluationList)), **errors(401, 403)},
        },
    },
    "/tools/{tool_id}/adopt-for-region": {
        "post": {
            "summary": "The region adopts a school's evaluation into the region register (audited)",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(schema_ref(schemas.SchoolEvaluationList)), **errors(401, 403, 404)},
        },
    },
    "/tools/{tool_id}/remove-from-region": {
        "post": {
            "summary": "The region takes a school's evaluation out of the region register (audited)",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(schema_ref(schemas.SchoolEvaluationList)), **errors(401, 403)},
        },
    },
}
