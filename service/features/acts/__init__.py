"""Local acts, their editions and amendments."""

from service.features.acts import evidence, openapi, operators, usecases, web
from service.features.acts.rules import ACK_KIND
from service.platform.registry import Feature

FEATURE = Feature(
    evidence_sources={"act_edition": evidence.SOURCE},
    name="acts",
    default_deadlines={"amendment_comment_deadline": "P3D"},
    operator_families=(operators.FAMILY,),
    campaign_kinds={ACK_KIND: usecases.ACK_CAMPAIGN},
    demo_data=(usecases.load_demo_acts,),
    blueprints=(web.bp,),
    api_blueprints=(web.api_bp,),
    nav_links=web.NAV,
    timeline_words=web.WORDS,
    error_messages={"act_changed": web.act_changed_message, "edition_numbers": web.edition_numbers_message},
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
)
