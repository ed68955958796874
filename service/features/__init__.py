"""The product's features, one package each; the platform never imports them.

`FEATURES` is the explicit tuple `create_app` composes (its order is the order of the header's links).
"""

from service.features import acts, consultations, incidents, meetings, orders, plan, reports, surveys, tools
from service.platform.registry import Feature

FEATURES: tuple[Feature, ...] = (
    orders.FEATURE,
    incidents.FEATURE,
    tools.FEATURE,
    consultations.FEATURE,
    acts.FEATURE,
    meetings.FEATURE,
    plan.FEATURE,
    surveys.FEATURE,
    reports.FEATURE,
)
