"""The school's yearly plan tracker."""

from service.features.plan import api, openapi, report, usecases, web
from service.platform.registry import Feature

FEATURE = Feature(
    name="plan",
    demo_data=(usecases.load_demo_plan,),
    blueprints=(web.bp,),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    timeline_words=web.WORDS,
    export_tables={"plan": web.EXPORT},
    error_messages=web.ERROR_MESSAGES,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
    cli_commands=(web.plan_cli,),
    report_sections={"plan_completion": report.SECTION},
    region_figures={"plan_completion": web.REGION_FIGURE},
)
