"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.web import openapi_acts, openapi_plan

_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "problems": {"type": "array", "items": {"$ref": "#/components/schemas/DeployProblem"}},
    },
}

_TASK = {
    "type": "object",
    "required": [
        "id",
        "instance_id",
        "process_id",
        "bpmn_id",
        "name",
        "role",
        "assignee",
        "status",
        "due_at",
        "created_at",
    ],
    "properties": {
        "id": {"type": "integer"},
        "instance_id": {"type": "integer"},
        "process_id": {"type": "string"},
        "bpmn_id": {"type": "string"},
        "name": {"type": "string"},
        "role": {"type": ["string", "null"]},
        "assignee": {"type": ["string", "null"], "description": "username"},
        "status": {"type": "string", "enum": ["open", "completed", "cancelled"]},
        "due_at": {"type": ["string", "null"], "format": "date-time"},
        "created_at": {"type": "string", "format": "date-time"},
        "completed_at": {"type": ["string", "null"], "format": "date-time"},
        "completed_by": {"type": ["string", "null"]},
        "candidate_roles": {"type": "array", "items": {"type": "string"}},
    },
}

_INSTANCE = {
    "type": "object",
    "required": [
        "id",
        "process_id",
        "version",
        "status",
        "title",
        "started_by",
        "started_at",
        "ended_at",
        "tasks",
        "history",
    ],
    "properties": {
        "id": {"type": "integer"},
        "process_id": {"type": "string"},
        "version": {"type": "integer"},
        "status": {"type": "string", "enum": ["running", "completed", "cancelled", "error"]},
        "title": {"type": "string"},
        "started_by": {"type": ["string", "null"]},
        "started_at": {"type": "string", "format": "date-time"},
        "ended_at": {"type": ["string", "null"], "format": "date-time"},
        "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["at", "actor", "action", "task", "decision", "comment"],
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "actor": {"type": "string"},
                    "action": {"type": "string"},
                    "task": {"type": ["string", "null"]},
                    "decision": {"type": ["string", "null"]},
                    "comment": {"type": ["string", "null"]},
                },
            },
        },
    },
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


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(code): {
            "description": "error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _ok(schema: dict[str, Any], code: int = 200) -> dict[str, Any]:
    return {str(code): {"description": "success", "content": {"application/json": {"schema": schema}}}}


def _id_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


_DATA_BODY = {
    "content": {
        "application/json": {"schema": {"type": "object", "properties": {"data": {"type": "object"}}}}
    }
}

# Completing a step that needs a signature (a commission member's tool vote): either the form's
# `signed` statement is ticked, or the password is re-entered here; it is checked and never stored.
_COMPLETE_BODY = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "data": {"type": "object"},
                    "signature": {"type": "object", "properties": {"password": {"type": "string"}}},
                },
            }
        }
    }
}

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


def openapi_document() -> dict[str, Any]:
    from service.web.openapi_incidents import incident_paths, incident_schemas

    doc = _core_document()
    doc["paths"].update(incident_paths())
    doc["components"]["schemas"].update(incident_schemas())
    return doc


def _core_document() -> dict[str, Any]:
    task_ref = {"$ref": "#/components/schemas/Task"}
    instance_ref = {"$ref": "#/components/schemas/Instance"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "School AI-governance workflows", "version": "1.0.0"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": _ERROR,
                "Task": _TASK,
                "Instance": _INSTANCE,
                "Tool": _TOOL,
                "Order": _ORDER,
                **openapi_acts.SCHEMAS,
                **openapi_plan.SCHEMAS,
                "DeployProblem": {
                    "type": "object",
                    "properties": {
                        "element": {"type": ["string", "null"]},
                        "line": {"type": ["integer", "null"]},
                        "message": {"type": "string"},
                    },
                },
            },
        },
        "paths": {
            "/processes": {
                "get": {
                    "summary": "Processes the caller may start",
                    "responses": {
                        **_ok(
                            {
                                "type": "object",
                                "properties": {
                                    "processes": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "name", "version"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "version": {"type": "integer"},
                                            },
                                        },
                                    }
                                },
                            }
                        ),
                        **_errors(401),
                    },
                },
                "post": {
                    "summary": "Deploy a BPMN file as the next version (admin)",
                    "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
                    "responses": {
                        **_ok(
                            {
                                "type": "object",
                                "properties": {"id": {"type": "string"}, "version": {"type": "integer"}},
                            },
                            201,
                        ),
                        **_errors(401, 403, 422),
                    },
                },
            },
            "/processes/{process_id}/instances": {
                "post": {
                    "summary": "Start an instance",
                    "parameters": [
                        {"name": "process_id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": _DATA_BODY,
                    "responses": {**_ok(instance_ref, 201), **_errors(400, 401, 403, 404)},
                },
            },
            "/tasks": {
                "get": {
                    "summary": "Inbox rows, newest first",
                    "parameters": [
                        {
                            "name": "scope",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["mine", "roles", "all"]},
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["open", "completed", "cancelled", "any"]},
                        },
                        {"name": "instance_id", "in": "query", "schema": {"type": "integer"}},
                        {"name": "process_id", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                        },
                        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    ],
                    "responses": {
                        **_ok(
                            {
                                "type": "object",
                                "properties": {
                                    "tasks": {"type": "array", "items": task_ref},
                                    "total": {"type": "integer"},
                                },
                            }
                        ),
                        **_errors(400, 401),
                    },
                },
            },
            "/tasks/{task_id}": {
                "get": {
                    "summary": "A task with its form schema and current data",
                    "parameters": [_id_param("task_id")],
                    "responses": {
                        **_ok(
                            {
                                "allOf": [
                                    task_ref,
                                    {
                                        "type": "object",
                                        "properties": {
                                            "form": {
                                                "type": "object",
                                                "properties": {
                                                    "key": {"type": ["string", "null"]},
                                                    "schema": {"type": "object"},
                                                },
                                            },
                                            "data": {"type": "object"},
                                        },
                                    },
                                ]
                            }
                        ),
                        **_errors(401, 404),
                    },
                },
            },
            "/tasks/{task_id}/claim": {
                "post": {
                    "summary": "Claim a task of one of my roles",
                    "parameters": [_id_param("task_id")],
                    "responses": {**_ok(task_ref), **_errors(401, 403, 404, 409)},
                },
            },
            "/tasks/{task_id}/unclaim": {
                "post": {
                    "summary": "Give a claimed task back to its role",
                    "parameters": [_id_param("task_id")],
                    "responses": {**_ok(task_ref), **_errors(401, 403, 404, 409)},
                },
            },
            "/tasks/{task_id}/complete": {
                "post": {
                    "summary": "Complete a task with its form data (and a signature where one is needed)",
                    "parameters": [_id_param("task_id")],
                    "requestBody": _COMPLETE_BODY,
                    "responses": {**_ok(task_ref), **_errors(400, 401, 403, 404, 409, 422)},
                },
            },
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
                        **_ok(
                            {
                                "type": "object",
                                "properties": {
                                    "orders": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Order"},
                                    },
                                    "total": {"type": "integer"},
                                },
                            }
                        ),
                        **_errors(400, 401, 422),
                    },
                },
            },
            "/orders/{order_id}": {
                "get": {
                    "summary": "An order with its editions, approval history and acknowledgements",
                    "parameters": [_id_param("order_id")],
                    "responses": {**_ok({"$ref": "#/components/schemas/Order"}), **_errors(401, 404)},
                },
            },
            "/orders/{order_id}/document.pdf": {
                "get": {
                    "summary": "The registered order as PDF",
                    "parameters": [_id_param("order_id")],
                    "responses": {
                        "200": {"description": "PDF", "content": {"application/pdf": {}}},
                        **_errors(401, 404, 409),
                    },
                },
            },
            "/orders/{order_id}/document.docx": {
                "get": {
                    "summary": "The registered order as DOCX",
                    "parameters": [_id_param("order_id")],
                    "responses": {"200": {"description": "DOCX"}, **_errors(401, 404, 409)},
                },
            },
            "/tools": {
                "get": {
                    "summary": "The register of AI tools (staff: permitted tools only)",
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": TOOL_STATUSES}}
                    ],
                    "responses": {
                        **_ok(
                            {
                                "type": "object",
                                "properties": {
                                    "tools": {"type": "array", "items": {"$ref": "#/components/schemas/Tool"}}
                                },
                            }
                        ),
                        **_errors(401, 422),
                    },
                },
            },
            "/tools/{tool_id}": {
                "get": {
                    "summary": "A register entry with its memo; the evaluation for its readers",
                    "parameters": [_id_param("tool_id")],
                    "responses": {**_ok({"$ref": "#/components/schemas/Tool"}), **_errors(401, 404)},
                },
            },
            "/tools/{tool_id}/conclusion.pdf": {
                "get": {
                    "summary": "The commission's conclusion as PDF (its SHA-256 is in the audit log)",
                    "parameters": [_id_param("tool_id")],
                    "responses": {
                        "200": {"description": "PDF", "content": {"application/pdf": {}}},
                        **_errors(401, 404),
                    },
                },
            },
            "/instances/{instance_id}": {
                "get": {
                    "summary": "An instance with its open tasks and history",
                    "parameters": [_id_param("instance_id")],
                    "responses": {**_ok(instance_ref), **_errors(401, 404)},
                },
            },
            **openapi_acts.PATHS,
            **openapi_plan.PATHS,
        },
    }
