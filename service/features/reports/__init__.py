"""The annual report (plan item 29)."""

from service.features.reports import openapi, web
from service.platform.registry import Feature

FEATURE = Feature(
    name="reports",
    blueprints=(web.bp,),
    api_blueprints=(web.api_bp,),
    nav_links=web.NAV,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
)
