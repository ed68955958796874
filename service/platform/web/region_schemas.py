"""/api/v1/region's shapes (pydantic models) and its OpenAPI paths, for the region's administrator."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from service.platform.web.api_model import ApiModel, Day, component_schemas, schema_ref
from service.platform.web.openapi_parts import errors, ok, query_param


class RegionSchool(ApiModel):
    """A school of the region."""

    id: int
    code: str
    name_kk: str
    name_ru: str
    timezone: str = Field(description="an IANA zone; empty: the deployment's")


class RegionSchoolList(ApiModel):
    schools: list[RegionSchool]


class RegionCategory(ApiModel):
    code: str
    name: str = Field(description="in the caller's language")


class RegionFigureRow(ApiModel):
    """One school's value: `value` for a figure without categories, `values` by category code otherwise
    (null: a share with nothing to count, e.g. no plan this school year)."""

    school_id: int
    value: int | None = None
    values: dict[str, int | None] = {}


class RegionFigureTotal(ApiModel):
    """The figure over every school of the region (not only the page's): `value` for a figure without
    categories, `values` by category otherwise; a share is the region's done over the region's total
    (null: nothing to count)."""

    value: int | None = None
    values: dict[str, int | None] = {}


class RegionFigure(ApiModel):
    """One figure of the dashboard: counts per school of the page, never a record's content or people."""

    key: str
    title: str = Field(description="in the caller's language")
    unit: Literal["count", "percent"]
    categories: list[RegionCategory]
    rows: list[RegionFigureRow] = Field(description="one per school of this page, in the order of `schools`")
    total: RegionFigureTotal = Field(
        RegionFigureTotal(), description="over every school of the region, whatever the page (added in 1.6)"
    )


class RegionDashboard(ApiModel):
    """A page of the dashboard: up to `limit` schools by code, and each figure's region-wide total."""

    school_year: int = Field(description="the year of the school year's 1 September")
    first_day: Day
    last_day: Day
    schools: list[RegionSchool] = Field(description="this page's schools, by code (at most `limit`)")
    figures: list[RegionFigure]
    school_count: int = Field(0, description="every school of the region, whatever the search (added in 1.6)")
    next: str | None = Field(
        None,
        description="pass as `after` for the next page (the same `q` and `limit`); null on the last page "
        "(added in 1.6)",
    )


MODELS = (
    RegionSchool,
    RegionSchoolList,
    RegionCategory,
    RegionFigureRow,
    RegionFigureTotal,
    RegionFigure,
    RegionDashboard,
)

_NEW_SCHOOL = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": [
                    "code",
                    "name_kk",
                    "name_ru",
                    "admin_username",
                    "admin_full_name",
                    "admin_password",
                ],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z][a-z0-9_-]{1,39}$"},
                    "name_kk": {"type": "string", "maxLength": 300},
                    "name_ru": {"type": "string", "maxLength": 300},
                    "timezone": {"type": "string", "description": "an IANA zone; empty: the deployment's"},
                    "admin_username": {"type": "string", "maxLength": 80},
                    "admin_full_name": {"type": "string", "maxLength": 300},
                    "admin_password": {"type": "string", "minLength": 8},
                },
            }
        }
    },
}


def schemas() -> dict[str, Any]:
    return component_schemas(*MODELS)


def paths() -> dict[str, Any]:
    """The region's administrator's routes (403 for anyone else)."""
    return {
        "/region/schools": {
            "get": {
                "summary": "The region's schools (region administrator)",
                "responses": {**ok(schema_ref(RegionSchoolList)), **errors(401, 403)},
            },
            "post": {
                "summary": "Open a school with its first admin; the shipped processes are deployed in it",
                "description": (
                    "422 `validation_failed` names each bad field; 409 `taken` when the code or the "
                    "admin's user name exists (`fields` names which). Audited `school.create`."
                ),
                "requestBody": _NEW_SCHOOL,
                "responses": {**ok(schema_ref(RegionSchool), 201), **errors(400, 401, 403, 409, 422)},
            },
        },
        "/region/dashboard": {
            "get": {
                "summary": "Per-school counts of this school year, a page of schools at a time, with the "
                "region's totals (region administrator; counts only)",
                "description": (
                    "Schools by code, `limit` at a time (keyset paging: pass the answer's `next` as "
                    "`after` for the next page; the last page's `next` is null). Each figure's `rows` "
                    "are the page's schools; its `total` covers every school of the region. The whole "
                    "table of every school is the page's CSV/XLSX download."
                ),
                "parameters": [
                    query_param(
                        "after",
                        "string",
                        "the `next` of the page before: schools whose code "
                        "sorts after it (absent: the first page)",
                    ),
                    query_param("q", "string", "only schools whose code or name contains this (any case)"),
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 30},
                        "description": "schools per page",
                    },
                ],
                "responses": {**ok(schema_ref(RegionDashboard)), **errors(401, 403, 422)},
            },
        },
    }
