"""Building blocks of the OpenAPI paths (responses, parameters) for the platform's and features' parts."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, Any]:
    """A reference to the component schema `name`."""
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict[str, Any], code: int = 200) -> dict[str, Any]:
    """A success response with a JSON body of `schema`."""
    return {str(code): {"description": "success", "content": {"application/json": {"schema": schema}}}}


def errors(*codes: int) -> dict[str, Any]:
    """Error responses, each with the common `Error` body."""
    return {
        str(code): {"description": "error", "content": {"application/json": {"schema": ref("Error")}}}
        for code in codes
    }


def path_param(name: str, type_: str = "integer") -> dict[str, Any]:
    """A required path parameter, an integer id unless told otherwise."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": type_}}


def query_param(name: str, type_: str, description: str) -> dict[str, Any]:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": type_},
        "description": description,
    }
