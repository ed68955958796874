"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.platform.registry import Feature
from service.platform.web import region_schemas, schemas
from service.platform.web.api_model import component_schemas, merge_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param, query_param

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


def openapi_document(features: Iterable[Feature]) -> dict[str, Any]:
    """The platform's paths and schemas, then each feature's (a feature may not redefine one).

    A feature's schemas may repeat a platform model that one of its models nests (e.g. `Task`): the
    same schema under the same name is one schema; a different one under a taken name is refused.
    """
    doc = _core_document()
    for feature in features:
        added = feature.openapi_paths()
        clash = set(doc["paths"]).intersection(added)
        if clash:
            raise ValueError(f"{feature.name} redefines OpenAPI paths: {sorted(clash)}")
        doc["paths"].update(added)
        doc["components"]["schemas"] = merge_schemas(
            (doc["components"]["schemas"], dict(feature.openapi_schemas())), feature.name
        )
    _fill_registry_enums(doc["components"]["schemas"], features)
    _document_refusals_at_the_edge(doc["paths"])
    return doc


def _document_refusals_at_the_edge(paths: dict[str, Any]) -> None:
    """Every operation that takes parameters or a body may answer 400 or 422: the edge refuses a
    malformed value (`year=abc`) or one out of its range (`limit=0`, `offset=-1`) before any use case
    runs. An id in the path that no row can have finds no route: 404."""
    for path, operations in paths.items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if "{" in path or operation.get("parameters") or operation.get("requestBody"):
                for status, description in _EDGE_REFUSALS.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )


_EDGE_REFUSALS = {
    "400": "a request the edge cannot read: a malformed body or a filter that is not a value of its kind "
    "(`message` says which)",
    "422": "`validation_failed`: a number out of its range (`limit`, `offset`, an id) or data breaking "
    "the form; `fields` names each with its problem",
}


def _fill_registry_enums(node: Any, features: Iterable[Feature]) -> None:
    """A property marked `x-enum-from: <registry table>` lists that table's keys as its enum, so a
    field whose values the composed features declare (evidence kinds) is documented as composed."""
    if isinstance(node, dict):
        table = node.pop("x-enum-from", None)
        if isinstance(table, str):
            node["enum"] = sorted({key for feature in features for key in getattr(feature, table)})
        for value in node.values():
            _fill_registry_enums(value, features)
    elif isinstance(node, list):
        for value in node:
            _fill_registry_enums(value, features)


def _core_document() -> dict[str, Any]:
    task_ref = schema_ref(schemas.Task)
    instance_ref = schema_ref(schemas.Instance)
    return {
        "openapi": "3.1.0",
        # 1.5: surveys; 1.6: the region dashboard a page of schools at a time, with the region's totals;
        # 1.7: a deploy's `warnings` (steps sent to a role nobody active holds)
        "info": {"title": "School AI-governance workflows", "version": "1.8.0"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {**component_schemas(*schemas.MODELS), **region_schemas.schemas()},
        },
        "paths": {
            "/processes": {
                "get": {
                    "summary": "Processes the caller may start",
                    "responses": {
                        **ok(schema_ref(schemas.ProcessList)),
                        **errors(401),
                    },
                },
                "post": {
                    "summary": "Deploy a BPMN file as the next version (admin)",
                    "description": (
                        "201 with a new version, 200 when the content is already the active one; "
                        "`warnings` lists what to set right that does not stop a deploy (steps sent to a "
                        "role no active person of the school holds), each in the caller's language. 422 "
                        "`invalid_bpmn` lists every problem with its element, line, code, English "
                        "`message` and `text` in the caller's language; the active version stays. 409 "
                        "`process_exists` when the process id belongs to another process's history or the "
                        "name changes: send again with `replace=true` to confirm."
                    ),
                    "parameters": [
                        query_param("replace", "boolean", "confirm replacing a process that exists"),
                        query_param("note", "string", "what changed, kept with the version"),
                        query_param("filename", "string", "the file's name, kept for the admin"),
                    ],
                    "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
                    "responses": {
                        **ok(schema_ref(schemas.DeployedProcess), 201),
                        **ok(schema_ref(schemas.DeployedProcess)),
                        **errors(401, 403, 409, 422),
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
                        {
                            "name": "cursor",
                            "in": "query",
                            "description": "keyset paging: an answer's `next` or `previous`; the page "
                            "then starts right beside that row at the same cost anywhere in the list, and "
                            "`offset` is ignored. A token not made by this service answers 422.",
                            "schema": {"type": "string", "maxLength": 64},
                        },
                    ],
                    "responses": {
                        **ok(schema_ref(schemas.TaskList)),
                        **errors(400, 401),
                    },
                },
            },
            "/tasks/{task_id}": {
                "get": {
                    "summary": "A task with its form schema and current data",
                    "parameters": [path_param("task_id")],
                    "responses": {
                        **ok(schema_ref(schemas.TaskDetail)),
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
            **_campaign_paths(),
            **_migration_paths(),
            **_publish_paths(),
            **_deputy_paths(),
            **region_schemas.paths(),
            "/settings": {
                "get": {
                    "summary": "The school's deadlines and voting rules, with where each comes from (admin)",
                    "responses": {**ok(schema_ref(schemas.SettingList)), **errors(401, 403)},
                },
                "put": {
                    "summary": "Change school settings (admin; audited; an empty value: back to the default)",
                    "description": "All or nothing: 422 with `fields` naming each invalid setting.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["values"],
                                    "properties": {
                                        "values": {
                                            "type": "object",
                                            "additionalProperties": {"type": "string", "maxLength": 40},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {**ok(schema_ref(schemas.SettingList)), **errors(400, 401, 403, 409, 422)},
                },
            },
            "/notifications": {
                "get": {
                    "summary": "My notifications, newest first, with the unread count",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        **ok(schema_ref(schemas.NotificationList)),
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


def _deputy_paths() -> dict[str, Any]:
    """Out of office: naming a deputy for a date range, listing and ending substitutions."""
    listed = {**ok(schema_ref(schemas.SubstitutionList)), **errors(401)}
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["deputy", "starts_on", "ends_on"],
                    "properties": {
                        "absent": {"type": "string", "description": "username (admin only; default: me)"},
                        "deputy": {"type": "string", "description": "username"},
                        "starts_on": {"type": "string", "format": "date"},
                        "ends_on": {"type": "string", "format": "date"},
                    },
                }
            }
        },
    }
    return {
        "/deputies": {
            "get": {
                "summary": "Substitutions not yet over (mine; everyone's for admin)",
                "responses": listed,
            },
            "post": {
                "summary": "Name a deputy for a date range (for oneself, or anyone by admin; audited)",
                "description": "422 per field; 409 when a deputy is already named for part of the days.",
                "requestBody": body,
                "responses": {
                    **ok(schema_ref(schemas.Substitution), 201),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/deputies/{substitution_id}/cancel": {
            "post": {
                "summary": "End a substitution now (the absent person or admin; audited)",
                "parameters": [path_param("substitution_id")],
                "responses": {**listed, **errors(403, 404)},
            },
        },
    }


def _migration_paths() -> dict[str, Any]:
    """Moving running instances of an older version to another one (admin)."""
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["from_version", "to_version"],
                    "properties": {
                        "from_version": {"type": "integer", "minimum": 1},
                        "to_version": {"type": "integer", "minimum": 1},
                        "instance_ids": {"type": "array", "items": {"type": "integer"}, "maxItems": 500},
                        "dry_run": {"type": "boolean", "default": True},
                        "mapping": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "BPMN id of a from_version step -> BPMN id of a to_version step",
                        },
                    },
                }
            }
        },
    }
    return {
        "/processes/{process_id}/migrations": {
            "post": {
                "summary": "Dry run or move running instances of one version to another (admin)",
                "description": (
                    "Without `instance_ids`, every running instance of `from_version`. Each moves in its "
                    "own transaction; one that cannot move stays as it is, with `reason` in the caller's "
                    "language. `dry_run` (default true) changes nothing."
                ),
                "parameters": [path_param("process_id", "string")],
                "requestBody": body,
                "responses": {**ok(schema_ref(schemas.MigrationResult)), **errors(400, 401, 403, 404, 422)},
            },
        },
    }


def _publish_paths() -> dict[str, Any]:
    """The region's administrator publishes a version of a region process to every school."""
    body = {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "version": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "the region's version to publish (default: its active one)",
                        }
                    },
                }
            }
        },
    }
    return {
        "/processes/{process_id}/publish": {
            "post": {
                "summary": "Publish the region's version to every school as their new version (region_admin)",
                "description": (
                    "Each school gets it as its next version, made active (running instances stay on "
                    "theirs); a school whose active version was its own adaptation keeps it as an older "
                    "version (`replaced_own`) and its admins are notified; a school where it cannot deploy "
                    "keeps what it had (`problems`). Audited in the region and in each school."
                ),
                "parameters": [path_param("process_id", "string")],
                "requestBody": body,
                "responses": {**ok(schema_ref(schemas.Publication)), **errors(400, 401, 403, 404, 422)},
            },
        },
    }


def _campaign_paths() -> dict[str, Any]:
    """Campaigns (acknowledgements, surveys): a person responds; a manager reads, closes, reminds, extends."""
    progress = {**ok(schema_ref(schemas.CampaignProgress)), **errors(401, 403, 404, 409)}
    extend_body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["deadline_at"],
                    "properties": {"deadline_at": {"type": "string", "format": "date-time"}},
                }
            }
        },
    }
    return {
        "/campaign-tasks/{task_id}/respond": {
            "post": {
                "summary": "Respond to my pending campaign task (once; a second time is 409)",
                "parameters": [path_param("task_id")],
                "requestBody": _COMPLETE_BODY,
                "responses": {
                    **ok(schema_ref(schemas.CampaignResponse)),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/campaigns/{campaign_id}": {
            "get": {
                "summary": "A campaign's progress (its managers and admin)",
                "parameters": [path_param("campaign_id")],
                "responses": {**ok(schema_ref(schemas.CampaignProgress)), **errors(401, 403, 404)},
            },
        },
        "/campaigns/{campaign_id}/close": {
            "post": {
                "summary": "End the campaign now; the process's waiting step completes with the counts",
                "parameters": [path_param("campaign_id")],
                "responses": progress,
            },
        },
        "/campaigns/{campaign_id}/remind": {
            "post": {
                "summary": "Remind the people still pending",
                "parameters": [path_param("campaign_id")],
                "responses": progress,
            },
        },
        "/campaigns/{campaign_id}/extend": {
            "post": {
                "summary": "Move the deadline later",
                "parameters": [path_param("campaign_id")],
                "requestBody": extend_body,
                "responses": {**progress, **errors(400)},
            },
        },
    }
