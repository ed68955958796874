"""The council's minutes are a fixed document: every download of the same decision has the same bytes."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from service.features.incidents.models import Incident
from tests.conftest import Api
from tests.integration.test_council_amendment import decided_incident

DECIDED_AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_minutes_render_to_the_same_bytes_dated_by_the_decision(api: Api) -> None:
    incident = decided_incident(api)
    with api.rt.db.session() as session:
        # Back-dated, so a document dated by its rendering could not agree with it by chance.
        row = session.get(Incident, incident["id"])
        assert row is not None and row.decided_at is not None
        row.decided_at = DECIDED_AT
    first = api.get(f"/incidents/{incident['id']}/minutes.pdf", "director")
    second = api.get(f"/incidents/{incident['id']}/minutes.pdf", "responsible")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert first.data == second.data
    assert PdfReader(io.BytesIO(first.data)).metadata.creation_date == DECIDED_AT
