"""The OpenAPI description of the local-acts endpoints, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.acts import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

_CODE = path_param("code", "string")
_NUMBER = path_param("number")
_FROM_TO = [
    {"name": "from", "in": "query", "required": True, "schema": {"type": "integer"}},
    {"name": "to", "in": "query", "required": True, "schema": {"type": "integer"}},
]

PATHS: dict[str, Any] = {
    "/acts": {
        "get": {
            "summary": "The school's local acts with the edition in force (every signed-in person)",
            "responses": {
                **ok(schema_ref(schemas.ActList)),
                **errors(401),
            },
        }
    },
    "/acts/{code}": {
        "get": {
            "summary": "An act with its editions and amendments",
            "parameters": [_CODE],
            "responses": {**ok(schema_ref(schemas.Act)), **errors(401, 404)},
        }
    },
    "/acts/{code}/editions/{number}": {
        "get": {
            "summary": "One edition with its sections and clauses",
            "parameters": [_CODE, _NUMBER],
            "responses": {**ok(schema_ref(schemas.Edition)), **errors(401, 404)},
        }
    },
    "/acts/{code}/compare": {
        "get": {
            "summary": "Two editions compared clause by clause (words inserted and deleted)",
            "parameters": [_CODE, *_FROM_TO],
            "responses": {**ok(schema_ref(schemas.Comparison)), **errors(400, 401, 404)},
        }
    },
    "/acts/{code}/amendments": {
        "post": {
            "summary": "Start an amendment with its proposal prefilled (responsible, wg_chair, council)",
            "parameters": [_CODE],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "data": {
                                    "type": "object",
                                    "properties": {
                                        k: {"type": "string"}
                                        for k in ("clause", "change", "proposed_text", "reason", "source")
                                    },
                                }
                            },
                        }
                    }
                }
            },
            "responses": {
                **ok(schema_ref(schemas.AmendmentStarted), 201),
                **errors(400, 401, 403, 404, 422),
            },
        }
    },
    "/amendments/{instance_id}": {
        "get": {
            "summary": "An amendment as the register holds it",
            "parameters": [path_param("instance_id")],
            "responses": {**ok(schema_ref(schemas.Amendment)), **errors(401, 404)},
        }
    },
    "/acts/{code}/editions/{number}/document.pdf": {
        "get": {
            "summary": "The edition as PDF with its header (approved by order № … of …)",
            "parameters": [_CODE, _NUMBER],
            "responses": {
                "200": {"description": "PDF", "content": {"application/pdf": {}}},
                **errors(401, 404),
            },
        }
    },
    "/acts/{code}/editions/{number}/document.docx": {
        "get": {
            "summary": "The edition as DOCX",
            "parameters": [_CODE, _NUMBER],
            "responses": {"200": {"description": "DOCX"}, **errors(401, 404)},
        }
    },
    "/acts/{code}/compare.pdf": {
        "get": {
            "summary": "The comparison table (clause, old wording, new wording) as PDF",
            "parameters": [_CODE, *_FROM_TO],
            "responses": {
                "200": {"description": "PDF", "content": {"application/pdf": {}}},
                **errors(400, 401, 404),
            },
        }
    },
}
