"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.acts import openapi as openapi_acts
from service.features.consultations import openapi as openapi_consultations
from service.features.incidents import openapi as openapi_incidents
from service.features.orders import openapi as openapi_orders
from service.features.orders.openapi import ACTOR_NAME
from service.features.plan import openapi as openapi_plan
from service.features.reports import openapi as openapi_reports
from service.platform.web.openapi_parts import errors, ok, path_param, ref

_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "problems": {"type": "array", "items": ref("DeployProblem")},
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
        "tasks": {"type": "array", "items": ref("Task")},
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["at", "actor", "actor_name", "action", "task", "decision", "comment"],
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "actor": {"type": "string", "description": "username"},
                    "actor_name": ACTOR_NAME,
                    "action": {"type": "string"},
                    "task": {"type": ["string", "null"]},
                    "decision": {"type": ["string", "null"]},
                    "comment": {"type": ["string", "null"]},
                },
            },
        },
    },
}


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
    doc = _core_document()
    doc["paths"].update(openapi_incidents.incident_paths())
    doc["components"]["schemas"].update(openapi_incidents.incident_schemas())
    doc["paths"].update(openapi_reports.PATHS)
    doc["components"]["schemas"].update(openapi_reports.SCHEMAS)
    doc["paths"].update(openapi_consultations.PATHS)
    doc["components"]["schemas"].update(openapi_consultations.SCHEMAS)
    return doc


def _core_document() -> dict[str, Any]:
    task_ref = ref("Task")
    instance_ref = ref("Instance")
    return {
        "openapi": "3.1.0",
        "info": {"title": "School AI-governance workflows", "version": "1.1.0"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": _ERROR,
                "Task": _TASK,
                "Instance": _INSTANCE,
                "Tool": _TOOL,
                **openapi_orders.SCHEMAS,
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
                        **ok(
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
                        **errors(401),
                    },
                },
                "post": {
                    "summary": "Deploy a BPMN file as the next version (admin)",
                    "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
                    "responses": {
                        **ok(
                            {
                                "type": "object",
                                "properties": {"id": {"type": "string"}, "version": {"type": "integer"}},
                            },
                            201,
                        ),
                        **errors(401, 403, 422),
                    },
                },
            },
            "/processes/{process_id}/instances": {
                "post": {
                    "summary": "Start an instance",
                    "parameters": [path_param("process_id", "string")],
                    "requestBody": _DATA_BODY,
                    "responses": {**ok(instance_ref, 201), **errors(400, 401, 403, 404)},
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
                        **ok(
                            {
                                "type": "object",
                                "properties": {
                                    "tasks": {"type": "array", "items": task_ref},
                                    "total": {"type": "integer"},
                                },
                            }
                        ),
                        **errors(400, 401),
                    },
                },
            },
            "/tasks/{task_id}": {
                "get": {
                    "summary": "A task with its form schema and current data",
                    "parameters": [path_param("task_id")],
                    "responses": {
                        **ok(
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
                        **errors(401, 404),
                    },
                },
            },
            "/tasks/{task_id}/claim": {
                "post": {
                    "summary": "Claim a task of one of my roles",
                    "parameters": [path_param("task_id")],
                    "responses": {**ok(task_ref), **errors(401, 403, 404, 409)},
                },
            },
            "/tasks/{task_id}/unclaim": {
                "post": {
                    "summary": "Give a claimed task back to its role",
                    "parameters": [path_param("task_id")],
                    "responses": {**ok(task_ref), **errors(401, 403, 404, 409)},
                },
            },
            "/tasks/{task_id}/complete": {
                "post": {
                    "summary": "Complete a task with its form data (and a signature where one is needed)",
                    "parameters": [path_param("task_id")],
                    "requestBody": _COMPLETE_BODY,
                    "responses": {**ok(task_ref), **errors(400, 401, 403, 404, 409, 422)},
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
            "/instances/{instance_id}": {
                "get": {
                    "summary": "An instance with its open tasks and history",
                    "parameters": [path_param("instance_id")],
                    "responses": {**ok(instance_ref), **errors(401, 404)},
                },
            },
            **openapi_acts.PATHS,
            **openapi_plan.PATHS,
        },
    }
