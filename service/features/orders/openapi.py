"""The order register's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.features.orders import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

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
                **ok(schema_ref(schemas.OrderList)),
                **errors(400, 401, 422),
            },
        },
    },
    "/orders/{order_id}": {
        "get": {
            "summary": "An order with its editions, approval history and acknowledgements",
            "parameters": [path_param("order_id")],
            "responses": {**ok(schema_ref(schemas.OrderDetail)), **errors(401, 404)},
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
