"""The OpenAPI description of the local-acts endpoints, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.platform.web.openapi_parts import errors, ok, path_param, ref

_EDITION_ROW = {
    "type": "object",
    "required": ["number", "status", "in_force_from", "order_number"],
    "properties": {
        "number": {"type": "integer"},
        "status": {"type": "string", "enum": ["in_force", "historical"]},
        "in_force_from": {"type": ["string", "null"], "format": "date"},
        "order_number": {"type": ["string", "null"]},
        "order_date": {"type": ["string", "null"], "format": "date"},
        "order_id": {"type": ["integer", "null"]},
    },
}
_AMENDMENT = {
    "type": "object",
    "required": ["instance_id", "act", "clause", "change", "current_text", "proposed_text", "status"],
    "properties": {
        # The incident it came from, only for those who may read that incident; otherwise null.
        "incident": {
            "type": ["object", "null"],
            "properties": {"id": {"type": "integer"}, "number": {"type": ["string", "null"]}},
        },
        "instance_id": {"type": "integer"},
        "act": {"type": ["string", "null"]},
        "clause": {"type": "string"},
        "change": {"type": "string", "enum": ["change", "add", "delete"]},
        "current_text": {"type": "string", "description": "refreshed when another amendment publishes"},
        "proposed_text": {"type": "string"},
        "reason": {"type": "string"},
        "source": {"type": "string"},
        "status": {"type": "string", "enum": ["proposed", "published", "dropped"]},
        "base_edition": {"type": "integer", "description": "the edition the proposal was written against"},
        "current_edition": {"type": "integer"},
        "published_edition": {"type": ["integer", "null"]},
        "conflict": {"type": ["string", "null"]},
    },
}
_ACT = {
    "type": "object",
    "required": ["code", "title", "editions"],
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "editions": {"type": "array", "items": ref("EditionRow")},
        "amendments": {"type": "array", "items": ref("Amendment")},
    },
}
_EDITION = {
    "allOf": [
        ref("EditionRow"),
        {
            "type": "object",
            "required": ["act", "sections"],
            "properties": {
                "act": {"type": "string"},
                "title": {"type": "string"},
                "header": {"type": "string"},
                "sections": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "title", "clauses"],
                        "properties": {
                            "number": {"type": "string"},
                            "title": {"type": "string"},
                            "clauses": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["number", "text"],
                                    "properties": {"number": {"type": "string"}, "text": {"type": "string"}},
                                },
                            },
                        },
                    },
                },
            },
        },
    ]
}
_COMPARISON = {
    "type": "object",
    "required": ["act", "from", "to", "clauses"],
    "properties": {
        "act": {"type": "string"},
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "clauses": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["clause", "old", "new", "changed", "pieces"],
                "properties": {
                    "clause": {"type": "string"},
                    "old": {"type": ["string", "null"]},
                    "new": {"type": ["string", "null"]},
                    "changed": {"type": "boolean"},
                    "pieces": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "op": {"type": "string", "enum": ["same", "insert", "delete"]},
                                "text": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
}

SCHEMAS: dict[str, Any] = {
    "EditionRow": _EDITION_ROW,
    "Amendment": _AMENDMENT,
    "Act": _ACT,
    "Edition": _EDITION,
    "Comparison": _COMPARISON,
}


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
                **ok(
                    {
                        "type": "object",
                        "properties": {
                            "acts": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string"},
                                        "title": {"type": "string"},
                                        "edition_in_force": {"oneOf": [ref("EditionRow"), {"type": "null"}]},
                                    },
                                },
                            }
                        },
                    }
                ),
                **errors(401),
            },
        }
    },
    "/acts/{code}": {
        "get": {
            "summary": "An act with its editions and amendments",
            "parameters": [_CODE],
            "responses": {**ok(ref("Act")), **errors(401, 404)},
        }
    },
    "/acts/{code}/editions/{number}": {
        "get": {
            "summary": "One edition with its sections and clauses",
            "parameters": [_CODE, _NUMBER],
            "responses": {**ok(ref("Edition")), **errors(401, 404)},
        }
    },
    "/acts/{code}/compare": {
        "get": {
            "summary": "Two editions compared clause by clause (words inserted and deleted)",
            "parameters": [_CODE, *_FROM_TO],
            "responses": {**ok(ref("Comparison")), **errors(400, 401, 404)},
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
                **ok({"type": "object", "properties": {"instance_id": {"type": "integer"}}}, 201),
                **errors(400, 401, 403, 404, 422),
            },
        }
    },
    "/amendments/{instance_id}": {
        "get": {
            "summary": "An amendment as the register holds it",
            "parameters": [path_param("instance_id")],
            "responses": {**ok(ref("Amendment")), **errors(401, 404)},
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
