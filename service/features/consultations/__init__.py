"""The consultations journal (plan item 22)."""

from service.features.consultations import access, api, notices, openapi, web
from service.platform.registry import Feature

FEATURE = Feature(
    name="consultations",
    file_readers=(access.may_open_material,),
    blueprints=(web.bp,),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    timeline_words=web.WORDS,
    export_tables={"consultations": web.EXPORT},
    notification_kinds=notices.KINDS,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
)
