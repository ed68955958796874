"""The incident journal's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.platform.web.openapi_parts import errors, ok, path_param, ref

INCIDENT_ROW: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "number",
        "instance_id",
        "reported_at",
        "type",
        "severity",
        "status",
        "tool",
        "outcome",
    ],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": ["string", "null"], "description": "journal number <year>/<n>, given at triage"},
        "instance_id": {"type": "integer"},
        "reported_at": {"type": "string", "format": "date-time"},
        "type": {
            "type": "string",
            "enum": ["data_disclosure", "inappropriate_content", "academic_integrity", "other"],
        },
        "severity": {"type": ["string", "null"], "enum": ["minor", "serious", None]},
        "status": {"type": "string"},
        "tool": {"type": "string"},
        "outcome": {"type": ["string", "null"]},
    },
}

INCIDENT_DETAIL: dict[str, Any] = {
    "allOf": [ref("Incident")],
    "description": "Readers of every incident get these fields too; the reporter gets the row only.",
    "properties": {
        "description": {"type": "string"},
        "affected": {"type": "string"},
        "occurred_on": {"type": ["string", "null"], "format": "date"},
        "anonymous": {"type": "boolean"},
        "reporter": {"type": ["string", "null"], "description": "null when hidden (anonymous report)"},
        "vote": {"type": ["object", "null"]},
        "votes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "member": {"type": "string"},
                    "name": {"type": "string"},
                    "decision": {"type": "string"},
                    "comment": {"type": "string"},
                    "at": {"type": ["string", "null"]},
                },
            },
        },
        "decision": {"type": ["string", "null"]},
        "recommendations": {"type": ["string", "null"]},
        "tool_action": {"type": ["string", "null"], "enum": ["restrict_tool", "withdraw_tool", None]},
        "follow_ups": {"type": "array", "items": {"type": "object"}},
        "amendments": {
            "type": "array",
            "description": "amendments of local acts started from the council's decision (full readers only)",
            "items": {
                "type": "object",
                "required": ["instance_id", "status"],
                "properties": {
                    "instance_id": {"type": "integer"},
                    "act": {"type": ["string", "null"]},
                    "clause": {"type": ["string", "null"]},
                    "status": {"type": "string", "enum": ["draft", "proposed", "published", "dropped"]},
                    "started_by": {"type": "string"},
                    "started_at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}

_ID = path_param("incident_id")


def incident_schemas() -> dict[str, Any]:
    return {"Incident": INCIDENT_ROW, "IncidentDetail": INCIDENT_DETAIL}


def incident_paths() -> dict[str, Any]:
    row_list = {
        "type": "object",
        "required": ["incidents"],
        "properties": {"incidents": {"type": "array", "items": ref("Incident")}},
    }
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
                "responses": {**ok(row_list), **errors(400, 401, 422)},
            }
        },
        "/incidents/{incident_id}": {
            "get": {
                "summary": "One incident; 404 for anyone who may not know it exists",
                "parameters": [_ID],
                "responses": {**ok(ref("IncidentDetail")), **errors(401, 404)},
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
                    **ok({"type": "object", "properties": {"id": {"type": "integer"}}}, 201),
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
                    **ok(
                        {
                            "type": "object",
                            "properties": {"id": {"type": "integer"}, "instance_id": {"type": "integer"}},
                        },
                        201,
                    ),
                    **errors(401, 403, 404, 409, 422),
                },
            }
        },
    }
