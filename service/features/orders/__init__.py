"""Director's orders: drafting, the register, documents and acknowledgement."""

from service.features.orders import (
    api,
    evidence,
    notices,
    openapi,
    operators,
    settings,
    usecases,
    web,
)
from service.features.orders.rules import ACK_KIND
from service.platform.registry import Feature, PagePanel

FEATURE = Feature(
    evidence_sources={"order": evidence.SOURCE},
    name="orders",
    settings=settings.SETTINGS,
    operator_families=(operators.FAMILY,),
    task_panels=(PagePanel("orders/panels/task.html", usecases.task_panel),),
    instance_panels=(PagePanel("orders/panels/instance.html", usecases.instance_panel),),
    blueprints=(web.bp,),
    api_blueprints=(api.api_bp,),
    nav_links=web.NAV,
    timeline_words=web.WORDS,
    export_tables={"orders": web.EXPORT},
    notification_kinds=notices.KINDS,
    campaign_kinds={ACK_KIND: usecases.ACK_CAMPAIGN},
    file_readers=(usecases.may_open_registered_attachment,),
    private_views={usecases.PROCESS_ID: usecases.PRIVATE_VIEW},
    openapi_paths=lambda: openapi.PATHS,
    openapi_schemas=lambda: openapi.SCHEMAS,
    region_figures={"orders_issued": web.REGION_FIGURE},
)
