"""OpenAPI schemas of the order register and of a person named in a history (used by openapi.py)."""

from __future__ import annotations

from typing import Any

ACTOR_NAME = {
    "type": "string",
    "description": "the person's full name (added in 1.1; the username when no account has it, e.g. system)",
}

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
