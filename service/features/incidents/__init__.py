"""The incident journal and its escalation to the ethics council."""

from service.features.incidents import (
    access,
    council,
    council_vote,
    evidence,
    notices,
    openapi,
    operators,
    settings,
    web,
)
from service.platform.registry import Feature, PagePanel

FEATURE = Feature(
    evidence_sources={"incident": evidence.SOURCE},
    name="incidents",
    settings=settings.SETTINGS,
    # A council member's vote is theirs alone: a deputy standing in for them never casts it.
    personal_steps=(
        lambda instance, task: instance.process_id == "incident_escalation" and task.bpmn_id == "Task_vote",
    ),
    operator_families=(operators.FAMILY,),
    private_views={access.PROCESS_ID: access.PRIVATE_VIEW},
    instance_panels=(PagePanel("incidents/panels/amendment_source.html", council.amendment_source_panel),),
    # The council vote's early-close condition in the diagram calls it.
    script_builtins={"vote_settled": council_vote.vote_settled},
    file_readers=(access.may_open_evidence,),
    task_prefills=(access.chair_decision_prefill,),
    notification_kinds=notices.KINDS,
    blueprints=(web.bp,),
    api_blueprints=(web.api_bp,),
    nav_links=web.NAV,
    timeline_words=web.WORDS,
    export_tables={"incidents": web.EXPORT},
    task_redirects=(web.after_task,),
    openapi_paths=openapi.incident_paths,
    openapi_schemas=openapi.incident_schemas,
    region_figures={"incidents_by_type": web.REGION_FIGURE},
)
