"""The incident journal's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.features.incidents import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param

_ID = path_param("incident_id")


def incident_schemas() -> dict[str, Any]:
    return component_schemas(*schemas.MODELS)


def incident_paths() -> dict[str, Any]:
    query = [
        {"name": "year", "in": "query", "schema": {"type": "integer"}},
        {"name": "type", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"type": "string"}},
        {"name": "severity", "in": "query", "schema": {"type": "string", "enum": ["minor", "serious"]}},
        {
            "name": "q",
            "in": "query",
            "description": "a journal number (2026/3, or 3) or words of the tool's name, among visible rows",
            "schema": {"type": "string", "maxLength": 100},
        },
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    ]
    return {
        "/incidents": {
            "get": {
                "summary": "The incident journal (a reporter sees only their own reports)",
                "parameters": query,
                "responses": {**ok(schema_ref(schemas.IncidentList)), **errors(400, 401, 422)},
            }
        },
        "/incidents/{incident_id}": {
            "get": {
                "summary": "One incident; 404 for anyone who may not know it exists",
                "parameters": [_ID],
                "responses": {**ok(schema_ref(schemas.IncidentDetail)), **errors(401, 404)},
            }
        },
        "/incidents/{incident_id}/minutes.pdf": {
            "get": {
                "summary": "The council's minutes (хаттама) as PDF, once the decision is recorded",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "PDF", "content": {"application/pdf": {}}},
                    **errors(401, 404, 409),
                },
            }
        },
        "/incidents/{incident_id}/reopen": {
            "post": {
                "summary": "Reopen a closed incident (responsible only) with a reason: back to triage",
                "parameters": [_ID],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["reason"],
                                "properties": {"reason": {"type": "string", "maxLength": 5000}},
                            }
                        }
                    }
                },
                "responses": {
                    **ok(schema_ref(schemas.IncidentProcessStarted), 201),
                    **errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/incidents/{incident_id}/amendments": {
            "post": {
                "summary": (
                    "Start an amendment of a local act after the council's decision (responsible, wg_chair);"
                    " source council_recommendation, reason naming the journal number"
                ),
                "parameters": [_ID],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "data": {
                                        "type": "object",
                                        "required": ["act", "clause", "change"],
                                        "properties": {
                                            k: {"type": "string"}
                                            for k in ("act", "clause", "change", "proposed_text", "reason")
                                        },
                                    }
                                },
                            }
                        }
                    }
                },
                "responses": {
                    **ok(schema_ref(schemas.IncidentProcessStarted), 201),
                    **errors(401, 403, 404, 409, 422),
                },
            }
        },
    }
