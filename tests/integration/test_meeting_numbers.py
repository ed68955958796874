"""Minutes numbered at the same moment: each approval takes its own number from the kind-and-year counter
(a locked row on PostgreSQL), one approval of a meeting wins, and simultaneous addenda get 1 and 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from service.features.meetings import usecases as meetings
from service.features.meetings.errors import MinutesApproved
from service.features.meetings.models import Meeting
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named, make_app
from tests.integration.meeting_steps import WG_MEETING, soon
from tests.integration.test_concurrency import _run_together


def _ready(rt: Runtime, count: int, kind: str = "working_group") -> list[int]:
    """Meetings with their attendance recorded, waiting for the chair's approval."""
    chair, secretary = actor_named(rt, "wg_chair"), actor_named(rt, "wg_member")
    ids = []
    for n in range(count):
        data: dict[str, Any] = {**WG_MEETING, "kind": kind, "title": f"Отырыс {n}", "starts_at": soon()}
        mid = meetings.create_meeting(rt, chair, data)
        listed = ("wg_chair", "wg_member", "ict")
        rows = [{"username": u, "present": True} for u in listed]
        meetings.record_attendance(rt, secretary, mid, {"attendance": rows})
        ids.append(mid)
    return ids


def _race(rt: Runtime) -> None:
    chair = actor_named(rt, "wg_chair")
    ids = _ready(rt, 6)
    numbers = _run_together([(lambda m=m: meetings.approve(rt, chair, m)) for m in ids])
    assert not [n for n in numbers if isinstance(n, Exception)], numbers
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    with rt.db.session() as session:
        stored = session.execute(select(Meeting.number).where(Meeting.id.in_(ids))).scalars().all()
    assert sorted(n for n in stored if n is not None) == [1, 2, 3, 4, 5, 6]

    # The same meeting approved twice at once: one number, one 409.
    (twice,) = _ready(rt, 1)
    results = _run_together([lambda: meetings.approve(rt, chair, twice) for _ in range(3)])
    assert [r for r in results if isinstance(r, int)] == [7]
    assert sum(isinstance(r, MinutesApproved) for r in results) == 2

    # Two corrections of the same minutes at once: addenda 1 and 2.
    secretary = actor_named(rt, "wg_member")
    added = _run_together(
        [
            lambda a=a: meetings.add_addendum(rt, a, twice, {"text": f"Түзету {a.username}"})
            for a in (chair, secretary)
        ]
    )
    assert sorted(added) == [1, 2], added


def test_minutes_numbered_at_once_get_different_numbers(api: Api) -> None:
    _race(api.rt)


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_minutes_numbered_at_once_get_different_numbers_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app = make_app(pg_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rt: Runtime = app.extensions["runtime"]
    try:
        _race(rt)
    finally:
        rt.db.dispose()
