"""Local acts, their editions and amendments."""

from service.features.acts import evidence, openapi, operators, settings, usecases, web
from service.features.acts.rules import ACK_KIND
from service.platform.registry import Feature

FEATURE = Feature(
    evidence_sources={"act_edition": evidence.SOURCE},
    name="acts",
    settings=settings.SETTINGS,
    operator_families=(operators.FAMILY,),
    campaign_kinds={ACK_KIND: usecases.ACK_CAMPAIGN},
    demo_data=(usecases.load_demo_acts,),
    blueprints=(web.bp,),
    api_blueprints=(web.api_bp,),
    nav_links=web.NAV,
    error_messages={"act_changed": web.act_changed_message},
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
)
