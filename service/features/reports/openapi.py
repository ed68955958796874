"""The annual report's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.platform.web.openapi_parts import errors, ok, ref

COUNTS: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "integer"}}
ACK_RATE: dict[str, Any] = {
    "type": "object",
    "required": ["total", "done", "percent"],
    "properties": {
        "total": {"type": "integer"},
        "done": {"type": "integer"},
        "percent": {"type": ["integer", "null"]},
    },
}

FIGURES: dict[str, Any] = {
    "type": "object",
    "description": "Counts only; incidents never appear one by one.",
    "required": [
        "year",
        "orders",
        "tools",
        "incidents",
        "amendments",
        "order_acknowledgements",
        "edition_acknowledgements",
        "extra",
    ],
    "properties": {
        "year": {"type": "integer"},
        "orders": {
            "type": "object",
            "required": ["total", "by_type", "orders"],
            "properties": {
                "total": {"type": "integer"},
                "by_type": COUNTS,
                "orders": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "registered_on", "title", "order_type"],
                        "properties": {
                            "number": {"type": "string"},
                            "registered_on": {"type": "string", "format": "date"},
                            "title": {"type": "string"},
                            "order_type": {"type": "string"},
                        },
                    },
                },
            },
        },
        "tools": {
            "type": "object",
            "required": ["evaluated", "register"],
            "properties": {
                "evaluated": {**COUNTS, "description": "outcomes registered in the year"},
                "register": {**COUNTS, "description": "the register's current statuses"},
            },
        },
        "incidents": {
            "type": "object",
            "additionalProperties": False,
            "required": ["total", "by_type", "by_outcome", "by_decision", "median_days_to_decision", "open"],
            "properties": {
                "total": {"type": "integer"},
                "by_type": COUNTS,
                "by_outcome": COUNTS,
                "by_decision": COUNTS,
                "median_days_to_decision": {"type": ["number", "null"]},
                "open": {"type": "integer"},
            },
        },
        "amendments": {
            "type": "object",
            "required": ["editions_published", "acts", "proposed", "dropped"],
            "properties": {
                "editions_published": {"type": "integer"},
                "acts": COUNTS,
                "proposed": {"type": "integer"},
                "dropped": {"type": "integer"},
            },
        },
        "order_acknowledgements": ACK_RATE,
        "edition_acknowledgements": ACK_RATE,
        "extra": {
            "type": "object",
            "description": "sections fed by other modules (plan_completion, survey_results); null = no data",
            "additionalProperties": {"anyOf": [COUNTS, {"type": "null"}]},
        },
    },
}

SCHEMAS: dict[str, Any] = {
    "AnnualReportFigures": FIGURES,
    "AnnualReport": {
        "type": "object",
        "required": ["year", "from", "to", "status", "finalized_at", "finalized_by", "pdf_sha256", "figures"],
        "properties": {
            "year": {"type": "integer", "description": "the year of the school year's 1 September"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": ["draft", "final"]},
            "finalized_at": {"type": ["string", "null"], "format": "date-time"},
            "finalized_by": {"type": ["string", "null"]},
            "pdf_sha256": {"type": ["string", "null"]},
            "figures": ref("AnnualReportFigures"),
            "narrative": {
                "type": "object",
                "properties": {
                    k: {"type": "string"} for k in ("achievements", "problems", "recommendations")
                },
            },
        },
    },
}

PATHS: dict[str, Any] = {
    "/reports/annual": {
        "get": {
            "summary": "The annual report of a school year (responsible, wg_chair, director, council)",
            "parameters": [
                {
                    "name": "year",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer"},
                    "description": "the year its 1 September falls in; the current school year when absent",
                }
            ],
            "responses": {**ok(ref("AnnualReport")), **errors(400, 401, 403, 422)},
        }
    }
}
