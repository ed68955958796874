"""The order register's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.platform.web.openapi_parts import ACTOR_NAME, errors, ok, path_param, ref

_ORDER = {
    "type": "object",
    "required": ["id", "number", "date", "title", "order_type", "status", "drafter", "instance_id"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": ["string", "null"]},
        "date": {"type": ["string", "null"], "format": "date"},
        "title": {"type": "string"},
        "order_type": {"type": "string"},
        "status": {"type": "string", "enum": ["draft", "in_review", "approved", "rejected", "registered"]},
        "drafter": {"type": ["string", "null"]},
        "instance_id": {"type": "integer"},
        "verification_code": {"type": ["string", "null"]},
    },
}


_ORDER_DETAIL = {
    "allOf": [
        {"$ref": "#/components/schemas/Order"},
        {
            "type": "object",
            "required": ["editions", "approval_history"],
            "properties": {
                "editions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "title", "body", "author", "created_at"],
                        "properties": {
                            "number": {"type": "integer"},
                            "title": {"type": "string"},
                            "body": {"type": "string"},
                            "basis": {"type": ["string", "null"]},
                            "attachment": {"type": ["string", "null"]},
                            "author": {"type": ["string", "null"]},
                            "created_at": {"type": "string", "format": "date-time"},
                        },
                    },
                },
                "approval_history": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["at", "actor", "actor_name", "task", "decision", "comment"],
                        "properties": {
                            "at": {"type": "string", "format": "date-time"},
                            "actor": {"type": "string", "description": "username"},
                            "actor_name": ACTOR_NAME,
                            "task": {"type": ["string", "null"]},
                            "decision": {"type": ["string", "null"]},
                            "comment": {"type": ["string", "null"]},
                        },
                    },
                },
                "acknowledgements": {
                    "type": "object",
                    "required": ["total", "done", "pending"],
                    "properties": {
                        "total": {"type": "integer"},
                        "done": {"type": "integer"},
                        "pending": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    ]
}


SCHEMAS: dict[str, Any] = {"Order": _ORDER, "OrderDetail": _ORDER_DETAIL}

PATHS: dict[str, Any] = {
    "/orders": {
        "get": {
            "summary": "The order register (drafts only for their drafter and reviewers)",
            "parameters": [
                {"name": "year", "in": "query", "schema": {"type": "integer"}},
                {"name": "type", "in": "query", "schema": {"type": "string"}},
                {
                    "name": "status",
                    "in": "query",
                    "schema": {
                        "type": "string",
                        "enum": ["draft", "in_review", "approved", "rejected", "registered"],
                    },
                },
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                },
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {
                **ok(
                    {
                        "type": "object",
                        "properties": {
                            "orders": {
                                "type": "array",
                                "items": ref("Order"),
                            },
                            "total": {"type": "integer"},
                        },
                    }
                ),
                **errors(400, 401, 422),
            },
        },
    },
    "/orders/{order_id}": {
        "get": {
            "summary": "An order with its editions, approval history and acknowledgements",
            "parameters": [path_param("order_id")],
            "responses": {**ok(ref("OrderDetail")), **errors(401, 404)},
        },
    },
    "/orders/{order_id}/document.pdf": {
        "get": {
            "summary": "The registered order as PDF",
            "parameters": [path_param("order_id")],
            "responses": {
                "200": {"description": "PDF", "content": {"application/pdf": {}}},
                **errors(401, 404, 409),
            },
        },
    },
    "/orders/{order_id}/document.docx": {
        "get": {
            "summary": "The registered order as DOCX",
            "parameters": [path_param("order_id")],
            "responses": {"200": {"description": "DOCX"}, **errors(401, 404, 409)},
        },
    },
}
