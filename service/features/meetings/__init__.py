"""Meetings and their minutes (plan items 4, 6, 16, 24, 25, 28): working group, council, trainings,
class hours and parents' meetings, from the invitation to approved minutes and tracked follow-ups."""

from service.features.meetings import api, evidence, followups, notices, openapi, report, web
from service.platform.registry import Feature

FEATURE = Feature(
    name="meetings",
    blueprints=(web.bp,),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    export_tables={"meetings": web.EXPORT},
    notification_kinds=notices.KINDS,
    error_messages=web.ERROR_MESSAGES,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
    evidence_sources={"meeting": evidence.SOURCE},
    campaign_kinds={followups.KIND: followups.CAMPAIGN_KIND},
    report_sections={"meetings": report.SECTION},
)
