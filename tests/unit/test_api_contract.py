"""/api/v1's document stays compatible with 1.1 and describes exactly the routes the application serves.

`tests/fixtures/openapi_v1.json` is the document as it was hand-written (generated once from main before
the response models replaced it). Every schema, path, property, `required` list, type, nullability,
format and enum it had must still be there; additions are allowed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from service import create_app
from service.features import FEATURES
from service.platform.web.openapi import openapi_document

SNAPSHOT = Path(__file__).resolve().parents[1] / "fixtures" / "openapi_v1.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = {**doc["components"]["schemas"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    types = set(declared) if isinstance(declared, list) else {declared} if declared else set()
    if not types and "properties" in schema:
        types = {"object"}
    if None in schema.get("enum", ()):
        types.add("null")
    return types


def _shape(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """What a schema promises, with `$ref`, `allOf` and a null branch of `anyOf`/`oneOf` flattened."""
    schema = _resolve(schema, doc)
    shape: dict[str, Any] = {
        "types": _types(schema),
        "format": schema.get("format"),
        "enum": set(schema["enum"]) if "enum" in schema else None,
        "properties": dict(schema.get("properties", {})),
        "required": set(schema.get("required", ())),
        "items": schema.get("items"),
        "additional": schema.get("additionalProperties"),
    }
    for part in schema.get("allOf", ()):
        inner = _shape(part, doc)
        shape["types"] |= inner["types"]
        shape["properties"].update(inner["properties"])
        shape["required"] |= inner["required"]
    branches = schema.get("anyOf") or schema.get("oneOf") or ()
    for branch in branches:
        inner = _shape(branch, doc)
        shape["types"] |= inner["types"]
        if inner["types"] != {"null"}:
            for key in ("format", "enum", "items", "additional"):
                shape[key] = shape[key] or inner[key]
            shape["properties"].update(inner["properties"])
            shape["required"] |= inner["required"]
    return shape


def compatibility_problems(
    old: dict[str, Any], old_doc: dict[str, Any], new: dict[str, Any], new_doc: dict[str, Any], where: str
) -> list[str]:
    """How `new` breaks what `old` promised: types and nullability, format, enum, properties, required."""
    before, after = _shape(old, old_doc), _shape(new, new_doc)
    problems = []
    if before["types"] and before["types"] != after["types"]:
        problems.append(f"{where}: type {sorted(before['types'])} became {sorted(after['types'])}")
    if before["format"] and before["format"] != after["format"]:
        problems.append(f"{where}: format {before['format']} became {after['format']}")
    # A value a newer feature adds (an evidence kind) is an addition; a value gone is a break.
    if before["enum"] is not None and not before["enum"] <= (after["enum"] or set()):
        problems.append(f"{where}: enum {before['enum']} became {after['enum']}")
    # A free-form object (no properties documented) promised no field: describing its fields adds only.
    if before["required"] != after["required"] and (before["properties"] or before["required"]):
        problems.append(f"{where}: required {sorted(before['required'])} became {sorted(after['required'])}")
    for name, prop in before["properties"].items():
        if name not in after["properties"]:
            problems.append(f"{where}: property {name} is gone")
        else:
            problems += compatibility_problems(
                prop, old_doc, after["properties"][name], new_doc, f"{where}.{name}"
            )
    for key in ("items", "additional"):
        if isinstance(before[key], dict):
            if not isinstance(after[key], dict):
                problems.append(f"{where}: {key} is gone")
            else:
                problems += compatibility_problems(before[key], old_doc, after[key], new_doc, f"{where}[]")
    return problems


def _json_schemas(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON bodies of an operation: its request body and each response, by where they are."""
    found = {}
    for media, content in operation.get("requestBody", {}).get("content", {}).items():
        if "schema" in content:
            found[f"request {media}"] = content["schema"]
    for code, response in operation.get("responses", {}).items():
        for media, content in response.get("content", {}).items():
            if "schema" in content:
                found[f"{code} {media}"] = content["schema"]
    return found


def test_the_document_keeps_every_schema_path_and_field_of_1_1() -> None:
    old = json.loads(SNAPSHOT.read_text())
    new = openapi_document(FEATURES)
    problems: list[str] = []
    for name, schema in old["components"]["schemas"].items():
        if name not in new["components"]["schemas"]:
            problems.append(f"schema {name} is gone")
        else:
            problems += compatibility_problems(schema, old, new["components"]["schemas"][name], new, name)
    for path, item in old["paths"].items():
        for method, operation in item.items():
            if method not in new["paths"].get(path, {}):
                problems.append(f"{method.upper()} {path} is gone")
                continue
            now = new["paths"][path][method]
            names = {(p["name"], p["in"]) for p in operation.get("parameters", ())}
            missing = names - {(p["name"], p["in"]) for p in now.get("parameters", ())}
            if missing:
                problems.append(f"{method.upper()} {path}: parameters {sorted(missing)} are gone")
            bodies = _json_schemas(now)
            for where, schema in _json_schemas(operation).items():
                if where not in bodies:
                    problems.append(f"{method.upper()} {path}: {where} is gone")
                else:
                    problems += compatibility_problems(
                        schema, old, bodies[where], new, f"{method.upper()} {path} {where}"
                    )
    assert problems == []


def test_the_check_sees_a_removed_field_and_a_changed_nullability() -> None:
    # The check itself must bite: a field gone and a nullable field made non-null are both reported.
    old = json.loads(SNAPSHOT.read_text())
    new = json.loads(SNAPSHOT.read_text())
    del new["components"]["schemas"]["Task"]["properties"]["completed_by"]
    new["components"]["schemas"]["Task"]["properties"]["role"]["type"] = "string"
    task = new["components"]["schemas"]["Task"]
    problems = compatibility_problems(old["components"]["schemas"]["Task"], old, task, new, "Task")
    assert sorted(problems) == [
        "Task.role: type ['null', 'string'] became ['string']",
        "Task: property completed_by is gone",
    ]


def _openapi_path(rule: str) -> str:
    """A Flask rule under /api/v1 as an OpenAPI path: `<int:task_id>` → `{task_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_every_api_route_is_documented_and_every_documented_path_is_served(tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
            "TESTING": True,
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "STORAGE_DIR": str(tmp_path / "storage"),
        }
    )
    doc = openapi_document(FEATURES)
    served: set[tuple[str, str]] = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = _openapi_path(rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            served.add((path, method.lower()))
    # A rule with a variable file kind (`document.<kind>`) serves each documented kind.
    kinds = {(p, m) for p, m in served if "{kind}" in p}
    documented = {
        (path, method) for path, item in doc["paths"].items() for method in item if method in METHODS
    }
    served -= kinds
    for path, method in kinds:
        pattern = re.escape(path).replace(re.escape("{kind}"), r"\w+")
        matching = {(p, m) for p, m in documented if m == method and re.fullmatch(pattern, p)}
        served |= matching or {(path, method)}  # none documented: reported below as it is served
    assert sorted(served - documented) == [], "served but not documented"
    assert sorted(documented - served) == [], "documented but not served"
