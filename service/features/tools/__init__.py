"""AI tool evaluation by the commission and the register of permitted tools."""

from service.features.tools import (
    api,
    evidence,
    openapi,
    operators,
    settings,
    signed_votes,
    usecases,
    web,
)
from service.platform.registry import Feature, PagePanel

FEATURE = Feature(
    evidence_sources={"tool": evidence.SOURCE},
    name="tools",
    settings=settings.SETTINGS,
    operator_families=(operators.FAMILY,),
    startup_checks=(signed_votes.vote_rule,),
    before_complete=(signed_votes.before_vote_completes,),
    signing_steps=(signed_votes.is_vote,),
    suggestion_sources={
        "permitted_tools": lambda session: [str(t["name"]) for t in usecases.permitted_tools(session)],
    },
    task_panels=(PagePanel("tools/panels/tally.html", usecases.chair_tally_panel),),
    blueprints=(web.bp,),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    export_tables={"tools": web.EXPORT},
    timeline_words=web.WORDS,
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
    region_figures={"tools_permitted": web.REGION_FIGURE},
)
