"""The base of /api/v1's typed answers: one pydantic model gives both the JSON body and its OpenAPI schema.

A route builds its answer as a model and returns `answer(model)`; the OpenAPI part of the same package
lists the model in `component_schemas(...)` and points at it with `schema_ref(model)`. A field without a
default is `required` in the document; a field with a default may be left out of an answer, and only the
fields a route passes are sent (`exclude_unset`), so "present for some readers only" is expressible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from flask import Response
from flask.typing import ResponseReturnValue
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema, core_schema

REF_TEMPLATE = "#/components/schemas/{model}"
T = TypeVar("T")


class ApiModel(BaseModel):
    """A JSON shape of /api/v1. Unknown fields are refused, so a misspelt one fails at once, not silently."""

    # Assignment is validated too: a route may add a field that only some answers carry.
    model_config = ConfigDict(
        extra="forbid", serialize_by_alias=True, validate_by_name=True, validate_assignment=True
    )

    def dump_answer(self) -> dict[str, Any]:
        """The answer as JSON-ready values: only the fields that were given (see the module's docstring)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


def _iso(value: date) -> str:
    # `isoformat()` exactly as the hand-built answers wrote it (pydantic would write UTC as "Z").
    return value.isoformat()


# A moment (date-time) and a calendar day, sent as ISO 8601 text.
Moment = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Day = Annotated[
    date, PlainSerializer(_iso, return_type=str), WithJsonSchema({"type": "string", "format": "date"})
]


def _is_none(value: object) -> bool:
    return value is None


# A field that some answers leave out but that is never null when sent: `x: Omittable[T] = None`.
# (A nullable field that only some readers get is `x: T | None = None`, and is left out by not passing it.)
Omittable = Annotated[T | SkipJsonSchema[None], Field(exclude_if=_is_none)]


@dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(values)]`: a string from a list kept in code (a `Literal` needs it spelt out)."""

    values: tuple[str, ...]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result = handler(schema)
        result["enum"] = list(self.values)
        return result

    def _check(self, value: str) -> str:
        if value not in self.values:
            raise ValueError(f"{value!r} is not one of {list(self.values)}")
        return value


class OpenApiSchema(GenerateJsonSchema):
    """pydantic's JSON Schema written the way the hand-written document was, so that it reads the same."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # titles only repeat the property names

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        # A default says the field may be absent (not `required`); the value itself means nothing to a client.
        return self.generate_inner(schema["schema"])

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        result = super().model_schema(schema)
        result.pop("title", None)
        # `extra="forbid"` guards construction; the contract promises fields, not their absence, so clients
        # must keep accepting additions (the document never said additionalProperties: false).
        if not getattr(schema["cls"], "closed_shape", False):
            result.pop("additionalProperties", None)
        return result

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        result = super().dict_schema(schema)
        if result.get("additionalProperties") is True:
            del result["additionalProperties"]  # the default: any values
        return result

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        # `{"type": ["string", "null"]}` as written before, rather than anyOf with a null branch.
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and "$ref" not in inner:
            collapsed = {**inner, "type": [inner["type"], "null"]}
            if "enum" in inner:
                collapsed["enum"] = [*inner["enum"], None]
            return collapsed
        return super().nullable_schema(schema)


def model_schemas(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
    """The model's schema and those of the models it nests, by name, as `components/schemas` holds them."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=OpenApiSchema, mode=mode)
    nested = schema.pop("$defs", {})
    return {**nested, model.__name__: schema}


def component_schemas(*models: type[BaseModel]) -> dict[str, Any]:
    """Component schemas of these models and everything they nest; one name may not mean two shapes."""
    return merge_schemas(model_schemas(m) for m in models)


def merge_schemas(parts: Iterable[dict[str, Any]], owner: str = "") -> dict[str, Any]:
    """Schemas merged by name: the same model reached twice is fine, two shapes under one name are not."""
    merged: dict[str, Any] = {}
    for part in parts:
        for name, schema in part.items():
            if name in merged and merged[name] != schema:
                raise ValueError(f"{owner or 'OpenAPI'}: two different schemas are named {name}")
            merged[name] = schema
    return merged


def schema_ref(model: type[BaseModel]) -> dict[str, Any]:
    """A reference to the model's component schema."""
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def answer(model: ApiModel, status: int = 200) -> ResponseReturnValue:
    """The HTTP answer of a route: the model's JSON body and the status.

    Written by pydantic's serializer in one step (UTF-8, the model's field order), the same values
    `dump_answer` gives: building the dict and encoding it again with `jsonify` cost twice as much."""
    body = model.model_dump_json(exclude_unset=True, by_alias=True)
    return Response(body, status=status, mimetype="application/json")
