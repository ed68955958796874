"""An API answer's body carries exactly the values `dump_answer` gives (aliases, only fields given)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response

from service.platform.web import schemas
from service.platform.web.api_model import answer


def test_the_answer_body_is_the_models_answer_as_json() -> None:
    task = schemas.TaskDetail(
        id=7,
        instance_id=3,
        process_id="order_drafting",
        bpmn_id="Task_legal_review",
        name="Құқықтық сараптама",
        role="lawyer",
        assignee=None,
        status="open",
        due_at=None,
        created_at=datetime(2026, 12, 6, 8, 30, tzinfo=UTC),
        candidate_roles=["lawyer"],
        form=schemas.TaskForm(key="order_legal_review", schema={"type": "object"}),
        data={"title": "Бұйрық", "n": 1.5},
    )
    reply = answer(task, 201)
    assert isinstance(reply, Response) and reply.status_code == 201 and reply.mimetype == "application/json"
    body = json.loads(reply.get_data(as_text=True))
    assert body == task.dump_answer()
    assert body["created_at"] == "2026-12-06T08:30:00+00:00"  # isoformat, as the hand-built answers wrote it
    assert "schema" in body["form"] and "completed_at" not in body  # aliases; fields not given left out
    assert "Құқықтық" in reply.get_data(as_text=True)  # UTF-8 text, not \\u escapes
