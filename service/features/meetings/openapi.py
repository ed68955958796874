"""The OpenAPI description of meetings and their minutes, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.meetings import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param


def _body(required: list[str], props: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": props}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_NAMES = {"type": "array", "items": {"type": "string"}}
_KINDS = {
    "type": "string",
    "enum": ["working_group", "council", "training", "class_hour", "parents", "other"],
}
_LINK_KINDS = "an evidence kind (order, act_edition, tool, incident, meeting, …) or process"
_AGENDA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": _TEXT,
            "presenter": _TEXT,
            "link_kind": {"type": "string", "description": _LINK_KINDS},
            "link_ref": {"type": "string", "description": "the record's reference, as plan marks cite it"},
        },
    },
}
_ONE = path_param("meeting_id")
_DETAIL = schema_ref(schemas.MeetingDetail)
_FILE = {"200": {"description": "the minutes (a draft until approved)"}}

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

PATHS: dict[str, Any] = {
    "/meetings": {
        "get": {
            "summary": "The register: every meeting (director, wg_chair), else the caller's own",
            "parameters": [
                {"name": "kind", "in": "query", "schema": _KINDS},
                {
                    "name": "year",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
                },
                {"name": "q", "in": "query", "schema": _TEXT},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {**ok(schema_ref(schemas.MeetingRegister)), **errors(400, 401, 422)},
        },
        "post": {
            "summary": "Call a meeting; its invitees are notified with the agenda",
            "requestBody": _body(
                ["kind", "title", "starts_at", "chair", "secretary", "agenda"],
                {
                    "kind": _KINDS,
                    "title": _TEXT,
                    "starts_at": {
                        "type": "string",
                        "description": "YYYY-MM-DDTHH:MM, the school's local time",
                    },
                    "place": _TEXT,
                    "online_link": _TEXT,
                    "chair": _TEXT,
                    "secretary": _TEXT,
                    "invited_roles": _NAMES,
                    "invitees": _NAMES,
                    "external_count": {"type": "integer", "minimum": 0},
                    "external_list": _TEXT,
                    "plan_item": {"type": "integer", "minimum": 1, "maximum": 30},
                    "agenda": _AGENDA,
                },
            ),
            "responses": {**ok(_DETAIL, 201), **errors(401, 403, 422)},
        },
    },
    "/meetings/{meeting_id}": {
        "get": {
            "summary": "One meeting (chair, secretary, invitees; else 403, or 404 if on an incident)",
            "parameters": [_ONE],
            "responses": {**ok(_DETAIL), **errors(401, 403, 404)},
        },
    },
    "/meetings/{meeting_id}/agenda": {
        "post": {
            "summary": "Replace the agenda (the chair, until the meeting starts); invitees are told",
            "parameters": [_ONE],
            "requestBody": _body(["agenda"], {"agenda": _AGENDA}),
            "responses": {**ok(_DETAIL), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/meetings/{meeting_id}/reschedule": {
        "post": {
            "summary": "Move the meeting (the chair, until it starts); invitees are told",
            "parameters": [_ONE],
            "requestBody": _body(
                ["starts_at"],
                {
                    "starts_at": {
                        "type": "string",
                        "description": "YYYY-MM-DDTHH:MM, the school's local time",
                    },
                    "place": _TEXT,
                    "online_link": _TEXT,
                },
            ),
            "responses": {**ok(_DETAIL), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/meetings/{meeting_id}/cancel": {
        "post": {
            "summary": "Call the meeting off (the chair, before approval); its open tasks are withdrawn",
            "parameters": [_ONE],
            "requestBody": _body(["reason"], {"reason": _TEXT}),
            "responses": {**ok(_DETAIL), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/meetings/{meeting_id}/attendance": {
        "post": {
            "summary": "Record who was present and who was absent with a reason (chair or secretary)",
            "parameters": [_ONE],
            "requestBody": _body(
                ["attendance"],
                {
                    "attendance": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["username", "present"],
                            "properties": {
                                "username": _TEXT,
                                "present": {"type": "boolean"},
                                "reason": _TEXT,
                            },
                        },
                    },
                    "external_present": {"type": "integer", "minimum": 0},
                },
            ),
            "responses": {**ok(_DETAIL), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/meetings/{meeting_id}/decisions": {
        "post": {
            "summary": "Record an agenda item's heard/spoke and one resolution with its vote and follow-ups",
            "parameters": [_ONE],
            "requestBody": _body(
                ["item_id", "text"],
                {
                    "item_id": {"type": "integer"},
                    "heard": _TEXT,
                    "discussion": _TEXT,
                    "text": _TEXT,
                    "vote": {"type": "string", "enum": ["none", "counts", "named"]},
                    "votes_for": {"type": "integer", "minimum": 0},
                    "votes_against": {"type": "integer", "minimum": 0},
                    "votes_abstain": {"type": "integer", "minimum": 0},
                    "named_votes": {
                        "type": "object",
                        "additionalProperties": {"type": "string", "enum": ["for", "against", "abstain"]},
                    },
                    "followups": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["assignee", "due_on", "text"],
                            "properties": {"assignee": _TEXT, "due_on": _DATE, "text": _TEXT},
                        },
                    },
                },
            ),
            "responses": {**ok(_DETAIL, 201), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/meetings/{meeting_id}/decisions/{decision_id}": {
        "delete": {
            "summary": "Take back a resolution before approval; its follow-up tasks leave the inboxes",
            "parameters": [_ONE, path_param("decision_id")],
            "responses": {**ok(_DETAIL), **errors(401, 403, 404, 409)},
        },
    },
    "/meetings/{meeting_id}/approve": {
        "post": {
            "summary": "The chair approves the minutes: numbered per kind and year, frozen from now on",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.MeetingApproved)), **errors(401, 403, 404, 409)},
        },
    },
    "/meetings/{meeting_id}/addenda": {
        "post": {
            "summary": "A numbered addendum correcting approved minutes (chair or secretary)",
            "parameters": [_ONE],
            "requestBody": _body(["text"], {"text": _TEXT}),
            "responses": {
                **ok(schema_ref(schemas.MeetingAddendumCreated), 201),
                **errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/meetings/{meeting_id}/minutes.pdf": {
        "get": {
            "summary": "The minutes as PDF",
            "parameters": [_ONE],
            "responses": {
                "200": {**_FILE["200"], "content": {"application/pdf": {}}},
                **errors(401, 403, 404),
            },
        },
    },
    "/meetings/{meeting_id}/minutes.docx": {
        "get": {
            "summary": "The minutes as DOCX",
            "parameters": [_ONE],
            "responses": {
                "200": {
                    **_FILE["200"],
                    "content": {
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}
                    },
                },
                **errors(401, 403, 404),
            },
        },
    },
}
