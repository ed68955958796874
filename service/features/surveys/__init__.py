"""Surveys of staff AI competence and AI use (plan items 1, 9, 26): anonymous where promised, with charts."""

from service.features.surveys import (
    answering,
    api,
    evidence,
    notices,
    openapi,
    report,
    usecases,
    web,
)
from service.features.surveys.web import editor as web_editor
from service.platform.registry import CampaignKind, Feature

SURVEY_KIND = CampaignKind(
    titles={"kk": "Сауалнама: {title}", "ru": "Опрос: {title}", "en": "Survey: {title}"},
    act_at=lambda campaign: ("surveys.show", {"survey_id": int(campaign.subject_ref)}),
    may_manage=usecases.may_manage_campaign,
    on_end=usecases.on_campaign_end,
    check_response=answering.check_response,
)

FEATURE = Feature(
    name="surveys",
    campaign_kinds={usecases.KIND: SURVEY_KIND},
    evidence_sources={"survey": evidence.SOURCE},
    report_sections={"survey_results": report.SECTION},
    notification_kinds=notices.KINDS,
    blueprints=(web.bp, web_editor.bp),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    error_messages=web.ERROR_MESSAGES,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
    region_figures={"survey_participation": web.REGION_FIGURE},
)
