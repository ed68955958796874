"""The product's features, one package each; the platform never imports them."""

# Every feature's models, so that Base.metadata (Alembic, the migration test) sees them all.
from service.features.acts import models as acts_models  # noqa: F401
from service.features.consultations import models as consultations_models  # noqa: F401
from service.features.incidents import council_models  # noqa: F401
from service.features.incidents import models as incidents_models  # noqa: F401
from service.features.plan import models as plan_models  # noqa: F401
from service.features.reports import models as reports_models  # noqa: F401
from service.features.tools import models as tools_models  # noqa: F401
