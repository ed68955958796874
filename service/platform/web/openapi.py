"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.platform.registry import Feature
from service.platform.web.openapi_parts import ACTOR_NAME, errors, ok, path_param, ref

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

_NOTIFICATION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "kind", "params", "created_at", "unread"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string"},
        "params": {"type": "object"},
        "instance_id": {"type": ["integer", "null"]},
        "task_id": {"type": ["integer", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "unread": {"type": "boolean"},
    },
}


def openapi_document(features: Iterable[Feature]) -> dict[str, Any]:
    """The platform's paths and schemas, then each feature's (a feature may not redefine one)."""
    doc = _core_document()
    for feature in features:
        for part, added in (("paths", feature.openapi_paths()), ("schemas", feature.openapi_schemas())):
            target = doc["paths"] if part == "paths" else doc["components"]["schemas"]
            clash = set(target).intersection(added)
            if clash:
                raise ValueError(f"{feature.name} redefines OpenAPI {part}: {sorted(clash)}")
            target.update(added)
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
                "Notification": _NOTIFICATION,
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
            "/notifications": {
                "get": {
                    "summary": "My notifications, newest first, with the unread count",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        **ok(
                            {
                                "type": "object",
                                "required": ["unread", "notifications"],
                                "properties": {
                                    "unread": {"type": "integer"},
                                    "notifications": {
                                        "type": "array",
                                        "items": ref("Notification"),
                                    },
                                },
                            }
                        ),
                        **errors(401),
                    },
                }
            },
            "/instances/{instance_id}": {
                "get": {
                    "summary": "An instance with its open tasks and history",
                    "parameters": [path_param("instance_id")],
                    "responses": {**ok(instance_ref), **errors(401, 404)},
                },
            },
            "/instances/{instance_id}/cancel": {
                "post": {
                    "summary": "Cancel a running or stopped instance with a reason (admin; audited)",
                    "parameters": [path_param("instance_id")],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["reason"],
                                    "properties": {"reason": {"type": "string", "maxLength": 2000}},
                                }
                            }
                        }
                    },
                    "responses": {**ok(instance_ref), **errors(400, 401, 403, 404, 409, 422)},
                },
            },
            "/instances/{instance_id}/retry": {
                "post": {
                    "summary": "Run an instance stopped by an error again from its last saved state (admin)",
                    "parameters": [path_param("instance_id")],
                    "responses": {**ok(instance_ref), **errors(401, 403, 404, 409, 422)},
                },
            },
        },
    }
