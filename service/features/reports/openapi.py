"""The annual report's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from service.features.reports import schemas
from service.platform.web.api_model import component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok

SCHEMAS: dict[str, Any] = component_schemas(*schemas.MODELS)

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
            "responses": {**ok(schema_ref(schemas.AnnualReport)), **errors(400, 401, 403, 422)},
        }
    }
}
