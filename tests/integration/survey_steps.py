"""Helpers of the survey tests: a survey for named staff, opened, and answers through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from service.features.surveys.plan_templates import BY_KEY
from service.platform.runtime import Runtime
from tests.conftest import Api

STAFF = [f"staff{i}" for i in range(1, 11)]


def today(rt: Runtime) -> str:
    return datetime.now(rt.tz).date().isoformat()


def survey_body(
    rt: Runtime, people: list[str], privacy: str = "anonymous", template: str = "ai_knowledge"
) -> dict[str, Any]:
    t = BY_KEY[template]
    day = datetime.now(rt.tz).date()
    return {
        "title": t.title,
        "intro": t.intro,
        "privacy": privacy,
        "audience_people": people,
        "opens_on": day.isoformat(),
        "closes_on": (day + timedelta(days=7)).isoformat(),
        "plan_item": t.plan_item,
        "questions": t.questions,
    }


def open_survey(
    api: Api, rt: Runtime, people: list[str], privacy: str = "anonymous", owner: str = "responsible"
) -> int:
    created = api.post("/surveys", owner, json=survey_body(rt, people, privacy))
    assert created.status_code == 201, created.get_json()
    survey_id = int(created.get_json()["id"])
    opened = api.post(f"/surveys/{survey_id}/open", owner)
    assert opened.status_code == 200, opened.get_json()
    return survey_id


def answer_of(n: int) -> dict[str, Any]:
    """A full answer to the ai_knowledge template, different per person (its free text names nobody)."""
    return {
        "q1": ["o1", "o2", "o3", "dont_know"][n % 4],
        "q2": ["o1", "o4"] if n % 2 else ["o6"],
        "q3": ["o1"],
        "q4": ["o1", "o2"],
        "q5": 1 + n % 5,
        "q6": ["o2", "o3"],
        "q7": f"ұсыныс-{n:02d}-жазба",
    }


def post_answer(api: Api, survey_id: int, user: str, answer: dict[str, Any]) -> Any:
    return api.post(f"/surveys/{survey_id}/answers", user, json={"answers": answer})
