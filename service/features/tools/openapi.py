"""The register of AI tools' part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.platform.web.openapi_parts import errors, ok, path_param, ref

TOOL_STATUSES = ["permitted", "permitted_with_restrictions", "rejected", "under_review", "withdrawn"]
_TOOL = {
    "type": "object",
    "required": [
        "id",
        "name",
        "vendor",
        "status",
        "allowed_uses",
        "restrictions",
        "personal_data_allowed",
        "review_date",
        "instance_id",
    ],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "vendor": {"type": "string"},
        "status": {"type": "string", "enum": TOOL_STATUSES},
        "allowed_uses": {"type": "array", "items": {"type": "string"}},
        "restrictions": {"type": "array", "items": {"type": "string"}},
        "personal_data_allowed": {"type": "boolean"},
        "review_date": {"type": ["string", "null"], "format": "date"},
        "instance_id": {"type": "integer"},
        "memo": {"type": "string"},
        "memo_attachment": {"type": ["string", "null"]},
        "votes": {
            "type": "array",
            "description": "Only for the commission, ict, responsible, wg_chair and director",
            "items": {
                "type": "object",
                "properties": {
                    "round": {"type": "integer"},
                    "member": {"type": "string"},
                    "decision": {
                        "type": "string",
                        "enum": ["approve", "approve_with_restrictions", "reject"],
                    },
                    "security": {"type": "integer"},
                    "data_protection": {"type": "integer"},
                    "functionality": {"type": "integer"},
                    "limitations": {"type": "integer"},
                    "restrictions": {"type": "string"},
                    "comment": {"type": "string"},
                    "signature_method": {"type": "string", "enum": ["password", "statement"]},
                    "signed_at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}

SCHEMAS: dict[str, Any] = {"Tool": _TOOL}

PATHS: dict[str, Any] = {
    "/tools": {
        "get": {
            "summary": "The register of AI tools (staff: permitted tools only)",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": TOOL_STATUSES}}
            ],
            "responses": {
                **ok(
                    {
                        "type": "object",
                        "properties": {"tools": {"type": "array", "items": ref("Tool")}},
                    }
                ),
                **errors(401, 422),
            },
        },
    },
    "/tools/{tool_id}": {
        "get": {
            "summary": "A register entry with its memo; the evaluation for its readers",
            "parameters": [path_param("tool_id")],
            "responses": {**ok(ref("Tool")), **errors(401, 404)},
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
