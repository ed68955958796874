"""The OpenAPI description of surveys, merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from service.features.surveys import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, path_param

_TEXTS = {
    "type": "object",
    "properties": {"kk": {"type": "string"}, "ru": {"type": "string"}, "en": {"type": "string"}},
}
_QUESTION = {
    "type": "object",
    "required": ["type", "text"],
    "properties": {
        "type": {
            "type": "string",
            "enum": ["single", "multiple", "scale", "number", "short_text", "long_text"],
        },
        "text": _TEXTS,
        "required": {"type": "boolean"},
        "dont_know": {"type": "boolean"},
        "options": {"type": "array", "items": {"type": "object", "properties": {"text": _TEXTS}}},
        "low": _TEXTS,
        "high": _TEXTS,
    },
}
_CREATE = {
    "type": "object",
    "description": 'Either {"template": "ai_knowledge" | "competences" | "ai_usage"}, or the fields below',
    "properties": {
        "template": {"type": "string"},
        "title": _TEXTS,
        "intro": _TEXTS,
        "privacy": {"type": "string", "enum": ["anonymous", "named"]},
        "audience_roles": {"type": "array", "items": {"type": "string"}},
        "audience_people": {"type": "array", "items": {"type": "string"}, "description": "usernames"},
        "opens_on": {"type": "string", "format": "date"},
        "closes_on": {"type": "string", "format": "date"},
        "plan_item": {"type": ["integer", "null"], "enum": [1, 9, 26, None]},
        "questions": {"type": "array", "items": _QUESTION},
    },
}
_ANSWER = {
    "type": "object",
    "required": ["answers"],
    "properties": {
        "answers": {
            "type": "object",
            "description": (
                'question id → answer: an option value, a list of them, 1–5, a number, a text, or "dont_know"'
            ),
        },
        "respondent": {
            "type": "string",
            "description": "named surveys: the staff member whose interview HR or a deputy director records",
        },
    },
}
_ONE = path_param("survey_id")


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

PATHS: dict[str, Any] = {
    "/surveys": {
        "get": {
            "summary": "Surveys the caller may see (drafts for keepers), with the caller's own task status",
            "responses": {**ok(schema_ref(schemas.SurveyList)), **errors(401)},
        },
        "post": {
            "summary": "Create a draft survey, blank or from a plan template (keepers: responsible, wg_chair,"
            " hr, deputy_director)",
            "requestBody": _body(_CREATE),
            "responses": {**ok(schema_ref(schemas.Survey), 201), **errors(400, 401, 403, 422)},
        },
    },
    "/surveys/{survey_id}": {
        "get": {
            "summary": "One survey with its questions (a draft: keepers only, else 404)",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.Survey)), **errors(401, 404)},
        },
    },
    "/surveys/{survey_id}/open": {
        "post": {
            "summary": "Open a draft: its audience gets inbox tasks and a notification",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.Survey)), **errors(401, 403, 404, 409, 422)},
        },
    },
    "/surveys/{survey_id}/close": {
        "post": {
            "summary": "Close an open survey early: the open tasks are withdrawn",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.Survey)), **errors(401, 403, 404, 409)},
        },
    },
    "/surveys/{survey_id}/answers": {
        "post": {
            "summary": "The caller's answer (403 outside the audience, 409 when answered before or closed)",
            "parameters": [_ONE],
            "requestBody": _body(_ANSWER),
            "responses": {**ok(schema_ref(schemas.Answered), 201), **errors(400, 401, 403, 404, 409, 422)},
        },
    },
    "/surveys/{survey_id}/results": {
        "get": {
            "summary": "Participation and each question's figures; groups under 3 answers show none",
            "parameters": [_ONE],
            "responses": {**ok(schema_ref(schemas.SurveyResults)), **errors(401, 403, 404)},
        },
    },
}
