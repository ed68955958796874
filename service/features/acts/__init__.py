"""Local acts, their editions and amendments."""

from service.features.acts import evidence, openapi, operators, settings, usecases, web
from service.features.acts.rules import ACK_KIND
from service.platform.registry import Feature

FEATURE = Feature(
    evidence_sources={"act_edition": evidence.SOURCE},
    name="acts",
    settings=settings.SETTINGS,
    # A council member's opinion on an amendment is theirs alone: never given by a deputy.
    personal_steps=(
        lambda instance, task: (
            instance.process_id == "regulation_amendment" and task.bpmn_id == "Task_council_opinion"
        ),
    ),
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
